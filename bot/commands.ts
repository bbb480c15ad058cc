// Recognises the typed commands in any of the three languages (synonyms live in the locale files,
// key command.<name>, alternatives separated by "|"), so a Dutch speaker whose Teams is in French
// can still type "hulp". Text after the command word is its argument ("taal nl", "lier dossier CMD-2026-0001").
import { allTranslations } from '../locales/i18n';

export const COMMAND_NAMES = [
  'help',
  'language',
  'newRequest',
  'cancel',
  'myCases',
  'myReminders',
  'myRequests',
  'setCoordination',
  'organisers',
  'linkCase',
  'newPoll',
  'agenda',
  'psi',
  'networkMap',
  'record',
  'export',
  'report',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Commands that take an argument; the others must be typed alone. */
const WITH_ARGUMENT: ReadonlySet<CommandName> = new Set(['language', 'linkCase', 'newPoll', 'agenda', 'psi', 'networkMap', 'record', 'export', 'report']);

export interface Command {
  name: CommandName;
  arg: string;
}

export function normaliseCommandText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[«»"“”!]/g, ' ')
    .replace(/\.$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function synonyms(name: CommandName): string[] {
  return allTranslations(`command.${name}`)
    .flatMap((s) => s.split('|'))
    .map(normaliseCommandText)
    .filter(Boolean);
}

let candidatesOnce: Array<{ name: CommandName; word: string }> | undefined;

/** Every command word of the three languages, longest first so "nouvelle demande" wins over "demande" (made once: the locale files do not change while the bot runs). */
function candidates(): Array<{ name: CommandName; word: string }> {
  candidatesOnce ??= COMMAND_NAMES.flatMap((name) => synonyms(name).map((word) => ({ name, word }))).sort((a, b) => b.word.length - a.word.length);
  return candidatesOnce;
}

export function parseCommand(text: string | undefined): Command | null {
  if (!text) return null;
  const normalised = normaliseCommandText(text);
  if (!normalised) return null;
  for (const { name, word } of candidates()) {
    if (normalised === word) return { name, arg: '' };
    if (WITH_ARGUMENT.has(name) && normalised.startsWith(`${word} `)) {
      // Keep the argument's original spelling (a tracking id, a language code).
      const original = text.trim();
      const arg = original.split(/\s+/).slice(word.split(' ').length).join(' ');
      return { name, arg: arg.trim() };
    }
  }
  return null;
}

/**
 * What a command typed while a question is waiting for its answer (the request sheet) may be. An
 * answer may start with a command word followed by more words ("Carte d'identité périmée…",
 * "Rapport 2024 du médecin…", "Agenda chargé…"): the answer wins, since taking it for a command
 * would lose it. Commands typed alone (aide, annuler…) still work there, and so does a language
 * switch that names a language.
 */
export function commandDuringQuestion(command: Command | null, isLanguage: (arg: string) => boolean): Command | null {
  if (!command || !command.arg) return command;
  return command.name === 'language' && isLanguage(command.arg) ? command : null;
}
