/**
 * API objects trimmed to the evidence schema's fields and bounds (schemas/preflight-evidence.schema.json):
 * maps with sorted keys, entries over the schema's lengths dropped rather than cut (a cut label
 * would be a label the cluster does not have), names clipped, lists sorted so the same cluster gives
 * the same evidence.
 */

/** A label map as evidence: sorted, at most 200 entries, keys <= 317 and values <= 1024 characters. */
export function stringMap(map: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  const keys = Object.keys(map ?? {})
    .filter((key) => key.length <= 317 && typeof map![key] === 'string' && map![key].length <= 1024)
    .sort();
  for (const key of keys.slice(0, 200)) result[key] = map![key]!;
  return result;
}

/** Resource quantities as evidence: sorted, at most 64, names <= 253 and values <= 64 characters. */
export function quantities(map: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  const keys = Object.keys(map ?? {})
    .filter((key) => key.length <= 253 && typeof map![key] === 'string' && map![key].length <= 64)
    .sort();
  for (const key of keys.slice(0, 64)) result[key] = map![key]!;
  return result;
}

/** A string cut to the schema's maximum length (for names and images the API already bounds). */
export const clip = (value: string | undefined, max: number): string => (value ?? '').slice(0, max);

/** A name: at least one character (the schema's name), at most 253. */
export const nameOf = (value: string | undefined): string => clip(value, 253) || '?';

export const byName = <T extends { name: string }>(left: T, right: T): number => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0);

export const byNamespaceAndName = <T extends { namespace: string; name: string }>(left: T, right: T): number =>
  left.namespace < right.namespace ? -1 : left.namespace > right.namespace ? 1 : byName(left, right);

/** Unique, sorted strings. */
export const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();
