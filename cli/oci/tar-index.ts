/**
 * The one reader of bundle files (verify and push both use it): where each entry of the tar lives,
 * found by reading only the 512-byte headers and seeking past the data, so a multi-GiB bundle is
 * indexed without reading its blobs and any blob can then be hashed or streamed on its own.
 *
 * A bundle is untrusted input, so the reader is strict: ustar, pax ('x') or GNU ('L') headers as
 * bundle create (and tar re-packing the same files) write them, every header checksum verified,
 * regular files only, names exactly `oci-layout`, `index.json` or `blobs/sha256/<64 hex>` (no `./`
 * prefix: a re-packed copy is refused the same way everywhere), no duplicates, extended headers of at
 * most SIZE_CAPS.tarExtendedHeader, every size within the file, the end-of-archive marker present
 * and nothing but padding after it. Nothing is allocated from a size the file declares before that
 * size is checked.
 */
import { quoteForMessage } from '../lib/visible-text.js';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { SIZE_CAPS, formatCap } from '../lib/read-capped.js';
import { OciError } from './errors.js';

export interface TarEntry {
  name: string;
  /** Byte offset of the entry's data. */
  offset: number;
  size: number;
}

const BLOCK = 512;
/** More entries than any real bundle holds (each blob is one entry); keeps the index itself small. */
export const MAX_TAR_ENTRIES = 100_000;
/** Zero padding tolerated after the end-of-archive marker (tar pads to its record size, 10 KiB by default). */
const MAX_TRAILING_PADDING = 1024 * 1024;
const NAME = /^(?:oci-layout|index\.json|blobs\/sha256\/[0-9a-f]{64})$/;
const USTAR = Buffer.from('ustar\u000000', 'latin1');
const GNU = Buffer.from('ustar  \u0000', 'latin1');
const TYPES: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '5': 'a directory',
  '6': 'a FIFO',
  '7': 'a contiguous file',
  g: 'a global pax header',
  K: 'a GNU long link name',
  S: 'a GNU sparse file',
};

function invalid(file: string, message: string): OciError {
  return new OciError('BUNDLE_INVALID', `${file} is not an installctl bundle: ${message}`, {
    hint: 'use the file bundle create wrote, as it was written (a re-packed or edited copy is refused); transfer it again',
  });
}

function truncated(file: string, message: string): OciError {
  return new OciError('BUNDLE_TRUNCATED', `${file} is truncated: ${message}`, { hint: 'the copy is incomplete; transfer the bundle again and compare its size' });
}

/** A name from the file, quoted, of bounded length (output escapes what is invisible). */
const shown = quoteForMessage;

function text(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('latin1');
}

/** An octal field ("0000644 ", " 644\0") or GNU base-256; null when it is neither. */
function number(header: Buffer, start: number, length: number): number | null {
  const raw = header.subarray(start, start + length);
  if (raw[0] === 0x80) {
    let value = 0;
    for (let i = 1; i < raw.length; i++) value = value * 256 + raw[i]!;
    return Number.isSafeInteger(value) ? value : null;
  }
  const match = /^ *([0-7]+)[ \0]*$/.exec(raw.toString('latin1'));
  return match ? parseInt(match[1]!, 8) : null;
}

function checksumOk(header: Buffer): boolean {
  const stored = number(header, 148, 8);
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += header[i]!;
  return stored === sum;
}

/** The records of a pax extended header ("<length> <key>=<value>\n", length counting itself). */
function paxRecords(data: Buffer): Map<string, string> | null {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const digits = space === -1 ? '' : data.subarray(at, space).toString('latin1');
    const length = /^[1-9][0-9]{0,5}$/.test(digits) ? Number(digits) : 0;
    if (!length || at + length > data.length || data[at + length - 1] !== 0x0a) return null;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals < 1) return null;
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

/** Opens a bundle for reading; only a regular file is one (a FIFO or a device never ends, a directory is no bundle). */
export function openBundleFile(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new OciError('FILE_NOT_FOUND', `no such bundle: ${file}`, { hint: 'check the path' });
    throw new OciError('FILE_UNREADABLE', `cannot read bundle ${file}: ${code ?? String(error)}`, { hint: 'check the path and its permissions' });
  }
  const stat = fstatSync(fd);
  if (stat.isFile()) return { fd, size: stat.size };
  closeSync(fd);
  if (stat.isDirectory()) throw new OciError('FILE_IS_DIRECTORY', `${file} is a directory, not a bundle`, { hint: 'pass the bundle file bundle create wrote' });
  throw new OciError('FILE_NOT_REGULAR', `${file} is not a regular file (a device, FIFO or socket), so it cannot be a bundle`, {
    hint: 'pass the bundle file itself; copy it to disk first if it arrives through a pipe',
  });
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/** Every entry of a bundle tar by name, in file order. */
export function indexTar(file: string): Map<string, TarEntry> {
  const { fd, size: total } = openBundleFile(file);
  try {
    return indexOpenTar(fd, total, file);
  } finally {
    closeSync(fd);
  }
}

