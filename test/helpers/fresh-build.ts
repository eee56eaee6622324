/**
 * vitest globalSetup: runs once in the main vitest process before any test file. Tests spawn the
 * built CLI (cli/bin/run.js -> dist/) and in-process renders read dist/chart-base-values.json, so a
 * dist/ older than its sources would test yesterday's code. Freshness is judged by dist/.build-stamp,
 * which scripts/build.mjs writes as its last step (a build that stopped half-way has none) and which
 * lists the files the build read (esbuild's metafile). When the stamp is missing or any build input
 * is newer, this rebuilds dist/ (`node scripts/build.mjs`, ~2 s); when that fails, the run
 * stops here with the build's output instead of failing a hundred tests one by one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './cli.js';

/**
 * What the bundle is built from, whatever the stamp says: sources (stacks/ is bundled too), data
 * compiled into it, the compiler settings, the build itself. The stamp's own list adds any other file.
 */
export const BUILD_INPUTS = ['cli', 'stacks', 'schemas', 'matrix', 'charts', 'package.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/yaml-loader.mjs'];
export const BUILD_STAMP = join('dist', '.build-stamp');

/** The inputs a stamp lists (repository paths), or null when it is unreadable (an interrupted write). */
function stampedInputs(stamp: string): string[] | null {
  try {
    const { inputs } = JSON.parse(readFileSync(stamp, 'utf8')) as { inputs?: unknown };
    return Array.isArray(inputs) && inputs.every((input) => typeof input === 'string') ? inputs : null;
  } catch {
    return null;
  }
}

function newestFile(path: string): { path: string; mtimeMs: number } | null {
  if (!existsSync(path)) return null;
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest: { path: string; mtimeMs: number } | null = null;
  for (const name of readdirSync(path)) {
    const candidate = newestFile(join(path, name));
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}

/** Why dist/ must be rebuilt before tests run, or null when its stamp is at least as new as every input. */
export function staleBuildReason(repo: string): string | null {
  const stamp = join(repo, BUILD_STAMP);
  if (!existsSync(stamp)) return `${BUILD_STAMP} is missing (no build, or one that did not finish)`;
  const inputs = stampedInputs(stamp);
  if (inputs === null) return `${BUILD_STAMP} does not list the build's inputs`;
  const builtAt = statSync(stamp).mtimeMs;
  for (const input of new Set([...BUILD_INPUTS, ...inputs])) {
    const newest = newestFile(join(repo, input));
    if (newest && newest.mtimeMs > builtAt) return `${relative(repo, newest.path)} is newer than ${BUILD_STAMP}`;
  }
  return null;
}

export interface BuildRun {
  ok: boolean;
  output: string;
}

function buildWithNode(repo: string): BuildRun {
  const run = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8', timeout: 300_000 });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`.trim() };
}

/** Rebuilds a stale or missing dist/ and returns why it did (null: it was fresh); throws when the build fails. */
export function ensureFreshBuild(repo: string, build: (repo: string) => BuildRun = buildWithNode): string | null {
  const reason = staleBuildReason(repo);
  if (reason === null) return null;
  const run = build(repo);
  if (!run.ok) {
    throw new Error(`tests need a fresh dist/ (${reason}), and \`node scripts/build.mjs\` failed; fix the build (npm run build) before running tests:\n${run.output}`);
  }
  const still = staleBuildReason(repo);
  if (still !== null) throw new Error(`\`node scripts/build.mjs\` succeeded but dist/ is still stale (${still}): refusing to test an old build`);
  return reason;
}

export default function setup(): void {
  const rebuilt = ensureFreshBuild(REPO);
  if (rebuilt) console.log(`[tests] rebuilt dist/ (${rebuilt})`);
}
