// Cards are JSON templates (adaptivecards-templating) filled with data; no card JSON in code.
import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';

export const CARD_VERSION = '1.5';
/** Teams refuses messages above ~80 KB (attachments included); keep a margin for the envelope. */
export const MAX_CARD_BYTES = 70 * 1024;

const cache = new Map<string, ACData.Template>();

function templateDir(): string {
  // From sources (ts-jest) the templates sit beside this file; from dist/ they are read from the sources.
  const here = path.join(__dirname, 'templates');
  return fs.existsSync(here) ? here : path.join(__dirname, '..', '..', 'cards', 'templates');
}

export function loadTemplate(name: string): ACData.Template {
  let template = cache.get(name);
  if (!template) {
    const file = path.join(templateDir(), `${name}.json`);
    template = new ACData.Template(JSON.parse(fs.readFileSync(file, 'utf8')));
    cache.set(name, template);
  }
  return template;
}

export type CardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

export function renderCard(name: string, data: object): CardJson {
  const card = loadTemplate(name).expand({ $root: data }) as CardJson;
  return card;
}

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
