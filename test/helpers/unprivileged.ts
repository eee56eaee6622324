/**
 * Runs the CLI as a user without privileges, so permission bits apply: root ignores them, and CI
 * runs as root. As root the command runs as nobody (65534) under `setpriv` (util-linux) or, failing
 * that, `su`; as any other user it runs as that user. When neither works, `unprivileged.reason`
 * says why and the tests using it skip with that reason.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type CliRun } from './cli.js';

export const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

type Wrap = (argv: string[]) => string[];
const wrap: Wrap | null = !isRoot
  ? (argv) => argv
  : has('setpriv')
    ? (argv) => ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...argv]
    : has('su') && spawnSync('su', ['-s', '/bin/sh', 'nobody', '-c', 'true']).status === 0
      ? (argv) => ['su', '-s', '/bin/sh', 'nobody', '-c', argv.map(shellQuote).join(' ')]
      : null;

export const unprivileged = {
  available: wrap !== null,
  reason: wrap !== null ? null : 'running as root without setpriv or su: cannot drop privileges, and root ignores permission bits',
};

/** A fresh directory the unprivileged user owns (0755, in the world-accessible temp directory). */
export function unprivilegedDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  if (isRoot) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

/** runCli as the unprivileged user, with HOME (where oclif writes its data) in a directory it owns. */
export function runCliUnprivileged(args: string[], options: { cwd: string; home: string }): CliRun {
  if (!wrap) throw new Error(unprivileged.reason!);
  const env = {
    NO_COLOR: '1',
    HOME: options.home,
    XDG_DATA_HOME: join(options.home, '.local', 'share'),
    XDG_CACHE_HOME: join(options.home, '.cache'),
    XDG_CONFIG_HOME: join(options.home, '.config'),
  };
  // `env` inside the wrapper: su resets HOME to the target user's.
  const [command, ...rest] = wrap(['env', ...Object.entries(env).map(([key, value]) => `${key}=${value}`), process.execPath, BIN, ...args]);
  const result = spawnSync(command!, rest, { cwd: options.cwd, encoding: 'utf8', env: process.env, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) };
}
