// The Key Vault holding the bot's secrets (its client secret, the database connection string). The
// web app reads them through Key Vault references with its user-assigned identity; no secret is
// ever written into an app setting or a deployment output.
param name string
param location string
param tags object

@description('Principal id of the identity that reads the secrets (the web app\'s).')
param readerPrincipalId string

@description('true with SingleTenant: the bot\'s client secret is stored; false with a managed identity (no secret).')
param storeBotCredential bool

@secure()
param microsoftAppPassword string

// Built-in role "Key Vault Secrets User": read secret values, nothing else.
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource readSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, secretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appPassword 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (storeBotCredential) {
  parent: vault
  name: 'microsoft-app-password'
  properties: {
    value: microsoftAppPassword
    contentType: 'Bot Framework client secret (MicrosoftAppPassword)'
  }
}

output name string = vault.name
// Without a version: the web app follows the newest version after a rotation.
output botCredentialUri string = !storeBotCredential ? '' : '${vault.properties.vaultUri}secrets/microsoft-app-password'