function indexOpenTar(fd: number, total: number, file: string): Map<string, TarEntry> {
  if (total === 0) throw invalid(file, 'the file is empty');
  const entries = new Map<string, TarEntry>();
  /** What a pax or GNU long-name header said about the entry that follows it. */
  let pending: { path?: string; size?: number; at: number } | null = null;
  let position = 0;
  for (;;) {
    if (position + BLOCK > total) throw truncated(file, `it ends at ${total} bytes, inside or before the header expected at offset ${position}, without the end-of-archive marker`);
    const header = readAt(fd, BLOCK, position);
    if (header.every((byte) => byte === 0)) {
      if (pending) throw invalid(file, `the extended header at offset ${pending.at} is followed by the end of the archive`);
      checkEnd(fd, total, position, file);
      return entries;
    }
    if (!checksumOk(header)) throw invalid(file, `the tar header at offset ${position} has a wrong checksum`);
    const magic = header.subarray(257, 265);
    const gnu = magic.equals(GNU);
    if (!gnu && !magic.equals(USTAR)) throw invalid(file, `the tar header at offset ${position} is neither ustar, pax nor GNU`);
    const type = String.fromCharCode(header[156]!);
    let size = number(header, 124, 12);
    if (size === null) throw invalid(file, `the tar header at offset ${position} has an unreadable size`);
    const dataOffset = position + BLOCK;
    const next = () => dataOffset + Math.ceil(size! / BLOCK) * BLOCK;

    if (type === 'x' || type === 'L') {
      if (pending) throw invalid(file, `two extended headers in a row at offset ${position}`);
      // Checked before anything is read or allocated: a header may claim gigabytes.
      if (size > SIZE_CAPS.tarExtendedHeader)
        throw invalid(file, `the extended header at offset ${position} declares ${size} bytes, more than ${formatCap(SIZE_CAPS.tarExtendedHeader)}`);
      if (dataOffset + size > total) throw truncated(file, `the extended header at offset ${position} needs ${size} bytes, the file ends at ${total}`);
      const data = readAt(fd, size, dataOffset);
      if (type === 'L') {
        const end = data.indexOf(0);
        pending = { path: data.subarray(0, end === -1 ? data.length : end).toString('latin1'), at: position };
      } else {
        const records = paxRecords(data);
        if (!records) throw invalid(file, `the pax header at offset ${position} is malformed`);
        pending = { at: position };
        if (records.has('path')) pending.path = records.get('path')!;
        if (records.has('size')) {
          const declared = records.get('size')!;
          if (!/^[0-9]{1,16}$/.test(declared) || !Number.isSafeInteger(Number(declared))) throw invalid(file, `the pax header at offset ${position} has an unreadable size`);
          pending.size = Number(declared);
        }
      }
      position = next();
      continue;
    }
    if (type !== '0' && type !== '\0') {
      throw invalid(
        file,
        `entry ${shown(pending?.path ?? text(header, 0, 100))} at offset ${position} is ${TYPES[type] ?? `of tar type ${shown(type)}`}; a bundle holds only regular files`,
      );
    }
    const prefix = gnu ? '' : text(header, 345, 155);
    const base = text(header, 0, 100);
    const name = pending?.path ?? (prefix ? `${prefix}/${base}` : base);
    size = pending?.size ?? size;
    pending = null;
    if (!NAME.test(name)) throw invalid(file, `entry ${shown(name)} at offset ${position} is not oci-layout, index.json or blobs/sha256/<64 hex digits>`);
    if (entries.has(name)) throw invalid(file, `entry ${name} appears twice (again at offset ${position})`);
    if (entries.size >= MAX_TAR_ENTRIES) throw invalid(file, `more than ${MAX_TAR_ENTRIES} entries`);
    if (dataOffset + size > total) throw truncated(file, `entry ${name} needs ${size} bytes from offset ${dataOffset}, the file ends at ${total}`);
    entries.set(name, { name, offset: dataOffset, size });
    position = next();
  }
}

/** After the first zero block: a second one (the marker is two), then only zero padding, and not much of it. */
function checkEnd(fd: number, total: number, position: number, file: string): void {
  if (position + 2 * BLOCK > total) throw truncated(file, `the end-of-archive marker at offset ${position} is cut short`);
  const rest = total - position - BLOCK;
  if (rest - BLOCK > MAX_TRAILING_PADDING) throw invalid(file, `${rest - BLOCK} bytes follow the end-of-archive marker`);
  const tail = readAt(fd, rest, position + BLOCK);
  if (!tail.every((byte) => byte === 0)) throw invalid(file, `data follows the end-of-archive marker at offset ${position}`);
}
