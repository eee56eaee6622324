/** Conformance progress: a live bar on a terminal, one plain line per cell in CI. */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../cli/conformance/progress.js';
import type { CellResult } from '../../cli/conformance/types.js';

function cell(id: string, result: 'pass' | 'fail'): CellResult {
  const [platform, scm, models, network] = id.split('/') as [string, string, string, string];
  return {
    id, platform, scm, models, network, status: 'supported', result, reasons: [], durationMs: 2500,
    stages: [
      { name: 'render', status: 'pass', durationMs: 100, message: null },
      { name: 'helm4-lint', status: result === 'pass' ? 'pass' : 'fail', durationMs: 2400, message: result === 'pass' ? null : 'chart is broken' },
    ],
  };
}

function run(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (text: string) => (chunks.push(text), true) } as unknown as NodeJS.WriteStream;
  let clock = 0;
  const progress = createProgress(stream, () => clock);
  progress.start(3);
  for (const [index, [id, result]] of ([['aws/github/saas-api/connected', 'pass'], ['gcp/github/saas-api/connected', 'fail'], ['azure/github/saas-api/connected', 'pass']] as const).entries()) {
    clock += 4000;
    progress.cell(cell(id, result), index + 1, 3);
  }
  progress.finish();
  return chunks;
}

describe('conformance progress', () => {
  it('in CI: one plain line per cell, the failing stage named, no control characters', () => {
    const text = run(false).join('');
    expect(text).not.toMatch(/\r|\x1b/);
    expect(text.trimEnd().split('\n')).toEqual([
      'conformance: 3 cells',
      'PASS [1/3] aws/github/saas-api/connected (supported, 2.5s)',
      'FAIL [2/3] gcp/github/saas-api/connected (supported, 2.5s) helm4-lint: chart is broken',
      'PASS [3/3] azure/github/saas-api/connected (supported, 2.5s)',
      'conformance finished in 12s',
    ]);
  });

  it('on a terminal: the bar redraws in place; a failure is printed on its own line above it', () => {
    const chunks = run(true);
    const bars = chunks.filter((chunk) => chunk.startsWith('\r\x1b[2K['));
    expect(bars).toEqual([
      `\r\x1b[2K[${'#'.repeat(10)}${'-'.repeat(20)}] 1/3 cells, 0 failed, 4s`,
      `\r\x1b[2K[${'#'.repeat(20)}${'-'.repeat(10)}] 2/3 cells, 1 failed, 8s`,
      `\r\x1b[2K[${'#'.repeat(30)}] 3/3 cells, 1 failed, 12s`,
    ]);
    expect(chunks).toContain('\r\x1b[2KFAIL gcp/github/saas-api/connected: chart is broken\n');
    expect(chunks.at(-1)).toBe('\n');
  });
});
