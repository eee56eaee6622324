/** When and on what a conformance run ran: the report's `run` block (commit, start, wall time). */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { SIZE_CAPS } from '../lib/read-capped.js';

export interface RunInfo {
  /** Short commit of the installctl checkout that ran; null outside a git checkout of it. */
  commit: string | null;
  /** ISO 8601 UTC start time. */
  startedAt: string;
  durationMs: number;
}

const COMMIT = /^[0-9a-f]{4,64}$/;

/**
 * `git rev-parse --short HEAD` of the package's own checkout. Null when git is missing, the package
 * is not a checkout, or it sits inside someone else's repository (installed under node_modules):
 * that repository's commit says nothing about installctl. git's answer is capped and shape-checked.
 */
export function checkoutCommit(root: string): string | null {
  try {
    const [top, commit] = execFileSync('git', ['rev-parse', '--show-toplevel', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: SIZE_CAPS.gitOutput, timeout: 10_000 }).split('\n');
    if (!top || !commit || realpathSync(top) !== realpathSync(root)) return null;
    return COMMIT.test(commit) ? commit : null;
  } catch {
    return null;
  }
}
