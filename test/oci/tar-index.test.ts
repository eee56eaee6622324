/**
 * The bundle tar reader: offsets from headers alone (ustar, pax and GNU long names), and everything
 * bundle create would not write refused with a code: other entry types, other names, bad checksums,
 * oversized extended headers, duplicates, junk after the end marker, truncation, non-regular files.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import fc from 'fast-check';
import { indexTar, MAX_TAR_ENTRIES } from '../../cli/oci/tar-index.js';
import { SIZE_CAPS } from '../../cli/lib/read-capped.js';
import { longNameHeader, paxHeader, tarBytes, type RawEntry } from '../helpers/tar-writer.js';

const blobName = (seed: string) => `blobs/sha256/${createHash('sha256').update(seed).digest('hex')}`;
const dir = () => mkdtempSync(join(tmpdir(), 'installctl-tar-'));

async function writeWithTarStream(file: string, entries: Array<[string, Buffer]>): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createWriteStream(file));
  for (const [name, content] of entries) pack.entry({ name }, content);
  pack.finalize();
  await done;
}

function written(bytes: Buffer): string {
  const file = join(dir(), 'x.tar');
  writeFileSync(file, bytes);
  return file;
}

describe('indexTar', () => {
  it('finds every entry of a tar-stream tar at its offset', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.uint8Array({ maxLength: 3000 })), { selector: ([seed]) => seed, minLength: 1, maxLength: 8 }),
        async (entries) => {
          const file = join(dir(), 'x.tar');
          const named = entries.map(([seed, bytes]): [string, Buffer] => [blobName(seed), Buffer.from(bytes)]);
          await writeWithTarStream(file, [['oci-layout', Buffer.from('{}')], ...named]);
          const index = indexTar(file);
          const bytes = readFileSync(file);
          expect([...index.keys()]).toEqual(['oci-layout', ...named.map(([name]) => name)]);
          for (const [name, content] of named) {
            const entry = index.get(name)!;
            expect(entry.size).toBe(content.length);
            expect(Buffer.compare(bytes.subarray(entry.offset, entry.offset + entry.size), content)).toBe(0);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads names and sizes from pax headers, GNU long names, the ustar prefix and GNU tar itself', () => {
    const data = Buffer.from('hello');
    const file = written(
      tarBytes([
        paxHeader({ path: blobName('a'), mtime: '0.5' }),
        { name: 'truncated-name', data },
        longNameHeader(blobName('b')),
        { name: 'x', data, gnu: true },
        { name: blobName('c').slice(6), prefix: 'blobs', data },
        paxHeader({ size: '5' }),
        { name: 'oci-layout', data, size: 0 },
      ]),
    );
    const index = indexTar(file);
    expect([...index.keys()]).toEqual([blobName('a'), blobName('b'), blobName('c'), 'oci-layout']);
    for (const entry of index.values())
      expect(
        readFileSync(file)
          .subarray(entry.offset, entry.offset + entry.size)
          .toString(),
      ).toBe('hello');

    // What GNU tar writes when a bundle is unpacked and re-packed file by file: accepted.
    const work = dir();
    mkdirSync(join(work, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(work, 'oci-layout'), '{}');
    writeFileSync(join(work, blobName('d')), 'x'.repeat(700));
    for (const format of ['gnu', 'pax', 'ustar']) {
      execFileSync('tar', ['-cf', join(work, `${format}.tar`), `--format=${format}`, '-C', work, 'oci-layout', blobName('d')]);
      expect([...indexTar(join(work, `${format}.tar`)).keys()], format).toEqual(['oci-layout', blobName('d')]);
    }
  });

  const file = { name: blobName('f'), data: Buffer.from('data') } satisfies RawEntry;
  const refused: Array<[string, () => Buffer, string]> = [
    ['a parent-directory name', () => tarBytes([{ name: '../evil', data: Buffer.from('x') }]), 'BUNDLE_INVALID'],
    ['an absolute name', () => tarBytes([{ name: '/etc/passwd', data: Buffer.from('x') }]), 'BUNDLE_INVALID'],
    ['a ./ prefix (a re-packed directory)', () => tarBytes([{ name: './oci-layout', data: Buffer.from('{}') }]), 'BUNDLE_INVALID'],
    ['a name outside the layout', () => tarBytes([{ name: 'blobs/sha256/ABC', data: Buffer.from('x') }]), 'BUNDLE_INVALID'],
    ['a pax path with ../', () => tarBytes([paxHeader({ path: `../${blobName('f')}` }), file]), 'BUNDLE_INVALID'],
    ['a symbolic link', () => tarBytes([{ name: 'index.json', type: '2', linkname: '/etc/passwd' }]), 'BUNDLE_INVALID'],
    ['a hard link', () => tarBytes([{ name: 'index.json', type: '1', linkname: 'oci-layout' }]), 'BUNDLE_INVALID'],
    ['a directory', () => tarBytes([{ name: 'blobs/', type: '5' }]), 'BUNDLE_INVALID'],
    ['a character device', () => tarBytes([{ name: 'oci-layout', type: '3' }]), 'BUNDLE_INVALID'],
    ['a FIFO', () => tarBytes([{ name: 'oci-layout', type: '6' }]), 'BUNDLE_INVALID'],
    ['a global pax header', () => tarBytes([{ name: 'g', type: 'g', data: Buffer.from('9 a=bcd\n') }, file]), 'BUNDLE_INVALID'],
    ['a wrong header checksum', () => tarBytes([{ ...file, badChecksum: true }]), 'BUNDLE_INVALID'],
    ['a header without ustar magic', () => Buffer.concat([Buffer.alloc(512, 0x41), Buffer.alloc(1024)]), 'BUNDLE_INVALID'],
    ['a duplicate name', () => tarBytes([file, file]), 'BUNDLE_INVALID'],
    ['junk after the end marker', () => tarBytes([file], { trailing: Buffer.from('smuggled') }), 'BUNDLE_INVALID'],
    ['more zero padding than tar writes', () => tarBytes([file], { trailing: Buffer.alloc(2 * 1024 * 1024) }), 'BUNDLE_INVALID'],
    ['a pax header over the cap', () => tarBytes([{ name: 'p', type: 'x', data: Buffer.alloc(SIZE_CAPS.tarExtendedHeader + 1, 0x20) }, file]), 'BUNDLE_INVALID'],
    ['a pax header claiming 1.5 GiB', () => tarBytes([{ name: 'p', type: 'x', size: 1.5 * 1024 ** 3 }]), 'BUNDLE_INVALID'],
    ['a GNU long name over the cap', () => tarBytes([{ name: 'L', type: 'L', gnu: true, data: Buffer.alloc(SIZE_CAPS.tarExtendedHeader + 1, 0x61) }, file]), 'BUNDLE_INVALID'],
    ['a malformed pax record', () => tarBytes([{ name: 'p', type: 'x', data: Buffer.from('99 path=x\n') }, file]), 'BUNDLE_INVALID'],
    ['a pax size that is no number', () => tarBytes([paxHeader({ size: '-1' }), file]), 'BUNDLE_INVALID'],
    ['two extended headers in a row', () => tarBytes([paxHeader({ path: blobName('f') }), longNameHeader(blobName('f')), file]), 'BUNDLE_INVALID'],
    ['an extended header before the end', () => tarBytes([file, paxHeader({ path: blobName('g') })]), 'BUNDLE_INVALID'],
    ['an empty file', () => Buffer.alloc(0), 'BUNDLE_INVALID'],
    ['a size beyond the end of the file', () => tarBytes([{ ...file, size: 1024 ** 3 }], { end: false }), 'BUNDLE_TRUNCATED'],
    ['a pax size beyond the end of the file', () => tarBytes([paxHeader({ size: String(1024 ** 4) }), file]), 'BUNDLE_TRUNCATED'],
    ['no end-of-archive marker', () => tarBytes([file], { end: false }), 'BUNDLE_TRUNCATED'],
    ['half an end-of-archive marker', () => tarBytes([file], { end: false, trailing: Buffer.alloc(512) }), 'BUNDLE_TRUNCATED'],
    ['a cut header', () => tarBytes([file], { end: false, trailing: Buffer.alloc(100, 1) }), 'BUNDLE_TRUNCATED'],
  ];
  it.each(refused)('refuses %s', (_name, bytes, code) => {
    expect(() => indexTar(written(bytes()))).toThrow(expect.objectContaining({ code, name: 'OciError' }));
  });

  it(`refuses more than ${MAX_TAR_ENTRIES} entries`, () => {
    const entries = Array.from({ length: MAX_TAR_ENTRIES + 1 }, (_, i) => tarBytes([{ name: blobName(String(i)) }], { end: false }));
    expect(() => indexTar(written(Buffer.concat([...entries, Buffer.alloc(1024)])))).toThrow(
      expect.objectContaining({ code: 'BUNDLE_INVALID', message: expect.stringContaining('entries') }),
    );
  });

  it('refuses a truncated tar-stream file, cut inside an entry or exactly between two', async () => {
    const path = join(dir(), 'x.tar');
    await writeWithTarStream(path, [
      [blobName('a'), Buffer.alloc(5000, 1)],
      [blobName('b'), Buffer.alloc(5000, 2)],
    ]);
    truncateSync(path, statSync(path).size - 4000);
    expect(() => indexTar(path)).toThrow(expect.objectContaining({ code: 'BUNDLE_TRUNCATED' }));
    await writeWithTarStream(path, [
      [blobName('a'), Buffer.alloc(1024, 1)],
      [blobName('b'), Buffer.alloc(1024, 2)],
    ]);
    truncateSync(path, 512 + 1024);
    expect(() => indexTar(path)).toThrow(expect.objectContaining({ code: 'BUNDLE_TRUNCATED', message: expect.stringContaining('end-of-archive marker') }));
    await writeWithTarStream(path, [
      [blobName('a'), Buffer.alloc(1024, 1)],
      [blobName('b'), Buffer.alloc(1024, 2)],
    ]);
    truncateSync(path, 2 * (512 + 1024));
    expect(() => indexTar(path)).toThrow(expect.objectContaining({ code: 'BUNDLE_TRUNCATED' }));
  });

  it('refuses what is not a regular file without reading it: a directory, a FIFO, a device, nothing', () => {
    const work = dir();
    const fifo = join(work, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => indexTar(work)).toThrow(expect.objectContaining({ code: 'FILE_IS_DIRECTORY', name: 'OciError' }));
    // A FIFO nobody writes to would block a plain open() forever.
    expect(() => indexTar(fifo)).toThrow(expect.objectContaining({ code: 'FILE_NOT_REGULAR', name: 'OciError' }));
    expect(() => indexTar('/dev/zero')).toThrow(expect.objectContaining({ code: 'FILE_NOT_REGULAR', name: 'OciError' }));
    expect(() => indexTar(join(work, 'absent'))).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });
});
