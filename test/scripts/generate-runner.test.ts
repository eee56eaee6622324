/**
 * scripts/generate.mjs runs every generator of the repository (npm run generate [--check]): each is one
 * entry of GENERATORS, and two generators may own sections of one file (README.md) because each reads
 * the file as the ones before it left it. A file in cli/generated/ that no generator produces is stale
 * under --check, and removed by a write when it carries the DO-NOT-EDIT header.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/cli.js';
// @ts-expect-error -- plain ESM build script without type declarations
import { GENERATED_HEADER, GENERATORS, applyGenerated, generateFiles } from '../../scripts/generate.mjs';

type Read = (path: string) => string;
interface Generator {
  name: string;
  files: (read: Read) => Promise<Record<string, string>>;
}

describe('npm run generate', () => {
  it('runs the schema, README support-matrix and chart README generators', () => {
    expect((GENERATORS as Generator[]).map((generator) => generator.name)).toEqual([
      expect.stringContaining('cli/generated/'),
      expect.stringContaining('support-matrix grid in README.md'),
      expect.stringContaining('chart README.md'),
    ]);
  });

  it('gives a generator the file as the generators before it left it', async () => {
    const section = (name: string): Generator => ({ name, files: async (read) => ({ 'README.md': read('README.md').replace('## Development', `## Development (${name})`) }) });
    const files: Record<string, string> = await generateFiles([section('first'), section('second')]);
    expect(Object.keys(files)).toEqual(['README.md']);
    expect(files['README.md']).toContain('## Development (second) (first)');
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).not.toContain('(first)');
  });

  it('the READMEs hold what their generators make (the check CI runs)', async () => {
    const [, matrix, charts] = GENERATORS as Generator[];
    const read: Read = (path) => readFileSync(join(REPO, path), 'utf8');
    for (const generator of [matrix!, charts!]) {
      for (const [path, content] of Object.entries(await generator.files(read))) expect(content, `${path} is stale: run npm run generate`).toBe(read(path));
    }
  }, 30_000);
});

describe('npm run generate: files no generator produces', () => {
  const generated = `${GENERATED_HEADER}schemas/install.schema.json by scripts/generate.mjs (npm run generate).\nexport type A = 1;\n`;
  /** A repository whose cli/generated/ holds the one produced file, a leftover of a removed schema and a hand-written file. */
  function repoWithLeftovers(): string {
    const base = mkdtempSync(join(tmpdir(), 'installctl-generate-'));
    mkdirSync(join(base, 'cli', 'generated', 'old'), { recursive: true });
    writeFileSync(join(base, 'cli', 'generated', 'install-spec.ts'), generated);
    writeFileSync(join(base, 'cli', 'generated', 'old', 'removed-schema.validator.ts'), generated.replace('install', 'removed'));
    writeFileSync(join(base, 'cli', 'generated', 'notes.ts'), '// mine\n');
    return base;
  }
  const files = { 'cli/generated/install-spec.ts': generated, 'README.md': '# up to date\n' };

  it('--check names each of them as stale, with what differs, and writes nothing', () => {
    const base = repoWithLeftovers();
    expect(applyGenerated(files, { check: true, base })).toEqual({
      stale: ['README.md', 'cli/generated/notes.ts (no generator produces it)', 'cli/generated/old/removed-schema.validator.ts (no generator produces it)'],
      written: [],
      removed: [],
      kept: [],
    });
    expect(existsSync(join(base, 'README.md'))).toBe(false);
    expect(existsSync(join(base, 'cli', 'generated', 'old', 'removed-schema.validator.ts'))).toBe(true);
  });

  it('a write removes the leftover with the DO-NOT-EDIT header and keeps a file without it', () => {
    const base = repoWithLeftovers();
    expect(applyGenerated(files, { check: false, base })).toEqual({
      stale: [],
      written: ['README.md'],
      removed: ['cli/generated/old/removed-schema.validator.ts'],
      kept: ['cli/generated/notes.ts'],
    });
    expect(existsSync(join(base, 'cli', 'generated', 'old', 'removed-schema.validator.ts'))).toBe(false);
    expect(readFileSync(join(base, 'cli', 'generated', 'notes.ts'), 'utf8')).toBe('// mine\n');
    expect(applyGenerated(files, { check: true, base }).stale).toEqual(['cli/generated/notes.ts (no generator produces it)']);
  });

  it('a missing cli/generated/ has no leftovers', () => {
    const base = mkdtempSync(join(tmpdir(), 'installctl-generate-'));
    expect(applyGenerated({}, { check: true, base })).toEqual({ stale: [], written: [], removed: [], kept: [] });
  });
});
