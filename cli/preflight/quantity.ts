/**
 * Kubernetes resource quantities as the API writes them (cpu "3920m", memory "15Gi" or "16266544Ki",
 * nvidia.com/gpu "8", "1e3", "0.5"), read exactly: CPU in millicores, everything else in whole units
 * (bytes, devices), rounded up as the scheduler does for fractions it cannot represent.
 */

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The quantity as a number of base units (cores, bytes, devices); null when it is not a Kubernetes quantity. */
export function parseQuantity(text: string): number | null {
  const match = QUANTITY.exec(text.trim());
  if (!match) return null;
  const [, sign, digits, exponent, suffix] = match;
  const base = Number(digits);
  const value = exponent ? base * 10 ** Number(exponent.slice(1)) : base * SUFFIX[suffix ?? '']!;
  if (!Number.isFinite(value)) return null;
  return sign === '-' ? -value : value;
}

/** CPU in millicores (1 = 1000m), rounded up to a whole millicore as the API server does. */
export function cpuMillis(text: string): number | null {
  const cores = parseQuantity(text);
  return cores === null ? null : Math.ceil(Math.round(cores * 1e9) / 1e6);
}

/** Bytes, devices or any integral resource, rounded up. */
export function wholeUnits(text: string): number | null {
  const value = parseQuantity(text);
  return value === null ? null : Math.ceil(Math.round(value * 1e3) / 1e3);
}

/** A resource of a quantities map in the unit the analyzers use (cpu: millicores; else whole units); 0 when absent or unreadable. */
export function resourceAmount(quantities: Readonly<Record<string, string | undefined>> | null | undefined, resource: string): number {
  const text = quantities?.[resource];
  if (text === undefined) return 0;
  return (resource === 'cpu' ? cpuMillis(text) : wholeUnits(text)) ?? 0;
}

/** 3920m, 4 -> "3.92 cores", "4 cores". */
export function formatCpu(millis: number): string {
  const cores = millis / 1000;
  return `${Number.isInteger(cores) ? cores : cores.toFixed(2).replace(/0+$/, '')} cores`;
}

/** Bytes as GiB with two decimals (memory is asked for in Gi). */
export function formatMemory(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(2)} GiB`;
}
