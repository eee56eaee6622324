/** writeDirectoryAtomic: no staging or previous directory is left on any outcome; file-system errors are user errors. */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDirectoryAtomic } from '../../cli/emit/output-dir.js';
import { UserError } from '../../cli/lib/errors.js';

const RENDER = new Map([
  ['manifest.json', '{"kind":"RenderManifest","files":[]}'],
  ['a.txt', 'new'],
]);
const fresh = () => mkdtempSync(join(tmpdir(), 'installctl-output-dir-'));

describe('writeDirectoryAtomic', () => {
  it('removes the replaced directory after the swap, also when it holds read-only directories', () => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeDirectoryAtomic(out, RENDER);
    mkdirSync(join(out, 'cache', 'pkg'), { recursive: true });
    writeFileSync(join(out, 'cache', 'pkg', 'f'), 'x');
    chmodSync(join(out, 'cache', 'pkg'), 0o555);
    chmodSync(join(out, 'cache'), 0o555);
    expect(writeDirectoryAtomic(out, RENDER)).toEqual({ remaining: [] });
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it.each([
    ['a rendered path that escapes', new Map([['../x', 'x']]), undefined],
    [
      'a carry-over that fails',
      RENDER,
      () => {
        throw new UserError('x', { code: 'RENDER_CARRY_OVER_FAILED' });
      },
    ],
    [
      'a carry-over that fails after making read-only directories',
      RENDER,
      (staging: string) => {
        mkdirSync(join(staging, 'ro', 'sub'), { recursive: true });
        chmodSync(join(staging, 'ro', 'sub'), 0o555);
        chmodSync(join(staging, 'ro'), 0o555);
        throw new Error('boom');
      },
    ],
  ])('%s: the earlier output stays, nothing is left beside it', (_name, files, beforeSwap) => {
    const parent = fresh();
    const out = join(parent, 'out');
    writeDirectoryAtomic(
      out,
      new Map([
        ['manifest.json', '{"kind":"RenderManifest","files":[]}'],
        ['a.txt', 'old'],
      ]),
    );
    expect(() => writeDirectoryAtomic(out, files, beforeSwap)).toThrow();
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('old');
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it.each([
    [
      'DIR appears while the first render writes (another render made it)',
      false,
      (out: string) => () => {
        mkdirSync(out);
        writeFileSync(join(out, 'theirs'), 'x');
      },
    ],
    [
      'DIR disappears while a re-render writes (another render moved it)',
      true,
      (out: string) => () => {
        renameSync(out, `${out}.elsewhere`);
      },
    ],
  ])('%s: RENDER_OUT_BUSY, no staging left', (_name, existing, race) => {
    const parent = fresh();
    const out = join(parent, 'out');
    if (existing) writeDirectoryAtomic(out, RENDER);
    let error: unknown;
    try {
      writeDirectoryAtomic(out, RENDER, race(out));
    } catch (caught) {
      error = caught;
    }
    expect((error as UserError).code).toBe('RENDER_OUT_BUSY');
    expect(readdirSync(parent).filter((name) => name.includes('.installctl-'))).toEqual([]);
  });

  it('turns a file where a directory should be into OUTPUT_NOT_WRITABLE', () => {
    const parent = fresh();
    writeFileSync(join(parent, 'file'), 'x');
    let error: unknown;
    try {
      writeDirectoryAtomic(join(parent, 'file', 'out'), RENDER);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('OUTPUT_NOT_WRITABLE');
    expect(readdirSync(parent)).toEqual(['file']);
  });
});
