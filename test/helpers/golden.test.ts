/** The golden helper: byte-for-byte, a missing golden fails, an update run writes and still fails. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO } from './cli.js';
import { expectGolden, expectSameAsGolden } from './golden.js';

const dir = () => mkdtempSync(join(tmpdir(), 'installctl-golden-'));

function thrown(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('expectGolden', () => {
  it('passes on the same bytes and writes nothing', () => {
    const file = join(dir(), 'same.txt');
    writeFileSync(file, 'a\nb\n');
    expect(() => expectGolden(file, 'a\nb\n')).not.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
  });

  it('fails on any difference, a trailing newline included, with a diff and the update hint', () => {
    const file = join(dir(), 'other.txt');
    writeFileSync(file, 'a\nb\n');
    expect(() => expectGolden(file, 'a\nb')).toThrow(/differs from the golden .*UPDATE_GOLDEN=1/);
    // The reporter shows the diff from the assertion's actual and expected.
    const error = thrown(() => expectGolden(file, 'a\nc\n'));
    expect(error).toMatchObject({ actual: 'a\nc\n', expected: 'a\nb\n' });
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
  });

  it('fails when the golden bytes are not the UTF-8 of the output, even if they decode to it', () => {
    const file = join(dir(), 'latin1.txt');
    writeFileSync(file, Buffer.from([0x61, 0xff]));
    expect(() => expectGolden(file, 'a\ufffd')).toThrow(/not the UTF-8 of the output/);
  });

  it('fails when the golden is missing, without creating it', () => {
    const file = join(dir(), 'missing.txt');
    expect(() => expectGolden(file, 'x')).toThrow(/no golden file .*UPDATE_GOLDEN=1/);
    expect(existsSync(file)).toBe(false);
  });

  it('with UPDATE_GOLDEN=1 writes the golden (folders too) and still fails', () => {
    vi.stubEnv('UPDATE_GOLDEN', '1');
    const file = join(dir(), 'new', 'golden.txt');
    expect(() => expectGolden(file, 'fresh\n')).toThrow(/UPDATE_GOLDEN=1 wrote .*an update run always fails/);
    expect(readFileSync(file, 'utf8')).toBe('fresh\n');
    // Unchanged content fails too: an update run never passes.
    expect(() => expectGolden(file, 'fresh\n')).toThrow(/UPDATE_GOLDEN=1 wrote/);
  });

  it('only UPDATE_GOLDEN=1 updates: another value compares as usual', () => {
    vi.stubEnv('UPDATE_GOLDEN', 'true');
    const file = join(dir(), 'kept.txt');
    writeFileSync(file, 'kept\n');
    expect(() => expectGolden(file, 'changed\n')).toThrow(/differs from the golden/);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
  });
});

describe('expectSameAsGolden', () => {
  it('compares with a golden another case owns and never writes it, even with UPDATE_GOLDEN=1', () => {
    vi.stubEnv('UPDATE_GOLDEN', '1');
    const file = join(dir(), 'shared.txt');
    writeFileSync(file, 'shared\n');
    expect(() => expectSameAsGolden(file, 'shared\n')).not.toThrow();
    expect(() => expectSameAsGolden(file, 'mine\n', 'aws/github/x/y')).toThrow(/aws\/github\/x\/y: differs from the golden/);
    expect(readFileSync(file, 'utf8')).toBe('shared\n');
    expect(() => expectSameAsGolden(join(dir(), 'none.txt'), 'x')).toThrow(/no golden file/);
  });
});

describe('the one golden mechanism', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name.startsWith('golden') ? [] : sources(path);
      return /\.(ts|mjs)$/.test(name) ? [relative(REPO, path)] : [];
    });
  }

  it('no other test file reads UPDATE_GOLDEN or keeps vitest snapshots', () => {
    const own = ['test/helpers/golden.ts', 'test/helpers/golden.test.ts'];
    const others = sources(join(REPO, 'test')).filter(
      (file) => !own.includes(file) && /env(\.UPDATE_GOLDEN|\[['"]UPDATE_GOLDEN)|toMatch(File|Inline)?Snapshot\(/.test(readFileSync(join(REPO, file), 'utf8')),
    );
    expect(others).toEqual([]);
  });
});
