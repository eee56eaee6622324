/**
 * scripts/generate.mjs runs every generator of the repository (npm run generate [--check]): each is one
 * entry of GENERATORS, and two generators may own sections of one file (README.md) because each reads
 * the file as the ones before it left it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/cli.js';
// @ts-expect-error -- plain ESM build script without type declarations
import { GENERATORS, generateFiles } from '../../scripts/generate.mjs';

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
