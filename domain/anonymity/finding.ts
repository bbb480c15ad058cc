// What a detector reports: the kind of identifier and where it is, never the text.

export type IdentifierKind = 'niss' | 'idCard' | 'passport' | 'phone' | 'email' | 'iban' | 'birthDate' | 'streetAddress' | 'personalName';

export interface IdentifierFinding {
  kind: IdentifierKind;
  /** UTF-16 offsets in the checked text, end exclusive. */
  start: number;
  end: number;
}

export function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  const r = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  for (let m = r.exec(text); m; m = r.exec(text)) {
    yield m;
    if (m[0] === '') r.lastIndex++;
  }
}
