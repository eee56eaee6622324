/** The line diff of render --diff: applying its hunks to the old text gives the new text, and the edit is minimal. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffLines, formatUnified, splitLines, type Hunk } from '../../cli/lib/line-diff.js';

/** Applies hunks as patch(1) would, checking every context and removed line against the old text. */
function applyHunks(oldText: string, hunks: readonly Hunk[]): string {
  const old = splitLines(oldText);
  const out: string[] = [];
  let at = 0;
  for (const hunk of hunks) {
    const start = hunk.oldLines ? hunk.oldStart - 1 : hunk.oldStart;
    if (start < at) throw new Error('hunks overlap or are out of order');
    out.push(...old.slice(at, start));
    at = start;
    for (const line of hunk.lines) {
      const [kind, body] = [line[0], line.slice(1)];
      if (kind === '+') out.push(body);
      else {
        if (old[at] !== body) throw new Error(`hunk does not match the old text at line ${at + 1}`);
        if (kind === ' ') out.push(body);
        at++;
      }
    }
  }
  out.push(...old.slice(at));
  return out.join('');
}

function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const line of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = line === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

// Few distinct lines, so texts share many lines and the diff has to choose.
const text = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'secure: x', '', 'd e'), { maxLength: 40 }), fc.boolean())
  .map(([lines, newline]) => lines.join('\n') + (newline && lines.length ? '\n' : ''));

describe('diffLines', () => {
  it('applying the hunks to the old text gives the new text', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (a, b, context) => {
        expect(applyHunks(a, diffLines(a, b, context))).toBe(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('is minimal: it removes and adds only the lines outside a longest common subsequence', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const changed = diffLines(a, b)
          .flatMap((hunk) => hunk.lines)
          .filter((line) => line[0] !== ' ').length;
        const [left, right] = [splitLines(a), splitLines(b)];
        expect(changed).toBe(left.length + right.length - 2 * lcsLength(left, right));
      }),
      { numRuns: 1000 },
    );
  });

  it('has no hunks for equal texts', () => {
    fc.assert(
      fc.property(text, (a) => {
        expect(diffLines(a, a)).toEqual([]);
      }),
    );
  });

  it('stays correct past the edit budget (files replaced whole)', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `old ${i}\n`).join('');
    const b = Array.from({ length: 3000 }, (_, i) => `new ${i}\n`).join('');
    expect(applyHunks(a, diffLines(a, b))).toBe(b);
  });

  it.each([
    ['a new file', '', 'x\ny\n', { old: false, new: true }, '--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n'],
    ['a removed file', 'x\n', '', { old: true, new: false }, '--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n'],
    ['a changed line', 'a\nb\nc\n', 'a\nB\nc\n', { old: true, new: true }, '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n'],
    ['a newline added at the end', 'a', 'a\n', { old: true, new: true }, '--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n'],
  ])('formats %s as diff -u does', (_, a, b, sides, expected) => {
    expect(formatUnified('f', diffLines(a, b), sides)).toBe(expected);
  });
});
