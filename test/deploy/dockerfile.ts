// Reads the repository's Dockerfile and .dockerignore the way Docker does, for the parts this
// project uses (stages, COPY, RUN, ENV, USER, EXPOSE, HEALTHCHECK and CMD in exec form), so a test
// can replay what an image would contain without a Docker engine.
import fs from 'node:fs';
import path from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The name after AS, or null. */
  name: string | null;
  from: string;
  instructions: Instruction[];
}

export interface Copy {
  from: string | null;
  sources: string[];
  dest: string;
}

export interface Dockerfile {
  /** ARG defaults declared before the first FROM. */
  args: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) || (!pending && !line.trim())) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    lines.push((pending + line).trim());
    pending = '';
  }
  const result: Dockerfile = { args: {}, stages: [] };
  for (const line of lines) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      result.stages.push({ name: name ?? null, from: from ?? args, instructions: [] });
    } else if (!result.stages.length) {
      if (upper !== 'ARG') throw new Error(`only ARG may come before the first FROM, found ${keyword}`);
      const [name, value = ''] = args.split('=');
      result.args[name.trim()] = value.trim();
    } else {
      result.stages[result.stages.length - 1].instructions.push({ keyword: upper, args });
    }
  }
  return result;
}

export function stage(file: Dockerfile, name: string): Stage {
  const found = file.stages.find((s) => s.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage named ${name}`);
  return found;
}

export function all(s: Stage, keyword: string): string[] {
  return s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

export function last(s: Stage, keyword: string): string | undefined {
  return all(s, keyword).at(-1);
}

export function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  let from: string | null = null;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
  }
  if (words[0]?.startsWith('[')) throw new Error('COPY in JSON form is not replayed by this test');
  return { from, sources: words.slice(0, -1), dest: words.at(-1)! };
}

export function copies(s: Stage): Copy[] {
  return all(s, 'COPY').map(parseCopy);
}

/** ENV KEY=value pairs (values without spaces, as this project writes them). */
export function env(s: Stage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const args of all(s, 'ENV')) {
    for (const pair of args.split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`ENV "${args}" is not in KEY=value form`);
      out[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"(.*)"$/, '$1');
    }
  }
  return out;
}

/** The exec form of CMD (or of HEALTHCHECK's CMD): a JSON array of strings. */
export function execForm(args: string): string[] {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed as string[];
}

export function healthcheck(s: Stage): { options: Record<string, string>; command: string[] } {
  const args = last(s, 'HEALTHCHECK');
  if (!args) throw new Error(`stage ${s.name} has no HEALTHCHECK`);
  const [, optionText, command] = /^((?:--\S+\s+)*)CMD\s+(.*)$/.exec(args) ?? [];
  if (command === undefined) throw new Error(`HEALTHCHECK is not "[options] CMD [...]": ${args}`);
  const options: Record<string, string> = {};
  for (const o of optionText.trim().split(/\s+/).filter(Boolean)) {
    const [k, v] = o.slice(2).split('=');
    options[k] = v;
  }
  return { options, command: execForm(command) };
}

/** .dockerignore as Docker reads it: the last pattern that matches a path (or a folder above it) decides. */
export function dockerignore(root: string): (relPath: string) => boolean {
  const file = path.join(root, '.dockerignore');
  const rules = fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => {
          const negate = l.startsWith('!');
          const pattern = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, ''));
          const source = pattern
            .split('**')
            .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
            .join('.*');
          return { negate, regex: new RegExp(`^${source}$`) };
        })
    : [];
  return (relPath) => {
    const parts = relPath.split('/');
    let ignored = false;
    for (const rule of rules) {
      for (let i = 1; i <= parts.length; i++) {
        if (rule.regex.test(parts.slice(0, i).join('/'))) {
          ignored = !rule.negate;
          break;
        }
      }
    }
    return ignored;
  };
}
