// The bot in Azure: an Azure Bot (single-tenant app registration or user-assigned managed identity)
// with its Teams channel, a Linux App Service running the Node build or the container image, a Key
// Vault for the secrets, and a MongoDB-compatible database (Cosmos DB for MongoDB vCore, or a URI
// given by the operator, e.g. MongoDB Atlas). deploy/README.md walks through a first deployment.
targetScope = 'resourceGroup'

@description('Prefix of every resource name (lower-case letters, digits and hyphens).')
@minLength(3)
@maxLength(20)
param baseName string

@description('Region of the App Service, Key Vault and database (the Azure Bot resource itself is global).')
param location string = resourceGroup().location

@description('How the bot authenticates to the Bot Framework. Multi-tenant bots can no longer be created.')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param botAppType string = 'SingleTenant'

@description('SingleTenant: the application (client) id of the bot\'s Entra app registration. Ignored with UserAssignedMSI (the identity created here is used).')
param microsoftAppId string = ''

@description('SingleTenant: a client secret of that app registration. Stored in Key Vault; never in an app setting in clear.')
@secure()
param microsoftAppPassword string = ''

@description('Entra tenant of the bot\'s identity (the app registration or the managed identity).')
param microsoftAppTenantId string = tenant().tenantId

@description('Tenants whose users may talk to the bot (ALLOWED_TENANT_IDS). Empty: every tenant, which a single-tenant bot should not need.')
param allowedTenantIds array = [
  tenant().tenantId
]

@description('Where the data lives: a Cosmos DB for MongoDB vCore cluster created here, or a connection string given in externalMongoDbUri (MongoDB Atlas or any other MongoDB-compatible server).')
@allowed([
  'cosmosVCore'
  'externalUri'
])
param database string = 'cosmosVCore'

@description('externalUri: the mongodb:// or mongodb+srv:// connection string, credentials included. Stored in Key Vault.')
@secure()
param externalMongoDbUri string = ''

@description('cosmosVCore: administrator user of the cluster.')
param cosmosAdminUser string = 'botadmin'

@description('cosmosVCore: administrator password of the cluster (8 to 256 characters). Stored in Key Vault inside MONGODB_URI.')
@secure()
param cosmosAdminPassword string = ''

@description('cosmosVCore: compute tier (M30 or above for production; M10/M20 are burstable).')
@allowed([
  'Free'
  'M10'
  'M20'
  'M25'
  'M30'
  'M40'
  'M50'
  'M60'
  'M80'
])
param cosmosTier string = 'M30'

@description('cosmosVCore: disk size in GiB.')
@minValue(32)
param cosmosStorageGb int = 32

@description('cosmosVCore: a standby in another availability zone.')
param cosmosHighAvailability bool = false

@description('Database name inside the server (DB_NAME). Every instance of the bot must use the same one.')
param dbName string = 'cmd_concertation'

@description('App Service plan size. Always On needs Basic or above; P0v3 and above for production.')
@allowed([
  'B1'
  'B2'
  'S1'
  'P0v3'
  'P1v3'
  'P2v3'
])
param appServiceSku string = 'P0v3'

@description('Number of bot instances (App Service workers), all on the one database. See "Several instances" in deploy/README.md.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Node.js runtime of the App Service for a zip deployment: Node 22 LTS (Node 20 left support in April 2026), or 24 LTS where the region offers it.')
@allowed([
  'NODE|22-lts'
  'NODE|24-lts'
])
param nodeRuntime string = 'NODE|22-lts'

@description('Run the container built from the repository\'s Dockerfile instead, e.g. "myregistry.azurecr.io/cmd-concertation-bot:1.4.0". Empty: zip deployment on the Node runtime.')
param containerImage string = ''

@description('The bot\'s public host name when a custom domain is bound to the web app. Empty: the web app\'s default *.azurewebsites.net host.')
param customHostName string = ''

@description('Language used when Teams sends no usable locale.')
@allowed([
  'fr'
  'nl'
  'en'
])
param defaultLocale string = 'fr'

@description('Entra object ids of the first coordinators (BOOTSTRAP_COORDINATOR_IDS).')
param bootstrapCoordinatorIds array = []

@description('Proactive messages per second, per bot instance (OUTBOUND_GLOBAL_PER_SECOND). With N instances the bot as a whole may send up to N times this.')
@minValue(1)
@maxValue(1000)
param outboundPerSecondPerInstance int = 30

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
])
param logLevel string = 'info'

