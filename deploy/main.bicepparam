// Example parameters (fictional names and ids). Secrets are read from the environment of the shell
// that runs `az deployment group create`, never written here:
//   export BOT_APP_PASSWORD='<client secret of the app registration>'
//   export COSMOS_ADMIN_PASSWORD='<a long random password>'
using './main.bicep'

param baseName = 'cmd-bxl-demo'
param location = 'westeurope'

param botAppType = 'SingleTenant'
param microsoftAppId = '00000000-1111-4222-8333-444444444444'
param microsoftAppPassword = readEnvironmentVariable('BOT_APP_PASSWORD', '')
param microsoftAppTenantId = '55555555-6666-4777-8888-999999999999'
param allowedTenantIds = [
  '55555555-6666-4777-8888-999999999999'
]

param database = 'cosmosVCore'
param cosmosAdminUser = 'botadmin'
param cosmosAdminPassword = readEnvironmentVariable('COSMOS_ADMIN_PASSWORD', '')
param cosmosTier = 'M30'
param cosmosStorageGb = 32
param dbName = 'cmd_concertation'

param appServiceSku = 'P0v3'
param instanceCount = 2
param nodeRuntime = 'NODE|22-lts'
param containerImage = ''

param defaultLocale = 'fr'
param bootstrapCoordinatorIds = [
  'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
]
param outboundPerSecondPerInstance = 15

param tags = {
  application: 'cmd-concertation-bot'
  environment: 'demo'
}
