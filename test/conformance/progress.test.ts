/** Conformance progress: a live line with an ETA on a terminal; in CI one plain line per cell and a heartbeat. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress, etaMs, type RunEstimate } from '../../cli/conformance/progress.js';
import type { CellResult } from '../../cli/conformance/types.js';

function cell(id: string, result: 'pass' | 'fail'): CellResult {
  const [platform, scm, models, network] = id.split('/') as [string, string, string, string];
  return {
    id,
    platform,
    scm,
    models,
    network,
    status: 'supported',
    result,
    reasons: [],
    durationMs: 2500,
    stages: [
      { name: 'render', status: 'pass', durationMs: 100, message: null },
      { name: 'helm4-lint', status: result === 'pass' ? 'pass' : 'fail', durationMs: 2400, message: result === 'pass' ? null : 'chart is broken' },
    ],
    upgrades: [],
  };
}

const IDS = ['aws/github/saas-api/connected', 'gcp/github/saas-api/connected', 'azure/github/saas-api/connected'] as const;

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (text: string) => (chunks.push(text), true) } as unknown as NodeJS.WriteStream;
  return { chunks, stream };
}

function run(isTTY: boolean) {
  const { chunks, stream } = capture(isTTY);
  let clock = 0;
  const progress = createProgress(stream, () => clock);
  progress.start(3);
  for (const [index, id] of IDS.entries()) {
    clock += 4000;
    progress.cell(cell(id, index === 1 ? 'fail' : 'pass'), index + 1, 3);
  }
  progress.finish();
  return chunks;
}

describe('conformance progress, cell by cell', () => {
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

  it('on a terminal: the bar redraws in place from the start; a failure is printed on its own line above it', () => {
    const chunks = run(true);
    const bars = chunks.filter((chunk) => chunk.startsWith('\r\x1b[2K['));
    expect(bars).toEqual([
      `\r\x1b[2K[${'-'.repeat(30)}] 0/3 cells, 0 failed, 0s`,
      `\r\x1b[2K[${'#'.repeat(10)}${'-'.repeat(20)}] 1/3 cells, 0 failed, 4s`,
      `\r\x1b[2K[${'#'.repeat(20)}${'-'.repeat(10)}] 2/3 cells, 1 failed, 8s`,
      `\r\x1b[2K[${'#'.repeat(30)}] 3/3 cells, 1 failed, 12s`,
    ]);
    expect(chunks).toContain('\r\x1b[2KFAIL gcp/github/saas-api/connected: chart is broken\n');
    expect(chunks.at(-1)).toBe('\n');
  });
});

describe('heartbeat from the first moment', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  const estimate: RunEstimate = { wallMs: 30_000, costs: new Map(IDS.map((id) => [id, 8000])), workers: 2 };

  // The ETA counts from start() (the cells' estimate), the elapsed time from the command's start.
  it('in CI: what is happening, then a heartbeat line whenever nothing was printed for 5 s, with an ETA', () => {
    const { chunks, stream } = capture(false);
    const progress = createProgress(stream);
    progress.phase('checking Helm 3 and 4');
    vi.advanceTimersByTime(2000);
    progress.start(3, estimate);
    // Workers warming up: no cell for 12 s, yet a line at least every 5 s.
    vi.advanceTimersByTime(12_000);
    progress.cell(cell(IDS[0], 'pass'), 1, 3);
    vi.advanceTimersByTime(6000);
    progress.finish();
    vi.advanceTimersByTime(20_000);
    const lines = chunks.join('').trimEnd().split('\n');
    expect(lines).toEqual([
      'conformance: checking Helm 3 and 4',
      'conformance: 3 cells on 2 workers, estimated ~30s',
      '... waiting for the first batch of cells (each worker loads Pulumi and the charts first), 7s elapsed, ETA ~25s',
      '... waiting for the first batch of cells (each worker loads Pulumi and the charts first), 12s elapsed, ETA ~20s',
      'PASS [1/3] aws/github/saas-api/connected (supported, 2.5s)',
      '... 1/3 cells done, 0 failed, 19s elapsed, ETA ~13s',
      'conformance finished in 20s',
    ]);
    expect(chunks.join('')).not.toMatch(/\r|\x1b/);
  });

  it('on a terminal: the live line redraws every second, before the first cell too', () => {
    const { chunks, stream } = capture(true);
    const progress = createProgress(stream);
    progress.phase('checking Helm 4');
    vi.advanceTimersByTime(2000);
    expect(chunks.at(-1)).toBe('\r\x1b[2Kconformance: checking Helm 4 (2s)');
    progress.start(3, estimate);
    vi.advanceTimersByTime(3000);
    expect(chunks.at(-1)).toBe(`\r\x1b[2K[${'-'.repeat(30)}] 0/3 cells, 0 failed, 5s, ETA ~27s`);
    progress.stop();
    const count = chunks.length;
    vi.advanceTimersByTime(10_000);
    expect(chunks.length).toBe(count);
  });

  it('on a terminal: a note goes above the live line, which is redrawn under it', () => {
    const { chunks, stream } = capture(true);
    const progress = createProgress(stream);
    progress.phase('checking Helm 4');
    progress.note(['--affected origin/main: 2 cells selected', '  stack:aws: stacks/aws/a.ts -> 2 cells']);
    progress.stop();
    expect(chunks.slice(1)).toEqual([
      '\r\x1b[2K--affected origin/main: 2 cells selected\n  stack:aws: stacks/aws/a.ts -> 2 cells\n',
      '\r\x1b[2Kconformance: checking Helm 4 (0s)',
      '\n',
    ]);
  });

  it('in CI: says the ETA is unknown once the estimate is spent before the first cell', () => {
    const { chunks, stream } = capture(false);
    const progress = createProgress(stream);
    progress.start(3, estimate);
    vi.advanceTimersByTime(35_000);
    progress.stop();
    expect(chunks.at(-1)).toBe('... waiting for the first batch of cells (each worker loads Pulumi and the charts first), 35s elapsed, ETA unknown (slower than estimated)\n');
  });

  it('names hostile phase text inertly', () => {
    const { chunks, stream } = capture(false);
    const progress = createProgress(stream);
    progress.phase('checking \x1b[2JHelm\nnext');
    progress.stop();
    expect(chunks.join('')).toBe('conformance: checking \\x1b[2JHelm\\nnext\n');
  });
});

describe('ETA', () => {
  const costs = new Map([
    ['a', 1000],
    ['b', 1000],
    ['c', 2000],
    ['d', 2000],
  ]);
  const estimate: RunEstimate = { wallMs: 6000 + 3000, costs, workers: 2 };
  it.each([
    ['before any cell: the estimate minus the time spent', new Set<string>(), 4000, 5000],
    ['past the estimate with nothing done: unknown, not zero', new Set<string>(), 12_000, null],
    ['on pace: the remaining cost over the workers', new Set(['a', 'b']), 7000, 2000],
    ['twice as slow as estimated: twice the remaining time', new Set(['a', 'b']), 14_000, 4000],
    ['a cheap early result: no sooner than the estimate', new Set(['a']), 2000, 7000],
    ['all done', new Set(['a', 'b', 'c', 'd']), 9000, 0],
  ])('%s', (_, done, elapsed, expected) => {
    if (expected === null) expect(etaMs(estimate, done, elapsed)).toBeNull();
    else expect(etaMs(estimate, done, elapsed)).toBeCloseTo(expected, 5);
  });
});

describe('the CI heartbeat (default settings, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it.each([
    ['before the first cell', (progress: ReturnType<typeof createProgress>) => progress.phase('checking Helm 4')],
    [
      'after a cell',
      (progress: ReturnType<typeof createProgress>) => {
        progress.start(3);
        progress.cell(cell(IDS[0], 'pass'), 1, 3);
      },
    ],
  ])('%s: a heartbeat line after 5 s of silence, none before', (_, lastOutput) => {
    const { chunks, stream } = capture(false);
    const progress = createProgress(stream);
    lastOutput(progress);
    const printed = chunks.length;
    const heartbeats = () => chunks.slice(printed).filter((chunk) => chunk.startsWith('... '));
    vi.advanceTimersByTime(4000);
    expect(heartbeats()).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(heartbeats()).toHaveLength(1);
    expect(heartbeats()[0]).toMatch(/ 5s elapsed/);
    // The heartbeat is output too: the next one comes 5 s after it, not at once.
    vi.advanceTimersByTime(4000);
    expect(heartbeats()).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(heartbeats()).toHaveLength(2);
    progress.stop();
  });
});
