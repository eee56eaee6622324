/**
 * Progress on stderr from the first moment: what the run is doing (Helm check, workers starting),
 * then a live bar with an ETA on a terminal, or one plain line per cell in CI (no TTY) with a
 * heartbeat line whenever nothing was printed for a few seconds, so a CI log never looks hung.
 */
import type { CellResult } from './types.js';
import { visibleLine } from '../lib/visible-text.js';

/** The run's estimate (cost.ts): expected wall time, each cell's cost, the worker count. */
export interface RunEstimate {
  wallMs: number;
  costs: ReadonlyMap<string, number>;
  workers: number;
}

export interface Progress {
  /** What happens before cells come back ("checking Helm 3 and 4"). */
  phase(text: string): void;
  /** Lines of their own (the --affected explanation), above the live line on a terminal. */
  note(lines: readonly string[]): void;
  start(total: number, estimate?: RunEstimate): void;
  cell(result: CellResult, done: number, total: number): void;
  /** The run ended: the last line, and the heartbeat stops. */
  finish(): void;
  /** The run failed before its end: the heartbeat stops, the live line ends, nothing more is said. */
  stop(): void;
}

export interface ProgressOptions {
  /** CI: a heartbeat line when nothing was printed for this long. */
  heartbeatMs?: number;
  /** Terminal: how often the live line redraws. */
  redrawMs?: number;
}

export const HEARTBEAT_MS = 5000;

const seconds = (ms: number) => {
  const total = Math.max(0, Math.round(ms / 1000));
  return total < 60 ? `${total}s` : `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
};

/**
 * The remaining time: before any cell, the estimate minus the time spent (null once that is spent:
 * a slower machine, no pace to go by yet); then the remaining cost scaled by how this machine has
 * kept to the estimate so far (a slower runner stretches its ETA), never sooner than the estimate.
 */
export function etaMs(estimate: RunEstimate, doneIds: ReadonlySet<string>, elapsedMs: number): number | null {
  const workers = Math.max(1, estimate.workers);
  let doneCost = 0;
  let remaining = 0;
  for (const [id, cost] of estimate.costs)
    if (doneIds.has(id)) doneCost += cost;
    else remaining += cost;
  const totalCost = doneCost + remaining;
  const startup = Math.max(0, estimate.wallMs - totalCost / workers);
  if (doneCost === 0) return remaining > 0 && elapsedMs >= estimate.wallMs ? null : Math.max(0, estimate.wallMs - elapsedMs);
  if (remaining === 0) return 0;
  const pace = elapsedMs / (startup + doneCost / workers);
  // Early results (cheap rejections, the first batch) say little of the pace: never sooner than the estimate.
  return Math.max(0, (pace * remaining) / workers, estimate.wallMs - elapsedMs);
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = () => Date.now(), options: ProgressOptions = {}): Progress {
  const started = now();
  /** When the cells were handed to the workers: the estimate counts from here. */
  let cellsStarted = started;
  let lastWrite = now();
  let failed = 0;
  let phase = 'starting';
  let total = 0;
  let done = 0;
  let estimate: RunEstimate | undefined;
  const doneIds = new Set<string>();
  const elapsed = () => seconds(now() - started);
  const eta = () => {
    if (!estimate) return '';
    const left = etaMs(estimate, doneIds, now() - cellsStarted);
    return left === null ? ', ETA unknown (slower than estimated)' : `, ETA ~${seconds(left)}`;
  };
  const write = (text: string) => {
    lastWrite = now();
    stream.write(text);
  };
  const tty = Boolean(stream.isTTY);
  const width = 30;
  const liveLine = () => {
    if (total === 0) return `\r\x1b[2Kconformance: ${visibleLine(phase)} (${elapsed()})`;
    const filled = Math.round((done / total) * width);
    return `\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} cells, ${failed} failed, ${elapsed()}${done < total ? eta() : ''}`;
  };
  const heartbeat = () => {
    if (tty) return write(liveLine());
    if (now() - lastWrite < (options.heartbeatMs ?? HEARTBEAT_MS)) return;
    const status = done === 0 ? visibleLine(phase) : `${done}/${total} cells done, ${failed} failed`;
    write(`... ${status}, ${elapsed()} elapsed${eta()}\n`);
  };
  const timer = setInterval(heartbeat, tty ? (options.redrawMs ?? 1000) : Math.min(1000, options.heartbeatMs ?? HEARTBEAT_MS));
  timer.unref();

  return {
    phase: (text) => {
      phase = text;
      if (tty) write(liveLine());
      else write(`conformance: ${visibleLine(text)}\n`);
    },
    note: (lines) => {
      write(`${tty ? '\r\x1b[2K' : ''}${lines.map((line) => visibleLine(line)).join('\n')}\n`);
      if (tty) write(liveLine());
    },
    start: (count, runEstimate) => {
      cellsStarted = now();
      total = count;
      estimate = runEstimate;
      phase = count === 0 ? 'nothing to run' : 'waiting for the first batch of cells (each worker loads Pulumi and the charts first)';
      const plan = runEstimate ? ` on ${runEstimate.workers} worker${runEstimate.workers === 1 ? '' : 's'}, estimated ~${seconds(runEstimate.wallMs)}` : '';
      write(`${tty ? '\r\x1b[2K' : ''}conformance: ${count} cells${plan}\n`);
      if (tty && count > 0) write(liveLine());
    },
    cell: (result, doneCount, count) => {
      done = doneCount;
      total = count;
      doneIds.add(result.id);
      const failedStage = result.stages.find((stage) => stage.status === 'fail');
      if (result.result !== 'pass') failed++;
      if (tty) {
        if (result.result !== 'pass') write(`\r\x1b[2KFAIL ${visibleLine(result.id)}: ${visibleLine(failedStage?.message ?? '')}\n`);
        write(liveLine());
        return;
      }
      const line = `${result.result === 'pass' ? 'PASS' : 'FAIL'} [${doneCount}/${count}] ${result.id} (${result.status}, ${(result.durationMs / 1000).toFixed(1)}s)${failedStage ? ` ${failedStage.name}: ${failedStage.message}` : ''}`;
      write(`${visibleLine(line)}\n`);
    },
    finish: () => {
      clearInterval(timer);
      write(tty ? '\n' : `conformance finished in ${elapsed()}\n`);
    },
    stop: () => {
      clearInterval(timer);
      if (tty) write('\n');
    },
  };
}
