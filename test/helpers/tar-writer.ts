/**
 * A tiny tar writer for tests that need tars no well-behaved tool writes: any type flag, a wrong
 * checksum, a declared size that differs from the data, pax and GNU long-name headers of any size,
 * junk after the end marker. Well-formed output matches what tar-stream (bundle create) writes.
 */
import { readFileSync } from 'node:fs';
import { indexTar } from '../../cli/oci/tar-index.js';

export interface RawEntry {
  name: string;
  data?: Buffer;
  /** Type flag character: '0' file (default), '5' directory, '2' symlink, 'x' pax, 'L' GNU long name... */
  type?: string;
  /** Declared size (default: data length); the data written is still `data`. */
  size?: number;
  /** ustar prefix field. */
  prefix?: string;
  linkname?: string;
  /** GNU magic ("ustar  \0") instead of POSIX ustar. */
  gnu?: boolean;
  /** Stores a checksum off by one. */
  badChecksum?: boolean;
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + ' ';
}

export function tarHeader(entry: RawEntry): Buffer {
  const header = Buffer.alloc(512);
  header.write(entry.name.slice(0, 100), 0, 'latin1');
  header.write(octal(0o644, 8), 100, 'latin1');
  header.write(octal(0, 8), 108, 'latin1');
  header.write(octal(0, 8), 116, 'latin1');
  const size = entry.size ?? entry.data?.length ?? 0;
  if (size.toString(8).length > 11) {
    header[124] = 0x80;
    let rest = size;
    for (let i = 11; i > 0; i--) {
      header[124 + i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  } else header.write(octal(size, 12), 124, 'latin1');
  header.write(octal(0, 12), 136, 'latin1');
  header.write(entry.type ?? '0', 156, 'latin1');
  if (entry.linkname) header.write(entry.linkname, 157, 'latin1');
  header.write(entry.gnu ? 'ustar  \0' : 'ustar\u000000', 257, 'latin1');
  if (entry.prefix) header.write(entry.prefix, 345, 'latin1');
  let sum = 8 * 32;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += header[i]!;
  header.write(octal(sum + (entry.badChecksum ? 1 : 0), 7), 148, 'latin1');
  return header;
}

function padded(data: Buffer): Buffer {
  const pad = (512 - (data.length % 512)) % 512;
  return pad ? Buffer.concat([data, Buffer.alloc(pad)]) : data;
}

/** A pax record: "<length> key=value\n", the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return `${length}${body}`;
}

export function paxHeader(records: Record<string, string>): RawEntry {
  return {
    name: 'PaxHeader',
    type: 'x',
    data: Buffer.from(
      Object.entries(records)
        .map(([key, value]) => paxRecord(key, value))
        .join(''),
    ),
  };
}

export function longNameHeader(name: string): RawEntry {
  return { name: '././@LongLink', type: 'L', gnu: true, data: Buffer.from(`${name}\0`) };
}

/** Headers and data of each entry, the end-of-archive marker (two zero blocks) unless end is false, then trailing bytes. */
export function tarBytes(entries: RawEntry[], options: { end?: boolean; trailing?: Buffer } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(tarHeader(entry));
    if (entry.data?.length) parts.push(padded(entry.data));
  }
  if (options.end !== false) parts.push(Buffer.alloc(1024));
  if (options.trailing) parts.push(options.trailing);
  return Buffer.concat(parts);
}

/** The entries of a bundle as name + bytes, in file order (to rebuild it with changes). */
export function readEntries(file: string): Array<{ name: string; data: Buffer }> {
  const bytes = readFileSync(file);
  return [...indexTar(file).values()].map((entry) => ({ name: entry.name, data: bytes.subarray(entry.offset, entry.offset + entry.size) }));
}
