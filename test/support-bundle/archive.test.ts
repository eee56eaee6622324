import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BUNDLE_CAPS, capContent, safeSegment, withinCaps, writeBundleArchive, type BundleFile } from '../../cli/support-bundle/archive.js';
import { entryPath, readBundleArchive } from '../../cli/support-bundle/archive-read.js';
import { uniquePaths } from '../../cli/support-bundle/assemble.js';
import { tarBytes, type RawEntry } from '../helpers/tar-writer.js';
import { UserError } from '../../cli/lib/errors.js';

/** The UserError a promise rejected with, checked to carry code; a promise that resolves fails the test. */
async function expectUserError(run: () => Promise<unknown>, code: string): Promise<UserError> {
  const error = await run().then(
    () => new Error('accepted'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).code).toBe(code);
  return error as UserError;
}

const HEADER = {
  apiVersion: 'installctl.dev/v1alpha1',
  kind: 'SupportBundle',
  installctl: '0.1.0',
  collectedAt: '2026-12-02T21:00:00.000Z',
  install: { name: 'acme-gov', cell: 'aws/github-enterprise-server/self-hosted/air-gapped', specSha256: 'a'.repeat(64) },
  options: { since: '24h' },
} as const;

const FILES: BundleFile[] = [
  { path: 'versions.json', content: '{"installctl":"0.1.0"}\n', truncated: null },
  { path: 'cluster/acme-gov-platform/pods.json', content: '[]\n', truncated: null },
  { path: 'logs/acme-gov-platform/api-0/api.log', content: 'line 1\nline 2\n', truncated: 'max-log-lines' },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-sb-archive-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** A gzipped tar of raw entries, with an index.json listing the given files (or none). */
function craft(name: string, entries: RawEntry[], listed: Array<{ path: string; content: string }> = []): string {
  const index = {
    ...HEADER,
    caps: BUNDLE_CAPS,
    files: listed.map((file) => ({ path: file.path, bytes: file.content.length, sha256: sha(file.content), truncated: null })),
    omitted: [],
  };
  const file = join(dir, name);
  writeFileSync(file, gzipSync(tarBytes([{ name: 'support-bundle/index.json', data: Buffer.from(JSON.stringify(index)) }, ...entries])));
  return file;
}

describe('writing a support bundle archive', () => {
  it('is byte-identical for the same files, whatever the clock or umask', async () => {
    const first = await writeBundleArchive(HEADER, FILES);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await writeBundleArchive(
      HEADER,
      FILES.map((file) => ({ ...file })),
    );
    expect(second.bytes.equals(first.bytes)).toBe(true);
    // gzip header: no file name flag, mtime 0.
    expect(first.bytes[3]! & 0x08).toBe(0);
    expect(first.bytes.readUInt32LE(4)).toBe(0);
    const changed = await writeBundleArchive(HEADER, [...FILES.slice(0, 2), { ...FILES[2]!, content: 'line 1\nline 3\n' }]);
    expect(changed.bytes.equals(first.bytes)).toBe(false);
  });

  it('writes index.json first, every file in the order given under support-bundle/, with fixed owners, modes and times', async () => {
    const { bytes, index } = await writeBundleArchive(HEADER, FILES);
    const tar = gunzipSync(bytes);
    const names: string[] = [];
    for (let offset = 0; offset + 512 <= tar.length;) {
      const header = tar.subarray(offset, offset + 512);
      if (header.every((byte) => byte === 0)) break;
      names.push(header.subarray(0, 100).toString('latin1').replace(/\0.*$/s, ''));
      expect(parseInt(header.subarray(100, 107).toString('latin1'), 8)).toBe(0o644);
      expect(parseInt(header.subarray(108, 115).toString('latin1'), 8)).toBe(0);
      expect(parseInt(header.subarray(136, 147).toString('latin1'), 8)).toBe(0);
      expect(header.subarray(265, 297).toString('latin1').replace(/\0/g, '')).toBe('');
      const size = parseInt(header.subarray(124, 135).toString('latin1'), 8);
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    expect(names).toEqual(['support-bundle/index.json', ...FILES.map((file) => `support-bundle/${file.path}`)]);
    expect(index.files).toEqual(FILES.map((file) => ({ path: file.path, bytes: Buffer.byteLength(file.content), sha256: sha(file.content), truncated: file.truncated })));
  });

  it('cuts a file over the file cap at a line break, and leaves out what passes the total cap, saying so', () => {
    const cut = capContent({ path: 'a.log', content: 'aaaa\nbbbb\ncccc\n', truncated: null }, 12);
    expect(cut).toEqual({ path: 'a.log', content: 'aaaa\nbbbb\n', truncated: 'file-cap' });
    const { kept, omitted } = withinCaps(
      [
        { path: 'one', content: 'x'.repeat(40), truncated: null },
        { path: 'two', content: 'y'.repeat(40), truncated: null },
        { path: 'three', content: 'z'.repeat(10), truncated: null },
      ],
      { fileBytes: 50, totalBytes: 60, logBytes: 50 },
    );
    expect(kept.map((file) => file.path)).toEqual(['one', 'three']);
    expect(omitted).toEqual([{ path: 'two', bytes: 40, reason: 'total-cap' }]);
  });

  it('makes cluster names safe path segments', () => {
    expect(safeSegment('api-7d9f8b6c5-x2x4z')).toBe('api-7d9f8b6c5-x2x4z');
    expect(safeSegment('..')).toBe('___');
    expect(safeSegment('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(safeSegment('')).toBe('_');
    expect(entryPath(`support-bundle/logs/ns/${safeSegment('../x')}/c.log`)).toEqual({ path: 'logs/ns/.._x/c.log' });
  });
});

describe('reading a support bundle (analyze): hostile archives', () => {
  it('reads back what was written, checked against index.json', async () => {
    const file = join(dir, 'good.tar.gz');
    writeFileSync(file, (await writeBundleArchive(HEADER, FILES)).bytes);
    const bundle = await readBundleArchive(file);
    expect([...bundle.files.keys()]).toEqual(FILES.map((entry) => entry.path));
    expect(bundle.files.get('logs/acme-gov-platform/api-0/api.log')!.toString()).toBe('line 1\nline 2\n');
  });

  it.each([
    ['path traversal', [{ name: 'support-bundle/../../etc/cron.d/x', data: Buffer.from('x') }], /\.\. segment/],
    ['an absolute path', [{ name: '/etc/passwd', data: Buffer.from('x') }], /outside support-bundle/],
    ['an entry outside the root', [{ name: 'other/file', data: Buffer.from('x') }], /outside support-bundle/],
    ['a symlink', [{ name: 'support-bundle/logs/x.log', type: '2', linkname: '/etc/shadow' }], /symlink entry/],
    ['a hard link', [{ name: 'support-bundle/logs/x.log', type: '1', linkname: 'support-bundle/index.json' }], /link entry/],
    ['a directory', [{ name: 'support-bundle/logs/', type: '5' }], /directory entry/],
    ['a device', [{ name: 'support-bundle/dev', type: '3' }], /character-device entry/],
    ['a duplicate', [{ name: 'support-bundle/index.json', data: Buffer.from('{}') }], /appears twice/],
    ['an unlisted file', [{ name: 'support-bundle/extra.json', data: Buffer.from('{}') }], /not listed/],
  ] as Array<[string, RawEntry[], RegExp]>)('refuses %s', async (name, entries, problem) => {
    const file = craft(`${name.replace(/\W/g, '-')}.tar.gz`, entries);
    const error = await expectUserError(() => readBundleArchive(file), 'SUPPORT_BUNDLE_INVALID');
    expect(error.message).toMatch(problem);
  });

  it('refuses an entry over the file cap from its header, before reading it', async () => {
    const file = craft('huge.tar.gz', [{ name: 'support-bundle/logs/huge.log', data: Buffer.alloc(2048, 0x61) }]);
    const error = await expectUserError(() => readBundleArchive(file, { fileBytes: 1024, totalBytes: 1 << 20, entries: 100 }), 'SUPPORT_BUNDLE_INVALID');
    expect(error.message).toMatch(/file cap/);
  });

  it('stops a gzip bomb at the total cap and refuses too many entries', async () => {
    const bomb = join(dir, 'bomb.tar.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(64 << 20)));
    const started = Date.now();
    await expectUserError(() => readBundleArchive(bomb, { fileBytes: 1024, totalBytes: 1 << 20, entries: 100 }), 'SUPPORT_BUNDLE_INVALID');
    expect(Date.now() - started).toBeLessThan(5000);
    const many = craft(
      'many.tar.gz',
      Array.from({ length: 20 }, (_, index) => ({ name: `support-bundle/f${index}`, data: Buffer.from('x') })),
    );
    const error = await expectUserError(() => readBundleArchive(many, { fileBytes: 1024, totalBytes: 1 << 20, entries: 10 }), 'SUPPORT_BUNDLE_INVALID');
    expect(error.message).toMatch(/more than 10 entries/);
  });

  it('refuses a file that does not match its SHA-256 in index.json, one that is missing, garbage and a symlinked bundle path', async () => {
    const tampered = craft(
      'tampered.tar.gz',
      [{ name: 'support-bundle/versions.json', data: Buffer.from('{"installctl":"9"}') }],
      [{ path: 'versions.json', content: '{"installctl":"0.1.0"}' }],
    );
    expect((await expectUserError(() => readBundleArchive(tampered), 'SUPPORT_BUNDLE_INVALID')).message).toMatch(/SHA-256/);
    const missing = craft('missing.tar.gz', [], [{ path: 'versions.json', content: '{}' }]);
    expect((await expectUserError(() => readBundleArchive(missing), 'SUPPORT_BUNDLE_INVALID')).message).toMatch(/missing/);
    const garbage = join(dir, 'garbage.tar.gz');
    writeFileSync(garbage, 'not gzip at all');
    await expectUserError(() => readBundleArchive(garbage), 'SUPPORT_BUNDLE_INVALID');
    await expectUserError(() => readBundleArchive(join(dir, 'nope.tar.gz')), 'FILE_NOT_FOUND');
    await expectUserError(() => readBundleArchive(dir), 'SUPPORT_BUNDLE_INVALID');
    const link = join(dir, 'link.tar.gz');
    symlinkSync(garbage, link);
    await expectUserError(() => readBundleArchive(link), 'SUPPORT_BUNDLE_INVALID');
  });
});

describe('paths from cluster names', () => {
  it('stay unique when two names map to one safe segment (a hostile server)', () => {
    const file = (path: string): BundleFile => ({ path, content: '', truncated: null });
    expect(uniquePaths([file('logs/ns/a_b/c.log'), file('logs/ns/a_b/c.log'), file('logs/ns/a_b/c.log'), file('logs/ns/x/y')]).map((entry) => entry.path)).toEqual([
      'logs/ns/a_b/c.log',
      'logs/ns/a_b/c~2.log',
      'logs/ns/a_b/c~3.log',
      'logs/ns/x/y',
    ]);
  });
});
