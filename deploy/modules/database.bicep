// The database: a Cosmos DB for MongoDB vCore cluster, or a connection string given by the operator
// (MongoDB Atlas or any MongoDB-compatible server). Either way the full connection string, with its
// credentials, goes into the Key Vault and only its secret address leaves this module.
@allowed([
  'cosmosVCore'
  'externalUri'
])
param mode string
param clusterName string
param location string
param tags object
param keyVaultName string

@secure()
param externalMongoDbUri string

param adminUser string

@secure()
param adminPassword string

param tier string
param storageGb int
param highAvailability bool

resource cluster 'Microsoft.DocumentDB/mongoClusters@2025-09-01' = if (mode == 'cosmosVCore') {
  name: clusterName
  location: location
  tags: tags
  properties: {
    administrator: {
      userName: adminUser
      password: adminPassword
    }
    serverVersion: '7.0'
    compute: {
      tier: tier
    }
    storage: {
      sizeGb: storageGb
    }
    sharding: {
      shardCount: 1
    }
    highAvailability: {
      targetMode: highAvailability ? 'ZoneRedundantPreferred' : 'Disabled'
    }
    publicNetworkAccess: 'Enabled'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

// The cluster publishes its connection string with <user> and <password> placeholders.
var clusterUri = mode == 'cosmosVCore' ? replace(replace(cluster!.properties.connectionString, '<user>', uriComponent(adminUser)), '<password>', uriComponent(adminPassword)) : ''

resource uriSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'mongodb-uri'
  properties: {
    value: mode == 'cosmosVCore' ? clusterUri : externalMongoDbUri
    contentType: 'MONGODB_URI'
  }
}

output clusterName string = mode == 'cosmosVCore' ? clusterName : ''
output connectionStringUri string = '${vault.properties.vaultUri}secrets/mongodb-uri'
