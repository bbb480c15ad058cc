// The Linux App Service plan and the web app that runs the bot: either the Node build deployed as a
// zip (started with `node dist/bot/index.js`) or the container image built from the Dockerfile.
// Its settings are written by appSettings.bicep once the Azure Bot resource exists.
param name string
param location string
param tags object
param sku string

@minValue(1)
param instanceCount int

param nodeRuntime string

@description('Container image to run; empty: the Node runtime with the zip-deployed build.')
param containerImage string

@description('Resource id of the user-assigned identity (Key Vault references; the bot\'s identity with UserAssignedMSI).')
param identityId string

@description('Client id of that identity (pulls the image from a registry with it).')
param identityClientId string

var runsContainer = !empty(containerImage)

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: sku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: runsContainer ? 'app,linux,container' : 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: runsContainer ? 'DOCKER|${containerImage}' : nodeRuntime
      appCommandLine: runsContainer ? '' : 'node dist/bot/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      acrUseManagedIdentityCreds: runsContainer
      acrUserManagedIdentityID: identityClientId
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output possibleOutboundIpAddresses string = site.properties.possibleOutboundIpAddresses
