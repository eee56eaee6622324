/** Progress on stderr: a live bar on a terminal, one plain line per cell in CI (no TTY). */
import type { CellResult } from './types.js';
import { visibleLine } from '../lib/visible-text.js';

export interface Progress {
  start(total: number): void;
  cell(result: CellResult, done: number, total: number): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  let started = now();
  let failed = 0;
  const elapsed = () => `${((now() - started) / 1000).toFixed(0)}s`;
  if (stream.isTTY) {
    const width = 30;
    return {
      start: (total) => {
        started = now();
        stream.write(`conformance: ${total} cells\n`);
      },
      cell: (result, done, total) => {
        if (result.result === 'fail') {
          failed++;
          stream.write(`\r\x1b[2KFAIL ${visibleLine(result.id)}: ${visibleLine(result.stages.find((stage) => stage.status === 'fail')?.message ?? '')}\n`);
        }
        const filled = Math.round((done / total) * width);
        stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} cells, ${failed} failed, ${elapsed()}`);
      },
      finish: () => stream.write('\n'),
    };
  }
  return {
    start: (total) => {
      started = now();
      stream.write(`conformance: ${total} cells\n`);
    },
    cell: (result, done, total) => {
      const failedStage = result.stages.find((stage) => stage.status === 'fail');
      const line = `${result.result === 'pass' ? 'PASS' : 'FAIL'} [${done}/${total}] ${result.id} (${result.status}, ${(result.durationMs / 1000).toFixed(1)}s)${failedStage ? ` ${failedStage.name}: ${failedStage.message}` : ''}`;
      stream.write(`${visibleLine(line)}\n`);
    },
    finish: () => stream.write(`conformance finished in ${elapsed()}\n`),
  };
}