@description('Azure Bot pricing tier. Teams is a standard channel: F0 is enough for it.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

param tags object = {}

var suffix = uniqueString(resourceGroup().id, baseName)

// One user-assigned identity for the web app: it reads the Key Vault secrets and, with
// UserAssignedMSI, is the bot's own identity towards the Bot Framework.
resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${baseName}'
  location: location
  tags: tags
}

var botAppId = botAppType == 'UserAssignedMSI' ? appIdentity.properties.clientId : microsoftAppId

module vault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    name: 'kv-${take(suffix, 13)}'
    location: location
    tags: tags
    readerPrincipalId: appIdentity.properties.principalId
    storeBotCredential: botAppType == 'SingleTenant'
    microsoftAppPassword: botAppType == 'SingleTenant' ? microsoftAppPassword : ''
  }
}

module db 'modules/database.bicep' = {
  name: 'database'
  params: {
    mode: database
    clusterName: 'mongo-${baseName}-${take(suffix, 6)}'
    location: location
    tags: tags
    keyVaultName: vault.outputs.name
    externalMongoDbUri: externalMongoDbUri
    adminUser: cosmosAdminUser
    adminPassword: cosmosAdminPassword
    tier: cosmosTier
    storageGb: cosmosStorageGb
    highAvailability: cosmosHighAvailability
  }
}

module web 'modules/appService.bicep' = {
  name: 'appService'
  params: {
    name: 'app-${baseName}-${take(suffix, 6)}'
    location: location
    tags: tags
    sku: appServiceSku
    instanceCount: instanceCount
    nodeRuntime: nodeRuntime
    containerImage: containerImage
    identityId: appIdentity.id
    identityClientId: appIdentity.properties.clientId
  }
}

var host = empty(customHostName) ? web.outputs.defaultHostName : customHostName

// The database accepts connections from the web app's outbound addresses only.
module dbFirewall 'modules/databaseFirewall.bicep' = if (database == 'cosmosVCore') {
  name: 'databaseFirewall'
  params: {
    clusterName: db.outputs.clusterName
    outboundIpAddresses: web.outputs.possibleOutboundIpAddresses
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: 'bot-${baseName}-${take(suffix, 6)}'
    displayName: baseName
    tags: tags
    sku: botSku
    endpoint: 'https://${host}/api/messages'
    appType: botAppType
    appId: botAppId
    tenantId: microsoftAppTenantId
    msiResourceId: botAppType == 'UserAssignedMSI' ? appIdentity.id : ''
  }
}

var botSettings = {
  MicrosoftAppId: bot.outputs.msaAppId
  MicrosoftAppType: botAppType
  MicrosoftAppTenantId: microsoftAppTenantId
  ALLOWED_TENANT_IDS: join(allowedTenantIds, ',')
  PUBLIC_BASE_URL: 'https://${host}'
  MONGODB_URI: '@Microsoft.KeyVault(SecretUri=${db.outputs.connectionStringUri})'
  DB_NAME: dbName
  DEFAULT_LOCALE: defaultLocale
  BOOTSTRAP_COORDINATOR_IDS: join(bootstrapCoordinatorIds, ',')
  OUTBOUND_GLOBAL_PER_SECOND: string(outboundPerSecondPerInstance)
  LOG_LEVEL: logLevel
}

var appPasswordSetting = {
  MicrosoftAppPassword: '@Microsoft.KeyVault(SecretUri=${vault.outputs.botCredentialUri})'
}

// The settings are written last, after the Azure Bot resource: that resource refuses an empty app
// id, and a bot process started with an empty MicrosoftAppId would run with authentication off.
module settings 'modules/appSettings.bicep' = {
  name: 'appSettings'
  params: {
    siteName: web.outputs.name
    runsContainer: !empty(containerImage)
    values: union(botSettings, botAppType == 'SingleTenant' ? appPasswordSetting : {})
  }
}

@description('PUBLIC_BASE_URL of the bot; also the address for `npm run package`.')
output publicBaseUrl string = 'https://${host}'
@description('MicrosoftAppId the bot runs with (the app package needs it as the bot id).')
output microsoftAppId string = botAppId
output webAppName string = web.outputs.name
output botName string = bot.outputs.name
output keyVaultName string = vault.outputs.name
