/**
 * A value typed in a card or a form, as text: strings trimmed and cut to `max` characters, numbers
 * and booleans as written, anything else (absent, an object from a forged card) empty. Cards send
 * what the client sends: nothing about its type or length can be assumed.
 */
export function inputText(v: unknown, max = 500): string {
  if (typeof v === 'string') return v.trim().slice(0, max);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}
