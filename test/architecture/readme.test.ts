// The README's architecture section shows the routing table and the allowed import directions as
// they are: both are written from the running code. After a change of routes or layers:
//   UPDATE_README=1 npx jest test/architecture/readme.test.ts
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { testMongoUri, uniqueDbName } from '../support/db';
import { LAYERS } from './layers';

const README = path.resolve(__dirname, '../../README.md');

async function routingTable(): Promise<string> {
  const config = loadConfig({ DB_NAME: uniqueDbName('readme'), LOG_LEVEL: 'silent' });
  const app = await createApp({ config, mongodbUri: testMongoUri(), logger: createLogger('silent'), startScheduler: false });
  try {
    const rows = new Map<string, string[]>();
    for (const line of app.bot.routes.describe()) {
      const [route, feature] = line.split(' → ');
      rows.set(feature, [...(rows.get(feature) ?? []), route]);
    }
    const files = (feature: string) => (feature === 'core' ? 'bot/teamsBot.ts' : `bot/features/${feature}`);
    return ['| feature | where | what it answers |', '|---|---|---|', ...[...rows].sort(([a], [b]) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b))).map(([feature, routes]) => `| ${feature} | \`${files(feature)}\` | ${routes.map((r) => `\`${r}\``).join(', ')} |`)].join('\n');
  } finally {
    await app.close();
  }
}

function layerTable(): string {
  return [
    '| folder | may import | packages | why |',
    '|---|---|---|---|',
    ...Object.entries(LAYERS).map(([layer, l]) => `| \`${layer}/\` | ${l.folders.filter((f) => f !== layer).map((f) => `\`${f}/\``).join(', ') || '—'} | ${l.packages.join(', ')} | ${l.why} |`),
  ].join('\n');
}

function section(text: string, name: string): string | null {
  const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(text);
  return m ? m[1].trimEnd() : null;
}

describe('README "Architecture"', () => {
  it('shows the routing table and the allowed import directions as the code has them', async () => {
    const expected = { routes: await routingTable(), layers: layerTable() };
    let text = fs.readFileSync(README, 'utf8');
    if (process.env.UPDATE_README) {
      for (const [name, table] of Object.entries(expected)) text = text.replace(new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`), `$1${table}\n$2`);
      fs.writeFileSync(README, text);
    }
    expect({ routes: section(text, 'routes'), layers: section(text, 'layers') }).toEqual(expected);
  });
});
