import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstInvalidUtf8, MAX_SPEC_BYTES, readSpecFile } from '../../cli/install-spec/read-file.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-read-'));
});

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readSpecFile', () => {
  it('reads UTF-8 text and drops a byte-order mark', () => {
    const result = readSpecFile(write('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('kind: Install\n')])));
    expect(result).toEqual({ ok: true, text: 'kind: Install\n' });
  });

  it.each([
    ['missing file', () => join(dir, 'nope.yaml'), 'FILE_NOT_FOUND', 'unreadable'],
    ['directory', () => (mkdirSync(join(dir, 'a-dir'), { recursive: true }), join(dir, 'a-dir')), 'FILE_IS_DIRECTORY', 'unreadable'],
    ['file over 1 MiB', () => write('big.yaml', 'a'.repeat(MAX_SPEC_BYTES + 1)), 'FILE_TOO_LARGE', 'invalid'],
    ['binary file', () => write('bin.yaml', Buffer.from([0x6b, 0x00, 0x01, 0x02])), 'FILE_BINARY', 'invalid'],
    ['Latin-1 file', () => write('latin1.yaml', Buffer.from('name: caf\xe9\n', 'latin1')), 'FILE_NOT_UTF8', 'invalid'],
    ['UTF-16 file', () => write('utf16.yaml', Buffer.from('\ufeffkind: Install', 'utf16le')), 'FILE_NOT_UTF8', 'invalid'],
  ])('%s -> %s', (_, make, code, kind) => {
    const result = readSpecFile(make());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.finding.code).toBe(code);
    expect(result.kind).toBe(kind);
    expect(result.finding.hint).toBeTruthy();
  });

  it('accepts a file of exactly 1 MiB', () => {
    expect(readSpecFile(write('edge.yaml', 'a'.repeat(MAX_SPEC_BYTES))).ok).toBe(true);
  });

  it('places a bad byte at its line and column', () => {
    const result = readSpecFile(write('bad-byte.yaml', Buffer.concat([Buffer.from('a: 1\nbb: '), Buffer.from([0xff]), Buffer.from('\n')])));
    expect(result).toMatchObject({ ok: false, line: 2, column: 5 });
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    ['ascii', [0x61, 0x62], -1],
    ['two-byte é', [0xc3, 0xa9], -1],
    ['four-byte emoji', [0xf0, 0x9f, 0x98, 0x80], -1],
    ['overlong slash', [0x61, 0xc0, 0xaf], 1],
    ['truncated sequence', [0x61, 0xe2, 0x82], 1],
    ['surrogate half', [0xed, 0xa0, 0x80], 0],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['stray continuation', [0x80], 0],
  ])('%s', (_, bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected);
  });
});
