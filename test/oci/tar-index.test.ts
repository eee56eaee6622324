/** The tar index: offsets from headers alone, long names, and a truncated file refused. */
import { describe, expect, it } from 'vitest';
import { createWriteStream, mkdtempSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import fc from 'fast-check';
import { indexTar } from '../../cli/oci/tar-index.js';

async function writeTar(file: string, entries: Array<[string, Buffer]>): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createWriteStream(file));
  for (const [name, content] of entries) pack.entry({ name }, content);
  pack.finalize();
  await done;
}

describe('indexTar', () => {
  it('finds every entry at its offset, long (pax) names included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,150}$/), fc.uint8Array({ maxLength: 3000 })), { selector: ([name]) => name, minLength: 1, maxLength: 8 }), async (entries) => {
        const file = join(mkdtempSync(join(tmpdir(), 'installctl-tar-')), 'x.tar');
        await writeTar(file, entries.map(([name, bytes]) => [name, Buffer.from(bytes)]));
        const index = indexTar(file);
        const bytes = readFileSync(file);
        expect([...index.keys()]).toEqual(entries.map(([name]) => name));
        for (const [name, content] of entries) {
          const entry = index.get(name)!;
          expect(entry.size).toBe(content.length);
          expect(Buffer.compare(bytes.subarray(entry.offset, entry.offset + entry.size), Buffer.from(content))).toBe(0);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a truncated file with BUNDLE_TRUNCATED', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'installctl-tar-')), 'x.tar');
    await writeTar(file, [['a', Buffer.alloc(5000, 1)], ['b', Buffer.alloc(5000, 2)]]);
    truncateSync(file, statSync(file).size - 4000);
    expect(() => indexTar(file)).toThrow(expect.objectContaining({ code: 'BUNDLE_TRUNCATED' }));
  });

  it('refuses a copy cut exactly between two entries (only the end-of-archive marker is missing)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'installctl-tar-')), 'x.tar');
    await writeTar(file, [['a', Buffer.alloc(1024, 1)], ['b', Buffer.alloc(1024, 2)]]);
    // header a + 1024 bytes of a: the first entry whole, nothing after it.
    truncateSync(file, 512 + 1024);
    expect(() => indexTar(file)).toThrow(expect.objectContaining({ code: 'BUNDLE_TRUNCATED', message: expect.stringContaining('end-of-archive marker') }));
    // Cut after the second entry, before the marker: the same.
    await writeTar(file, [['a', Buffer.alloc(1024, 1)], ['b', Buffer.alloc(1024, 2)]]);
    truncateSync(file, 2 * (512 + 1024));
    expect(() => indexTar(file)).toThrow(expect.objectContaining({ code: 'BUNDLE_TRUNCATED' }));
  });
});
