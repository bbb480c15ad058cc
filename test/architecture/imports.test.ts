// Every import of the shipped sources follows the allowed directions of test/architecture/layers.ts.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { LAYERS } from './layers';

const ROOT = path.resolve(__dirname, '../..');

function sourcesOf(folder: string): string[] {
  const dir = path.join(ROOT, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')).map((e) => path.join(e.parentPath, e.name));
}

/** Each import of a file: a project folder ("domain") or an npm package ("botbuilder"). */
export function importsOf(file: string): Array<{ spec: string; folder?: string; pkg?: string }> {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map(({ fileName: spec }) => {
    if (spec.startsWith('.')) {
      const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
      return { spec, folder: target.split(path.sep)[0] };
    }
    if (spec.startsWith('node:')) return { spec };
    const parts = spec.split('/');
    return { spec, pkg: spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
  });
}

const BUILTINS = new Set(require('node:module').builtinModules as string[]);

const violations = (layer: string): string[] => {
  const rules = LAYERS[layer];
  return sourcesOf(layer).flatMap((file) =>
    importsOf(file)
      .filter(({ folder, pkg }) => (folder !== undefined ? !rules.folders.includes(folder) : pkg !== undefined && !BUILTINS.has(pkg) && !rules.packages.includes(pkg)))
      .map(({ spec }) => `${path.relative(ROOT, file)} imports ${spec}`),
  );
};

describe('import directions (README "Architecture")', () => {
  it.each(Object.keys(LAYERS))('%s/ imports only what its layer may', (layer) => {
    expect(sourcesOf(layer).length).toBeGreaterThan(0);
    expect(violations(layer)).toEqual([]);
  });

  it('the check sees a forbidden import', () => {
    const tmp = path.join(ROOT, 'domain', `__probe_${process.pid}.ts`);
    fs.writeFileSync(tmp, "import { TurnContext } from 'botbuilder';\nimport type { Case } from '../models/case';\nexport type X = [TurnContext, Case];\n");
    try {
      expect(violations('domain').filter((v) => v.includes('__probe_'))).toEqual([`domain/__probe_${process.pid}.ts imports botbuilder`, `domain/__probe_${process.pid}.ts imports ../models/case`]);
    } finally {
      fs.rmSync(tmp);
    }
  });

  it('every shipped folder has a layer', () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')) as { include?: string[] };
    const folders = (shipped.include ?? []).map((p) => p.split('/')[0]).filter((f) => !f.includes('.') && !['config', 'tools', 'test'].includes(f));
    expect(folders.filter((f) => !(f in LAYERS))).toEqual([]);
  });
});
