/** bundle keygen's files: missing parent directories created owner-only, unwritable places are user errors, no half pair left. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeys } from '../../cli/bundle/keys.js';
import { userErrorCode } from '../helpers/user-error.js';
const codeOf = (run: () => void) => userErrorCode(run, 2);

const fresh = () => mkdtempSync(join(tmpdir(), 'installctl-keygen-'));
const mode = (path: string) => statSync(path).mode & 0o7777;

describe('generateKeys', () => {
  it.each([['keys/release'], ['a/b/c/release']])('creates the missing parents of %s owner-only (0700)', (prefix) => {
    const dir = fresh();
    const keys = generateKeys(join(dir, prefix));
    expect(mode(keys.privateKey)).toBe(0o600);
    expect(existsSync(keys.publicKey)).toBe(true);
    let at = join(dir, prefix, '..');
    while (at !== dir) {
      expect(mode(at), at).toBe(0o700);
      at = join(at, '..');
    }
  });

  it('leaves the mode of an existing parent directory alone', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'keys'), { mode: 0o755 });
    generateKeys(join(dir, 'keys', 'release'));
    expect(mode(join(dir, 'keys'))).toBe(0o755);
  });

  it.each([
    [
      'a parent that is a file',
      (dir: string) => {
        writeFileSync(join(dir, 'keys'), 'x');
        return join(dir, 'keys', 'release');
      },
    ],
    ['a file name too long', (dir: string) => join(dir, 'k'.repeat(300))],
  ])('%s: OUTPUT_NOT_WRITABLE, nothing written', (_name, setup) => {
    const dir = fresh();
    const prefix = setup(dir);
    const before = readdirSync(dir);
    expect(codeOf(() => generateKeys(prefix))).toBe('OUTPUT_NOT_WRITABLE');
    expect(readdirSync(dir)).toEqual(before);
  });

  it('leaves no lone public key when the private key cannot be written', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'release.key'));
    expect(codeOf(() => generateKeys(join(dir, 'release'), true))).toBe('OUTPUT_NOT_WRITABLE');
    expect(readdirSync(dir)).toEqual(['release.key']);
  });
});

describe('generateKeys --force that cannot finish', () => {
  it('leaves the earlier pair as it was: never a new .pub beside an old .key', () => {
    const dir = fresh();
    const prefix = join(dir, 'release');
    writeFileSync(`${prefix}.pub`, 'the earlier public key');
    mkdirSync(`${prefix}.key`); // the private key cannot take its name
    expect(codeOf(() => generateKeys(prefix, true))).toBe('OUTPUT_NOT_WRITABLE');
    expect(readFileSync(`${prefix}.pub`, 'utf8')).toBe('the earlier public key');
    expect(readdirSync(dir).sort()).toEqual(['release.key', 'release.pub']);
  });
});
