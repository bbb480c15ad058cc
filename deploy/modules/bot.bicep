// The Azure Bot resource (the bot's registration with the Bot Framework) and its Teams channel.
// Only single-tenant and user-assigned managed identity bots: new multi-tenant bots cannot be created.
param name string
param displayName string
param tags object
param sku string

@description('https://<host>/api/messages')
param endpoint string

@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param appType string

@description('Client id of the app registration (SingleTenant) or of the managed identity (UserAssignedMSI).')
param appId string

param tenantId string

@description('Resource id of the user-assigned identity; empty with SingleTenant.')
param msiResourceId string

var common = {
  displayName: displayName
  endpoint: endpoint
  msaAppId: appId
  msaAppType: appType
  msaAppTenantId: tenantId
  disableLocalAuth: false
  publicNetworkAccess: 'Enabled'
}
var managedIdentity = {
  msaAppMSIResourceId: msiResourceId
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: union(common, appType == 'UserAssignedMSI' ? managedIdentity : {})
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output name string = bot.name
output msaAppId string = bot.properties.msaAppId
