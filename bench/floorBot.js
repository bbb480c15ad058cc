#!/usr/bin/env node
// The floor: the least a botbuilder bot on restify can do per turn (no database, no state), with
// the same stack as the real bot in local mode (restify 11, CloudAdapter, authentication off).
// Prints "listening <port>" on stdout once ready. PORT=0 picks a free port.
'use strict';
const restify = require('restify');
const { CloudAdapter, ConfigurationBotFrameworkAuthentication } = require('botbuilder');

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const server = restify.createServer({ name: 'floor', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ mapParams: false, mapFiles: false }));
server.post('/api/messages', async (req, res) =>
  adapter.process(req, res, async (context) => {
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  }),
);
server.get('/healthz', (_req, res, next) => {
  res.send(200, { ok: true });
  next();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
