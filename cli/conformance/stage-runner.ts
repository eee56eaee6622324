/** The stages of one cell as they run: each recorded in order, and a failed one skips every later one. */
import type { StageResult } from './types.js';

export class Stages {
  readonly results: StageResult[] = [];
  private failed: string | null = null;

  /** Records a stage that ran elsewhere (the batched lint) or came from --cache-dir; null when it could not run. */
  record(name: string, outcome: { message: string | null; durationMs: number; cached?: boolean } | null): void {
    if (this.failed || !outcome) {
      this.results.push({ name, status: 'skip', durationMs: 0, message: `skipped: ${this.failed ?? 'an earlier stage'} failed` });
      return;
    }
    const cached = outcome.cached && !outcome.message;
    this.results.push({
      name,
      status: outcome.message ? 'fail' : 'pass',
      durationMs: cached ? 0 : outcome.durationMs,
      message: outcome.message,
      ...(cached ? { cached: true as const } : {}),
    });
    if (outcome.message) this.failed = name;
  }

  /** A stage whose passing result came from the --cache-dir result cache. */
  cached(name: string): void {
    this.record(name, { message: null, durationMs: 0, cached: true });
  }

  /** Marks the last stage, when it passed, as served from the cache (every input it read was a hit). */
  markLastCached(): void {
    const last = this.results[this.results.length - 1];
    if (last?.status === 'pass') Object.assign(last, { durationMs: 0, cached: true as const });
  }

  /** The stage that failed (every later one is skipped), or null. */
  get failedStage(): string | null {
    return this.failed;
  }

  get passed(): boolean {
    return this.failed === null && this.results.every((stage) => stage.status === 'pass');
  }

  /** Runs a stage unless an earlier one failed; a thrown error or returned message fails it. */
  async run<T>(name: string, body: () => Promise<T | { fail: string }> | T | { fail: string }): Promise<T | null> {
    if (this.failed) {
      this.results.push({ name, status: 'skip', durationMs: 0, message: `skipped: ${this.failed} failed` });
      return null;
    }
    const started = performance.now();
    let message: string | null = null;
    let value: T | null = null;
    try {
      const outcome = await body();
      if (outcome !== null && typeof outcome === 'object' && 'fail' in (outcome as object)) message = (outcome as { fail: string }).fail;
      else value = outcome as T;
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    this.results.push({ name, status: message ? 'fail' : 'pass', durationMs: Math.round(performance.now() - started), message });
    if (message) this.failed = name;
    return message ? null : value;
  }
}

/** The first few items of a list on one line, and how many more there are. */
export const brief = (items: string[], limit = 5) => items.slice(0, limit).join('; ') + (items.length > limit ? `; ... (${items.length - limit} more)` : '');
