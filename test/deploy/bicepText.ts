// A reader of the Bicep this project writes, for checks that need no Bicep compiler: declarations
// (param, var, resource, module, output), object blocks and their keys, bracket balance. It is not
// a compiler: it knows nothing of types, functions or Azure's resource schemas.
import fs from 'node:fs';
import path from 'node:path';

export interface Param {
  name: string;
  type: string;
  hasDefault: boolean;
  decorators: string;
}

export interface BicepFile {
  file: string;
  text: string;
  /** The text with comments and string contents blanked out (same offsets), for structure searches. */
  code: string;
}

export function readBicep(file: string): BicepFile {
  const text = fs.readFileSync(file, 'utf8');
  return { file, text, code: blankStringsAndComments(text) };
}

/** Comments and the inside of strings become spaces (interpolations stay code); offsets are kept. */
export function blankStringsAndComments(text: string): string {
  const out = text.split('');
  const stack: Array<'string' | 'interp'> = [];
  let depthInInterp: number[] = [];
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < text.length) {
    const inString = stack.at(-1) === 'string';
    if (inString) {
      if (text[i] === '\\') {
        blank(i, i + 2);
        i += 2;
      } else if (text.startsWith('${', i)) {
        stack.push('interp');
        depthInInterp.push(0);
        i += 2;
      } else if (text[i] === "'") {
        stack.pop();
        i += 1;
      } else {
        blank(i, i + 1);
        i += 1;
      }
      continue;
    }
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      if (end < 0) throw new Error('unterminated multi-line string');
      blank(i + 3, end);
      i = end + 3;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      blank(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated block comment');
      blank(i, end + 2);
      i = end + 2;
    } else if (text[i] === "'") {
      stack.push('string');
      i += 1;
    } else if (stack.at(-1) === 'interp' && text[i] === '}' && depthInInterp.at(-1) === 0) {
      stack.pop();
      depthInInterp = depthInInterp.slice(0, -1);
      i += 1;
    } else {
      if (stack.at(-1) === 'interp') {
        if (text[i] === '{') depthInInterp[depthInInterp.length - 1]++;
        if (text[i] === '}') depthInInterp[depthInInterp.length - 1]--;
      }
      i += 1;
    }
  }
  if (stack.length) throw new Error('unterminated string or interpolation');
  return out.join('');
}

/** Brackets that do not pair up, as "line N: ..." messages (empty when balanced). */
export function bracketProblems(f: BicepFile): string[] {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: Array<{ ch: string; at: number }> = [];
  const problems: string[] = [];
  const line = (at: number) => f.code.slice(0, at).split('\n').length;
  for (let i = 0; i < f.code.length; i++) {
    const ch = f.code[i];
    if ('([{'.includes(ch)) stack.push({ ch, at: i });
    else if (ch in pairs) {
      const open = stack.pop();
      if (!open || open.ch !== pairs[ch]) problems.push(`line ${line(i)}: "${ch}" closes ${open ? `"${open.ch}" of line ${line(open.at)}` : 'nothing'}`);
    }
  }
  for (const open of stack) problems.push(`line ${line(open.at)}: "${open.ch}" never closed`);
  return problems;
}

/** The text of the block opened by the bracket at `open` (brackets included). */
export function blockAt(f: BicepFile, open: number): string {
  let depth = 0;
  for (let i = open; i < f.code.length; i++) {
    if ('([{'.includes(f.code[i])) depth++;
    else if (')]}'.includes(f.code[i]) && --depth === 0) return f.text.slice(open, i + 1);
  }
  throw new Error(`${path.basename(f.file)}: block at ${open} never closes`);
}

/** Keys of an object block at its first level (`{ a: 1, b: { c: 2 } }` → a, b). */
export function topLevelKeys(block: string): string[] {
  const code = blankStringsAndComments(block);
  const keys: string[] = [];
  let depth = 0;
  let lineStart = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '\n') lineStart = i + 1;
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ':' && depth === 1) {
      const key = block.slice(lineStart, i).trim();
      if (/^([A-Za-z_]\w*|'[^']*')$/.test(key)) keys.push(key.replace(/^'(.*)'$/, '$1'));
    }
  }
  return keys;
}

/** The object block that follows the first match of `start` (e.g. /^var botSettings =/). */
export function objectAfter(f: BicepFile, start: RegExp): string | null {
  const m = new RegExp(start.source, 'm').exec(f.code);
  if (!m) return null;
  const brace = f.code.indexOf('{', m.index + m[0].length);
  return brace < 0 ? null : blockAt(f, brace);
}

export function params(f: BicepFile): Param[] {
  const out: Param[] = [];
  const lines = f.text.split('\n');
  const codeLines = f.code.split('\n');
  let decorators = '';
  let open = 0;
  for (let n = 0; n < lines.length; n++) {
    const code = codeLines[n].trim();
    if (open > 0 || code.startsWith('@')) {
      decorators += `${lines[n].trim()}\n`;
      for (const ch of code) open += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
      continue;
    }
    const m = /^param\s+(\w+)\s+(\w+)(\s*=)?/.exec(code);
    if (m) out.push({ name: m[1], type: m[2], hasDefault: Boolean(m[3]), decorators });
    if (code) decorators = '';
  }
  return out;
}

export function resources(f: BicepFile): Array<{ symbol: string; type: string; apiVersion: string; existing: boolean }> {
  return [...f.text.matchAll(/^\s*resource\s+(\w+)\s+'([^'@]+)@([^']+)'(\s+existing)?/gm)].map((m) => ({
    symbol: m[1],
    type: m[2],
    apiVersion: m[3],
    existing: Boolean(m[4]),
  }));
}

export function modules(f: BicepFile): Array<{ symbol: string; path: string; params: string[] }> {
  return [...f.text.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=/gm)].map((m) => {
    const body = blockAt(f, f.code.indexOf('{', m.index! + m[0].length));
    const paramsAt = blankStringsAndComments(body).search(/^\s*params\s*:/m);
    const inner = paramsAt < 0 ? '{}' : blockAt(readText(body), body.indexOf('{', paramsAt));
    return { symbol: m[1], path: m[2], params: topLevelKeys(inner) };
  });
}

function readText(text: string): BicepFile {
  return { file: '(block)', text, code: blankStringsAndComments(text) };
}
