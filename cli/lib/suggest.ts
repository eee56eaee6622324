/** Did-you-mean suggestions for keys and enumerated values. */

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** Lowercase, no surrounding space, '_' and ' ' read as '-': how people mistype our identifiers. */
export function normalizeIdentifier(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/**
 * The closest candidate: an exact match after normalizing, else the only candidate the value is a
 * prefix of (people type the short name: gitlab for gitlab-self-managed, which is a smaller edit
 * away from github), else the nearest within a typo's distance.
 */
export function closest(value: string, candidates: readonly string[]): string | null {
  const normalized = normalizeIdentifier(value);
  const forms = candidates.map(normalizeIdentifier);
  const exact = forms.indexOf(normalized);
  if (exact !== -1) return candidates[exact]!;
  if (normalized !== '') {
    const extending = candidates.filter((_, index) => forms[index]!.startsWith(normalized));
    if (extending.length === 1) return extending[0]!;
  }
  let best: string | null = null;
  let bestDistance = Infinity;
  candidates.forEach((candidate, index) => {
    const distance = editDistance(normalized, forms[index]!);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  });
  const limit = Math.max(1, Math.min(3, Math.floor(normalized.length / 3)));
  return bestDistance <= limit ? best : null;
}

export function quoteList(values: readonly unknown[], limit = 12): string {
  const shown = values.slice(0, limit).map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  return shown.join(', ') + (values.length > limit ? `, ... (${values.length - limit} more)` : '');
}
