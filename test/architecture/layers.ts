// The allowed import directions between the project's top-level folders, and which packages each
// may use: the README's "Architecture" section is written from this table.
export interface Layer {
  /** Project folders this layer may import from (itself included when listed). */
  folders: readonly string[];
  /** npm packages it may import (a prefix matches a package and its sub-paths); node: built-ins are always allowed. */
  packages: readonly string[];
  why: string;
}

export const LAYERS: Record<string, Layer> = {
  domain: {
    folders: ['domain', 'config'],
    packages: ['luxon', 'zod', 'd3-force'],
    why: 'pure rules (and their tables in config/*.json): no I/O, no Teams, no database, no display strings',
  },
  locales: {
    folders: ['locales', 'domain'],
    packages: ['luxon'],
    why: 'translations and how dates read in each language',
  },
  models: {
    folders: ['models', 'domain'],
    packages: ['mongoose', 'mongodb'],
    why: 'what is stored, and how (schemas, indexes, the connection)',
  },
  cards: {
    folders: ['cards', 'domain', 'locales', 'models'],
    packages: ['adaptivecards', 'adaptivecards-templating', 'luxon', '@resvg/resvg-js', 'upng-js'],
    why: 'templates plus data (and the pictures they carry): a card never reads the database or calls a service',
  },
  services: {
    folders: ['services', 'domain', 'models', 'locales', 'config'],
    packages: ['mongoose', 'mongodb', 'luxon', 'exceljs', 'csv-stringify', 'lru-cache', 'zod'],
    why: 'the use cases, on the database; no Bot Framework, so they outlive botbuilder',
  },
  jobs: {
    folders: ['jobs', 'services', 'domain', 'models'],
    packages: ['agenda', '@agendajs/mongo-backend', 'mongodb'],
    why: 'scheduled work, through ports (a messenger, a log) that bot/ provides',
  },
  dialogs: {
    folders: ['dialogs', 'cards', 'services', 'domain', 'models', 'locales'],
    packages: ['botbuilder', 'botbuilder-dialogs', 'luxon'],
    why: 'the request sheet conversation (botbuilder-dialogs)',
  },
  bot: {
    folders: ['bot', 'dialogs', 'cards', 'services', 'jobs', 'domain', 'models', 'locales', 'config', 'tools', 'tab'],
    packages: ['botbuilder', 'botbuilder-dialogs', 'botframework-connector', 'botframework-schema', 'restify', 'pino', 'dotenv', 'mongodb', 'mongoose', 'lru-cache', 'luxon', 'zod', 'exceljs', 'jose'],
    why: 'Teams and HTTP: the only place that knows Bot Framework, and the composition root (bot/app.ts)',
  },
  tab: {
    folders: ['tab'],
    packages: ['@microsoft/teams-js'],
    why: 'the dashboard page inside Teams (runs in the browser): it reaches the server only over HTTP, with the JSON of tab/contract.ts',
  },
};
