// Cards are JSON templates (adaptivecards-templating) filled with data; no card JSON in code.
import * as ACData from 'adaptivecards-templating';
import { TemplateName, TEMPLATES } from './templates';

export const CARD_VERSION = '1.5';
/** Teams refuses messages above ~80 KB (attachments included); keep a margin for the envelope. */
export const MAX_CARD_BYTES = 70 * 1024;

const cache = new Map<string, ACData.Template>();

export function loadTemplate(name: TemplateName): ACData.Template {
  let template = cache.get(name);
  if (!template) {
    template = new ACData.Template(structuredClone(TEMPLATES[name]));
    cache.set(name, template);
  }
  return template;
}

export type CardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

export function renderCard(name: TemplateName, data: object): CardJson {
  const card = loadTemplate(name).expand({ $root: data }) as CardJson;
  return card;
}

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
