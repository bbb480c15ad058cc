// What the requester typed or picked, read as the answer to one question of the sheet.
// No botbuilder import: parsing an answer is a pure function, tested as a table.
import { findIdentifiers, IdentifierKind, wordPosition } from '../domain/anonymity';
import { matchCommune } from '../domain/communes';
import { allTranslations, Locale, t, tn } from '../locales/i18n';
import { communeName, Draft, FieldDef, isOptional } from './requestFields';

export type ParseResult =
  | { ok: true; patch: Array<[string, unknown]>; notice?: { key: string; params?: Record<string, string> } }
  /** `params.count`: the error is a counted phrase (its key has plural forms). */
  | { ok: false; error: string; params?: Record<string, string | number> };

/** What the requester reads for a refused answer; an identifier found is introduced by the anonymity reminder. */
export function refusalText(locale: Locale, error: string, params: Record<string, string | number> = {}): string {
  const text = typeof params.count === 'number' ? tn(locale, error, params.count, params) : t(locale, error, params);
  return error.startsWith('anonymity.') ? `${t(locale, 'anonymity.lead')} ${text}` : text;
}

export function normalise(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[«»"“”]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words a locale key lists ("oui|ja|yes"), normalised, in every language. */
export const localeWords = (key: string): string[] => allTranslations(key).flatMap((s) => s.split('|')).map(normalise);

export const isSkip = (text: string): boolean => localeWords('request.skipWords').includes(normalise(text));

/**
 * "Bonjour", "Hallo!", "bonjour, je reviens pour ma demande": someone coming back, not an answer.
 * A greeting followed by more text counts only when punctuation sets it apart and little follows,
 * so an answer such as "dag en nacht zorg nodig" is not mistaken for one.
 */
export function isGreeting(text: string): boolean {
  const n = normalise(text);
  const bare = n.replace(/[!?.,;:…]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!bare) return false;
  const greetings = localeWords('request.greetingWords');
  if (greetings.includes(bare)) return true;
  return greetings.some((w) => n.startsWith(w) && /^\s*[!,.;:…]/.test(n.slice(w.length)) && bare.split(' ').length <= w.split(' ').length + 6);
}

function matchChoice(f: FieldDef, raw: string): string | null {
  const n = normalise(raw).replace(/[.)]$/, '');
  const values = f.values ?? [];
  if (/^\d+$/.test(n)) return values[Number(n) - 1] ?? null;
  for (const v of values) {
    if (normalise(v) === n) return v;
    if (localeWords(`request.choice.${f.choices}.${v}`).includes(n)) return v;
  }
  return null;
}

/** The first identifier found: its kind and where it is (word n of m), never its text. */
function anonymityProblem(text: string): { kind: IdentifierKind; word: number; words: number } | null {
  const found = findIdentifiers(text);
  return found.length ? { kind: found[0].kind, ...wordPosition(text, found[0]) } : null;
}

/** "et" / "en" / "and": words that join list items, in the requester's language (all three when unknown). */
function conjunctions(locale?: Locale): string[] {
  const lists = locale ? [t(locale, 'request.listWords')] : allTranslations('request.listWords');
  return lists.flatMap((s) => s.split('|')).map((w) => w.trim()).filter(Boolean);
}

const splitOnWords = (text: string, ws: string[]): string[] =>
  ws.length ? text.split(new RegExp(`\\s+(?:${ws.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\s+`, 'iu')) : [text];

const APPROXIMATE_AGE =
  /^(?:environ|env\.?|a peu pres|ca\.?|circa|ongeveer|ong\.?|rond de|about|around|approx\.?|approximately|±|~|\+\/-|\+-)?\s*(\d{1,4})\s*(?:ans?|jaar|years?|yrs?|y)?(?:\s+(?:environ|oud|old))?$/;

/**
 * Reads what the requester typed (or picked on a card) for one question. `locale` is the
 * requester's language: it decides which word joins list items ("et" is not split in Dutch, "en"
 * not in French, where "infirmière en psychiatrie" is one role).
 */
export function parseAnswer(f: FieldDef, raw: string, d: Draft, locale?: Locale): ParseResult {
  const text = raw.trim();
  if (!text && f.kind === 'multi') {
    // A card submitted with nothing ticked.
    if ((f.minItems ?? 0) === 0) return { ok: true, patch: [[f.id, Object.fromEntries((f.values ?? []).map((v) => [v, false]))]] };
    return { ok: false, error: 'request.error.multiMin', params: { count: f.minItems ?? 1 } };
  }
  if (!text) return { ok: false, error: 'request.error.required' };
  if (isSkip(text)) {
    if (isOptional(f, d) || (f.kind === 'multi' && (f.minItems ?? 0) === 0)) {
      return { ok: true, patch: [[f.id, f.kind === 'multi' ? Object.fromEntries((f.values ?? []).map((v) => [v, false])) : '']] };
    }
    return { ok: false, error: 'request.error.notSkippable' };
  }
  if (f.anonymous) {
    const problem = anonymityProblem(text);
    if (problem) return { ok: false, error: `anonymity.${problem.kind}`, params: { word: problem.word, words: problem.words } };
  }
  switch (f.kind) {
    case 'text':
      if (text.length < (f.minLength ?? 1)) return { ok: false, error: 'request.error.tooShort', params: { min: f.minLength ?? 1 } };
      if (text.length > 2000) return { ok: false, error: 'request.error.tooLong', params: { max: 2000 } };
      return { ok: true, patch: [[f.id, text]] };
    case 'phone': {
      const digits = text.replace(/[\s./()-]/g, '');
      if (!/^\+?\d{8,15}$/.test(digits)) return { ok: false, error: 'request.error.phone' };
      return { ok: true, patch: [[f.id, text]] };
    }
    case 'email':
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(text)) return { ok: false, error: 'request.error.email' };
      return { ok: true, patch: [[f.id, text.toLowerCase()]] };
    case 'age': {
      if (localeWords('request.unknownWords').includes(normalise(text))) return { ok: true, patch: [[f.id, null]] };
      const m = APPROXIMATE_AGE.exec(normalise(text));
      if (!m) return { ok: false, error: 'request.error.age' };
      const n = Number(m[1]);
      if (n >= 1900) return { ok: false, error: 'request.error.ageLooksLikeYear' };
      if (n > 120) return { ok: false, error: 'request.error.age' };
      return { ok: true, patch: [[f.id, n]] };
    }
    case 'choice': {
      const v = matchChoice(f, text);
      if (v === null) return { ok: false, error: 'request.error.choice' };
      return { ok: true, patch: [[f.id, f.asBoolean ? v === 'yes' : v]] };
    }
    case 'multi': {
      // A whole label first (it may contain "et"), then items split on , ; / + and on "et"/"en"/"and".
      const picked = new Set<string>();
      for (const part of text.split(/\s*[,;/+\n]\s*/).filter(Boolean)) {
        const whole = matchChoice(f, part);
        if (whole !== null) {
          picked.add(whole);
          continue;
        }
        for (const item of splitOnWords(part, conjunctions()).filter(Boolean)) {
          const v = matchChoice(f, item);
          if (v === null) return { ok: false, error: 'request.error.multi' };
          picked.add(v);
        }
      }
      if (picked.size < (f.minItems ?? 0)) return { ok: false, error: 'request.error.multiMin', params: { count: f.minItems ?? 0 } };
      return { ok: true, patch: [[f.id, Object.fromEntries((f.values ?? []).map((v) => [v, picked.has(v)]))]] };
    }
    case 'commune': {
      const m = matchCommune(text);
      if (m.status === 'match') return { ok: true, patch: [[f.id, m.commune.id], ['person.outsideRegion', false]] };
      if (m.status === 'ambiguous') {
        return { ok: false, error: 'request.error.communeAmbiguous', params: { candidates: m.candidates.map(communeName).join(' / ') } };
      }
      if (m.status === 'outside') {
        const place = m.place ? `${m.place.nameFr} / ${m.place.nameNl}` : m.postcode ?? text;
        return { ok: true, patch: [[f.id, null], ['person.outsideRegion', true]], notice: { key: 'request.communeOutside', params: { place } } };
      }
      return { ok: false, error: 'request.error.communeUnknown' };
    }
    case 'roles': {
      const roles = text
        .split(/\s*[,;\n]\s*/)
        .flatMap((part) => splitOnWords(part, conjunctions(locale)))
        .map((r) => r.trim().replace(/[.]$/, ''))
        .filter((r) => r.length > 0);
      if (roles.length < (f.minItems ?? 0)) return { ok: false, error: 'request.error.rolesTooFew', params: { min: f.minItems ?? 0 } };
      return { ok: true, patch: [[f.id, roles.map((role) => ({ role }))]] };
    }
  }
}
