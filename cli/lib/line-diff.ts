/**
 * A line diff (Myers' O((N+M)D) algorithm) and its unified format, for `render --diff`. No diff
 * library is installed and the need is small: rendered files are a few hundred lines. Lines keep
 * their "\n", so a missing newline at the end of a file is a difference like any other and
 * applying the hunks to the old text gives the new text exactly.
 */

export interface Hunk {
  /** 1-based first line in the old text (the line before, for an empty range: 0 at the top). */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Each line with its prefix (' ', '-', '+') and its own line terminator, if it had one. */
  lines: string[];
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Beyond this many edits the files are treated as replaced whole: still a correct diff, at a bounded cost. */
const MAX_EDITS = 2000;

/** Text as lines, each with its "\n" (the last may lack one). */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

/** The shortest edit script from a to b (Myers), or null when it is longer than maxEdits. */
function shortestEdit(a: readonly string[], b: readonly string[], maxEdits: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d-1 .. d+1] before step d: enough to walk back, in O(D^2) memory.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return null;
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const row = trace[d]!;
    const at = (k: number) => row[k + d + 1]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ kind: ' ', line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === previousX) ops.push({ kind: '+', line: b[--y]! });
      else ops.push({ kind: '-', line: a[--x]! });
    }
  }
  return ops.reverse();
}

/** The edit script: equal prefix and suffix first (the usual case of a re-render), Myers in between. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const middle = shortestEdit(middleA, middleB, MAX_EDITS) ?? [...middleA.map((line): Op => ({ kind: '-', line })), ...middleB.map((line): Op => ({ kind: '+', line }))];
  return [...a.slice(0, start).map((line): Op => ({ kind: ' ', line })), ...middle, ...a.slice(endA).map((line): Op => ({ kind: ' ', line }))];
}

/** The hunks turning oldText into newText, with `context` unchanged lines around each change. */
export function diffLines(oldText: string, newText: string, context = 3): Hunk[] {
  const ops = editScript(splitLines(oldText), splitLines(newText));
  const hunks: Hunk[] = [];
  // Positions (0-based) of each op in the old and new text.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && ops[index]!.kind === ' ') index++;
    if (index === ops.length) break;
    const first = Math.max(0, index - context);
    // Extend over changes closer than 2 * context unchanged lines apart.
    let last = index;
    for (let scan = index; scan < ops.length; scan++) {
      if (ops[scan]!.kind !== ' ') last = scan;
      else if (scan - last > 2 * context) break;
    }
    const end = Math.min(ops.length, last + context + 1);
    const slice = ops.slice(first, end);
    const oldLines = slice.filter((op) => op.kind !== '+').length;
    const newLines = slice.filter((op) => op.kind !== '-').length;
    hunks.push({
      oldStart: oldLines ? oldAt[first]! + 1 : oldAt[first]!,
      oldLines,
      newStart: newLines ? newAt[first]! + 1 : newAt[first]!,
      newLines,
      lines: slice.map((op) => op.kind + op.line),
    });
    index = end;
  }
  return hunks;
}

/** Where a shown line is: its prefix and its 0-based index in the old and the new text. */
export interface LinePosition {
  kind: ' ' | '-' | '+';
  oldIndex: number;
  newIndex: number;
}

/**
 * The unified diff text of one file (git's a/ b/ names, /dev/null for a side that does not exist).
 * show rewrites each line for display (redaction); it never changes which lines differ.
 */
export function formatUnified(
  path: string,
  hunks: readonly Hunk[],
  sides: { old: boolean; new: boolean },
  show: (line: string, at: LinePosition) => string = (line) => line,
): string {
  const out = [`--- ${sides.old ? `a/${path}` : '/dev/null'}`, `+++ ${sides.new ? `b/${path}` : '/dev/null'}`];
  for (const hunk of hunks) {
    const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
    out.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    // 0-based positions of the next line on each side (a start of 0 is an empty range at the top).
    let oldIndex = Math.max(0, hunk.oldStart - 1);
    let newIndex = Math.max(0, hunk.newStart - 1);
    for (const line of hunk.lines) {
      const ended = line.endsWith('\n');
      const kind = line[0] as LinePosition['kind'];
      out.push(kind + show(ended ? line.slice(1, -1) : line.slice(1), { kind, oldIndex, newIndex }));
      if (kind !== '+') oldIndex++;
      if (kind !== '-') newIndex++;
      if (!ended) out.push('\\ No newline at end of file');
    }
  }
  return out.join('\n') + '\n';
}
