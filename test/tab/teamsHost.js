// A stand-in for the Teams client around the dashboard tab: a page that embeds the tab in an iframe
// and answers what @microsoft/teams-js asks its parent over postMessage (requests `{id, func, args}`,
// answers `{id, args}`), so the tab's real app.initialize, app.getContext and
// authentication.getAuthToken run. The host is served from the tab's origin, as teams-js accepts
// its own origin besides Microsoft's.
// Plain CommonJS (types in teamsHost.d.ts) so that the Agents Playground run (test/e2e, plain
// Node) opens the tab the same way as the jest tests.
'use strict';

const HOST_PATH = '/__test-teams-host.html';

function hostHtml(tabUrl, o) {
  const config = JSON.stringify({ ...o, theme: o.theme ?? 'default' });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Teams (test host)</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%}</style></head>
<body><iframe id="tab" title="Dashboard" src="${tabUrl}"></iframe>
<script>
const config = ${config};
const frame = document.getElementById('tab');
window.__received = [];
const runtime = { apiVersion: 4, isLegacyTeams: false, hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  supports: { app: {}, appInstallDialog: {}, authentication: {}, pages: { config: {}, tabs: {}, appButton: {}, backStack: {} }, teamsCore: {} } };
window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow) return;
  const m = event.data;
  if (!m || typeof m.func !== 'string') return;
  window.__received.push(m.func);
  if (config.silent) return;
  const reply = (args) => frame.contentWindow.postMessage({ id: m.id, args }, event.origin);
  switch (m.func) {
    case 'initialize': return reply(['content', 'web', JSON.stringify(runtime), '2.0.0']);
    case 'getContext': return reply([{ locale: config.locale, theme: config.theme, frameContext: 'content', hostClientType: 'web', hostName: 'Teams',
      tid: config.tenantId, userObjectId: config.userObjectId, entityId: 'dashboard', appSessionId: 'test-session' }]);
    case 'authentication.getAuthToken': return reply(config.token ? [true, config.token] : [false, 'resourceRequiresConsent']);
    case 'appInitialization.success': return reply([true]);
  }
});
/** What Teams does when the person switches theme: an event pushed to the tab. */
window.__setTheme = (theme) => frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, location.origin);
</script></body></html>`;
}

/** Opens the tab at `origin` inside the test host; resolves once the host page has loaded. */
async function openInHost(page, origin, options) {
  await page.route(`${origin}${HOST_PATH}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostHtml(`${origin}/tab/index.html`, options) }));
  await page.goto(`${origin}${HOST_PATH}`);
}

/** No request leaves the machine: teams-js asks a Microsoft CDN for its list of host origins. */
async function offline(page) {
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
}

/** Opens the tab at `origin` in the test host, offline, and resolves with its frame once the page has stopped loading. */
async function openTab(page, origin, options) {
  await offline(page);
  await openInHost(page, origin, options);
  const frame = page.frame({ url: /\/tab\/index\.html$/ });
  if (!frame) throw new Error('the tab frame is not there');
  await frame.waitForSelector('body:not([data-state="loading"])');
  return frame;
}

/** Pushes a theme change, as Teams does. */
async function switchTheme(page, theme) {
  await page.evaluate((t) => window.__setTheme(t), theme);
}

module.exports = { HOST_PATH, offline, openInHost, openTab, switchTheme };
