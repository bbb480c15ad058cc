// The web app's settings (the environment bot/config.ts reads), written as a whole: a setting added
// by hand in the portal is removed by the next deployment, so add it here instead.
param siteName string

@description('true: the container image (it listens on PORT 3978, set in the Dockerfile).')
param runsContainer bool

@description('Settings for bot/config.ts; secrets only as Key Vault references.')
param values object

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: siteName
}

// What the platform needs beside the bot's own settings.
var containerPlatform = {
  WEBSITES_PORT: '3978'
  WEBSITES_ENABLE_APP_SERVICE_STORAGE: 'false'
}
var nodePlatform = {
  // The zip carries the build and its production dependencies: no build on the server.
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  NODE_ENV: 'production'
}
var platform = runsContainer ? containerPlatform : nodePlatform

resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: union(platform, values)
}
