// Recognises the typed commands in any of the three languages (synonyms live in the locale files),
// so a Dutch speaker whose Teams is in French can still type "hulp".
import { allTranslations } from '../locales/i18n';

export type Command =
  | { name: 'help' }
  | { name: 'language'; arg: string }
  | { name: 'newRequest' }
  | { name: 'cancel' }
  | { name: 'myCases' }
  | { name: 'myReminders' }
  | { name: 'setCoordination' }
  | { name: 'organisers' };

const SIMPLE: Array<Exclude<Command['name'], 'language'>> = ['help', 'newRequest', 'cancel', 'myCases', 'myReminders', 'setCoordination', 'organisers'];

export function normaliseCommandText(text: string): string {
  return text
    .replace(/<at>.*?<\/at>/gi, ' ') // Teams @mention of the bot in group chats and channels
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[«»"“”.!]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function synonyms(key: string): string[] {
  return allTranslations(key).flatMap((s) => s.split('|')).map(normaliseCommandText).filter(Boolean);
}

export function parseCommand(text: string | undefined): Command | null {
  if (!text) return null;
  const normalised = normaliseCommandText(text);
  if (!normalised) return null;
  for (const word of synonyms('command.language')) {
    if (normalised === word || normalised.startsWith(`${word} `)) {
      return { name: 'language', arg: normalised.slice(word.length).trim() };
    }
  }
  for (const name of SIMPLE) {
    if (synonyms(`command.${name}`).includes(normalised)) return { name } as Command;
  }
  return null;
}
