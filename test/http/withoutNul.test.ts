// The door removes U+0000 from every string and key of an activity before a turn: PostgreSQL can
// neither store nor compare it, so a hostile id carrying one must read as "unknown", not fail.
import { withoutNul } from '../../bot/activitySchema';

it.each([
  ['a string', 'CMD-2026-\u00000001', 'CMD-2026-0001'],
  ['a string made of NUL only', '\u0000\u0000', ''],
  ['a clean string (unchanged)', 'Réunion à domicile', 'Réunion à domicile'],
  ['nested values and keys', { value: { action: { data: { 'poll\u0000Id': ['a\u0000', 1, null, true] } } } }, { value: { action: { data: { pollId: ['a', 1, null, true] } } } }],
  ['other control characters (kept)', 'a\tb\u0001c', 'a\tb\u0001c'],
])('%s', (_what, input, expected) => {
  expect(withoutNul(input)).toEqual(expected);
});
