/**
 * A gzipped tar whose bytes depend only on its entries: regular files, in the order given, mode
 * 0644, mtime 0, uid/gid 0, no user names; gzipSync writes mtime 0 and no file name, so the gzip
 * header depends on nothing but the level and the OS byte. Charts (bundle create) and support
 * bundles are written this way, so the same input always hashes the same.
 */
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface TarEntry {
  name: string;
  content: Buffer;
}

export async function reproducibleTarGz(entries: Iterable<TarEntry>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const entry of entries) {
    pack.entry({ name: entry.name, size: entry.content.length, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', type: 'file' }, entry.content);
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}
