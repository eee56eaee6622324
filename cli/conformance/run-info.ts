/** When and on what a conformance run ran: the report's `run` block (commit, dirty, start, wall time). */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { SIZE_CAPS } from '../lib/read-capped.js';

export interface RunInfo {
  /** Full commit (40 or 64 hex) of the installctl checkout that ran; null outside a git checkout of it. */
  commit: string | null;
  /** Tracked files differed from that commit; null when commit is null. */
  dirty: boolean | null;
  /** ISO 8601 UTC start time. */
  startedAt: string;
  durationMs: number;
}

/** A full SHA-1 or SHA-256 object name: `--short` would vary with the clone (its length grows with the object count). */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** How a commit is shown to people (reports compare the full one); anything else (a hand-made report) as it is. */
export const shortCommit = (commit: string): string => (COMMIT.test(commit) ? commit.slice(0, 12) : commit);

const git = (root: string, args: string[]) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: SIZE_CAPS.gitOutput, timeout: 10_000 });

/**
 * `git rev-parse HEAD` of the package's own checkout, and whether its tracked files differ from it.
 * Null when git is missing, the package is not a checkout, or it sits inside someone else's
 * repository (installed under node_modules): that repository's commit says nothing about installctl.
 * git's answer is capped and shape-checked.
 */
export function checkoutState(root: string): { commit: string; dirty: boolean } | null {
  try {
    const [top, commit] = git(root, ['rev-parse', '--show-toplevel', 'HEAD']).split('\n');
    if (!top || !commit || realpathSync(top) !== realpathSync(root) || !COMMIT.test(commit)) return null;
    let dirty = false;
    try {
      git(root, ['diff', '--quiet', 'HEAD', '--']);
    } catch {
      // Exit 1: differences; any other failure: not known to be clean either.
      dirty = true;
    }
    return { commit, dirty };
  } catch {
    return null;
  }
}

/** The full commit of the checkout, or null (see checkoutState). */
export const checkoutCommit = (root: string): string | null => checkoutState(root)?.commit ?? null;
