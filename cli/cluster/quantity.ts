/**
 * Kubernetes quantities (100m, 1.5Gi, 2e3, 8) summed exactly: parsed to integer nano-units
 * (BigInt), so that summing the requests of a node's pods loses nothing, and written back in the
 * API's canonical shapes (an integer, else millis, else nanos).
 */

const NANO = 1_000_000_000n;

const SUFFIX_NANOS: Record<string, bigint> = {
  n: 1n,
  u: 1_000n,
  m: 1_000_000n,
  '': NANO,
  k: 1_000n * NANO,
  M: 1_000_000n * NANO,
  G: 1_000_000_000n * NANO,
  T: 1_000_000_000_000n * NANO,
  P: 1_000_000_000_000_000n * NANO,
  E: 1_000_000_000_000_000_000n * NANO,
  Ki: 1024n * NANO,
  Mi: 1024n ** 2n * NANO,
  Gi: 1024n ** 3n * NANO,
  Ti: 1024n ** 4n * NANO,
  Pi: 1024n ** 5n * NANO,
  Ei: 1024n ** 6n * NANO,
};

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d{1,3}))?$/;

/** The quantity in nano-units (rounded up, as Kubernetes rounds requests), or null when it is not one. */
export function parseQuantity(text: string): bigint | null {
  const match = QUANTITY.exec(text.trim());
  if (!match) return null;
  const [, sign, number, suffix, exponent] = match;
  const [whole = '0', fraction = ''] = number!.split('.');
  let scaled = BigInt(whole + fraction) * (suffix === undefined ? NANO : SUFFIX_NANOS[suffix]!);
  let shift = -fraction.length + (exponent === undefined ? 0 : Number(exponent));
  let divisor = 1n;
  for (; shift > 0; shift--) scaled *= 10n;
  for (; shift < 0; shift++) divisor *= 10n;
  const value = (scaled + divisor - 1n) / divisor;
  return sign === '-' ? -value : value;
}

/** Nano-units as a quantity: `8`, `3920m`, `1500n`. Whole numbers stay whole (memory in bytes). */
export function formatQuantity(nanos: bigint): string {
  if (nanos % NANO === 0n) return String(nanos / NANO);
  if (nanos % 1_000_000n === 0n) return `${nanos / 1_000_000n}m`;
  return `${nanos}n`;
}

/** Adds `quantities` into `total` (resource name -> nano-units); values that are not quantities are ignored. */
export function addQuantities(total: Map<string, bigint>, quantities: Record<string, string> | undefined, factor = 1n): void {
  for (const [name, text] of Object.entries(quantities ?? {})) {
    const value = parseQuantity(text);
    if (value !== null) total.set(name, (total.get(name) ?? 0n) + value * factor);
  }
}

/** The larger of each resource of two totals. */
export function maxQuantities(left: Map<string, bigint>, right: Map<string, bigint>): Map<string, bigint> {
  const result = new Map(left);
  for (const [name, value] of right) if ((result.get(name) ?? 0n) < value) result.set(name, value);
  return result;
}
