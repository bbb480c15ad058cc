// Firewall of the vCore cluster: one rule per address the web app may connect from. The addresses
// come in as a parameter so that the loop count is known when this module starts.
param clusterName string

@description('The web app\'s possibleOutboundIpAddresses (comma-separated).')
param outboundIpAddresses string

resource cluster 'Microsoft.DocumentDB/mongoClusters@2025-09-01' existing = {
  name: clusterName
}

resource rules 'Microsoft.DocumentDB/mongoClusters/firewallRules@2025-09-01' = [
  for (ip, i) in split(outboundIpAddresses, ','): {
    parent: cluster
    name: 'webapp-outbound-${i}'
    properties: {
      startIpAddress: ip
      endIpAddress: ip
    }
  }
]
