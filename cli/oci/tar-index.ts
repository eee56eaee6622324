/**
 * Where each entry of a tar file lives, found by reading only the 512-byte headers and seeking past
 * the data: a multi-GiB bundle is indexed without reading its blobs, and any blob can then be
 * streamed on its own (fs.createReadStream with start/end) - nothing is unpacked to disk.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../lib/errors.js';

export interface TarEntry {
  name: string;
  /** Byte offset of the entry's data. */
  offset: number;
  size: number;
}

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(header: Buffer, start: number, length: number): number {
  const raw = header.subarray(start, start + length);
  if (raw[0]! & 0x80) {
    // base-256 (GNU) for sizes above 8 GiB
    let value = 0;
    for (let i = 1; i < raw.length; i++) value = value * 256 + raw[i]!;
    return value;
  }
  const text = field(header, start, length).trim();
  return text ? parseInt(text, 8) : 0;
}

function paxPath(data: Buffer): string | null {
  for (const record of data.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1]!;
  }
  return null;
}

export function indexTar(file: string): Map<string, TarEntry> {
  const entries = new Map<string, TarEntry>();
  const fd = openSync(file, 'r');
  try {
    const total = fstatSync(fd).size;
    const header = Buffer.alloc(BLOCK);
    let position = 0;
    let longName: string | null = null;
    let ended = false;
    while (position + BLOCK <= total) {
      readSync(fd, header, 0, BLOCK, position);
      if (header.every((byte) => byte === 0)) {
        ended = true;
        break;
      }
      const size = octal(header, 124, 12);
      const type = String.fromCharCode(header[156]!);
      const prefix = field(header, 345, 155);
      const base = field(header, 0, 100);
      const dataOffset = position + BLOCK;
      if (dataOffset + size > total) {
        throw new UserError(`${file} is truncated: entry ${longName ?? base} needs ${size} bytes from offset ${dataOffset}, the file ends at ${total}`, {
          code: 'BUNDLE_TRUNCATED',
          hint: 'the copy is incomplete; transfer the bundle again and compare its size',
          exitCode: 4,
        });
      }
      if (type === 'x' || type === 'L') {
        const data = Buffer.alloc(size);
        readSync(fd, data, 0, size, dataOffset);
        longName = type === 'x' ? paxPath(data) : data.toString('utf8').replace(/\0+$/, '');
      } else {
        const name = longName ?? (prefix ? `${prefix}/${base}` : base);
        longName = null;
        if (type === '0' || type === '\0') entries.set(name.replace(/^\.\//, ''), { name, offset: dataOffset, size });
      }
      position = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    }
    // A copy cut exactly between two entries parses cleanly; only the missing end-of-archive marker tells.
    if (!ended && entries.size > 0) {
      throw new UserError(`${file} is truncated: it ends at ${total} bytes after a complete entry, without the end-of-archive marker`, {
        code: 'BUNDLE_TRUNCATED',
        hint: 'the copy is incomplete; transfer the bundle again and compare its size',
        exitCode: 4,
      });
    }
  } finally {
    closeSync(fd);
  }
  return entries;
}
