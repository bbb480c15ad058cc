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

/**
 * Commands that take an argument, and the shape it must have; the others must be typed alone. An
 * answer in a conversation may start with a command word ("Carte d'identité périmée…", "Rapport du
 * médecin…", "Agenda chargé…"): it is a command only when what follows looks like its argument — a
 * tracking id ("CMD-…", or its digits), dates (they start with a digit), one language word.
 */
const TRACKING_ID = /^(cmd|\d)/;
const accessWords = (): string[] => allTranslations('psi.accessWord').flatMap((s) => s.split('|')).map(normaliseCommandText).filter(Boolean);
const ARGUMENT_SHAPES: Partial<Record<CommandName, (normalisedArg: string) => boolean>> = {
  language: (a) => !a.includes(' '),
  linkCase: (a) => TRACKING_ID.test(a),
  newPoll: (a) => TRACKING_ID.test(a),
  agenda: (a) => TRACKING_ID.test(a),
  psi: (a) => TRACKING_ID.test(a) || accessWords().some((w) => a === w || a.startsWith(`${w} `)),
  networkMap: (a) => TRACKING_ID.test(a),
  record: (a) => TRACKING_ID.test(a),
  export: (a) => /^\d/.test(a),
  report: (a) => /^\d/.test(a),
};

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
    const shape = ARGUMENT_SHAPES[name];
    if (shape && normalised.startsWith(`${word} `) && shape(normalised.slice(word.length + 1))) {
      // Keep the argument's original spelling (a tracking id, a language code).
      const original = text.trim();
      const arg = original.split(/\s+/).slice(word.split(' ').length).join(' ');
      return { name, arg: arg.trim() };
    }
  }
  return null;
}
