/** Byte counts for people: 1536 -> "1.5 KiB", and back from flags: "64MiB" -> 67108864. */
import { UserError } from './errors.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

const FACTORS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  tib: 1024 ** 4,
};

/** Parses 123, 64MiB, 1.5GB, 512k (KiB/MiB/GiB/TiB are powers of 1024, kB/MB/GB/TB of 1000). */
export function parseSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? FACTORS[match[2]!.toLowerCase()] : undefined;
  if (!match || factor === undefined || Number(match[1]) <= 0) {
    throw new UserError(`${flag} ${JSON.stringify(text)} is not a size`, { code: 'USAGE', hint: `give bytes or a unit, such as ${flag} 64MiB` });
  }
  return Math.floor(Number(match[1]) * factor);
}
