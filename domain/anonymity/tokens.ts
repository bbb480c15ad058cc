// The words of a text with what the name finder needs to know about each (case, sentence start, what is between).
import { fold } from './gazetteer';

export interface Token {
  /** The word without an elided article ("l'infirmière" → "infirmière"); "d'Hondt" keeps d'. */
  core: string;
  start: number;
  end: number;
  key: string;
  titleCase: boolean;
  capitals: boolean;
  /** First word of the text, or after . ! ? : ; a new line, a bullet or an opening quote. */
  sentenceStart: boolean;
  /** Only blanks between the previous word and this one. */
  joined: boolean;
  /** What stands between the previous word and this one. */
  gap: string;
}

const WORD = /\p{L}[\p{L}\p{M}'’-]*/gu;
// Not "(": "la patiente (Vandamme)" goes on the same sentence.
const SENTENCE_BREAK = /[.!?:;\n•*«"“–—|]/;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let prevEnd = 0;
  for (const m of text.matchAll(WORD)) {
    let word = m[0].replace(/[-'’]+$/u, '');
    let start = m.index;
    const elided = /^[lLjJsScCmMtTnN]['’](?=\p{L})/u.exec(word);
    // "l'infirmière", "n'a": an elided article or pronoun; "N'Diaye" (capital after) is a name.
    if (elided && !/^[nN]['’]\p{Lu}/u.test(word)) {
      word = word.slice(2);
      start += 2;
    }
    const gap = text.slice(prevEnd, m.index);
    const bare = word.replace(/^[dD]['’]/u, '');
    out.push({
      core: word,
      start,
      end: start + word.length,
      key: fold(word),
      titleCase: /^(?:[dD]['’])?(?:\p{Lu}['’])?\p{Lu}\p{Ll}/u.test(word),
      capitals: /^\p{Lu}[\p{Lu}'’-]+$/u.test(bare) && /\p{Lu}{2}/u.test(bare),
      // After an initial ("J. Dupont", "M. Dupont") the dot does not end a sentence.
      sentenceStart: out.length === 0 ? !/\S/.test(gap) || SENTENCE_BREAK.test(gap) : SENTENCE_BREAK.test(gap) && !(/^\p{Lu}$/u.test(out[out.length - 1].core) && /^\.\s*$/.test(gap)),
      joined: out.length > 0 && /^[ \t\u00a0]+$/.test(gap),
      gap,
    });
    prevEnd = m.index + m[0].length;
  }
  return out;
}
