/**
 * Setup file of the unit tier (npm run test:unit, vitest project "unit"). The tier promises to run
 * in-process: no Helm, no registry (docker-registry, skopeo, htpasswd), no browser (chromium) and no
 * node process of its own (the installctl binary, its workers, a script). Here every child_process
 * entry point refuses those, so a test that needs one fails at once with the way out (name its file
 * *.int.test.ts, test/tiers.ts) instead of making the fast tier slow. Small POSIX tools (git, sh, tar, mkfifo) stay.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const TOOLS = new Set([
  'helm',
  'docker-registry',
  'skopeo',
  'htpasswd',
  'chromium',
  'chromium-browser',
  'chrome',
  'google-chrome',
  'headless_shell',
  'node',
  'npx',
  'npm',
  'vitest',
  'tsc',
]);

/** Why a command line breaks the tier's promise, or null. Every word counts: `sh -c 'helm ...'` too. */
export function unitTierViolation(command: string, args: readonly unknown[] = []): string | null {
  if (command === process.execPath) return 'node';
  for (const word of [command, ...args].flatMap((value) => String(value).split(/[\s;&|()"'`]+/))) {
    if (word === process.execPath || TOOLS.has(basename(word))) return basename(word);
  }
  return null;
}

export class UnitTierViolation extends Error {}

/** Set once the guard is in place: test/tiers.test.ts checks it before trying to start anything. */
export const GUARD_INSTALLED = Symbol.for('installctl.unitTierGuard');

function refuse(command: string, args: readonly unknown[]): void {
  const tool = unitTierViolation(command, args);
  if (tool) {
    throw new UnitTierViolation(
      `the unit tier (npm run test:unit) runs in-process: this test starts ${tool} (${[command, ...args].join(' ').slice(0, 200)}). ` +
        'Rename its file to *.int.test.ts with git mv (the integration project, test/tiers.ts; npm test runs it), or test the code in-process.',
    );
  }
}

type Loose = (...values: unknown[]) => unknown;
const cp = childProcess as unknown as Record<string, Loose>;
const wrap = (name: string, commandLine: (values: unknown[]) => [string, unknown[]]) => {
  const original = cp[name]!;
  cp[name] = function (this: unknown, ...values: unknown[]) {
    const [command, args] = commandLine(values);
    refuse(command, args);
    return original.apply(this, values);
  };
};
const withArgs = (values: unknown[]): [string, unknown[]] => [String(values[0]), Array.isArray(values[1]) ? values[1] : []];
for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) wrap(name, withArgs);
for (const name of ['exec', 'execSync']) wrap(name, (values) => [String(values[0]), []]);
// fork always starts node.
wrap('fork', (values) => [process.execPath, [values[0]]]);
(globalThis as Record<symbol, unknown>)[GUARD_INSTALLED] = true;
// ESM named imports of node:child_process (import { spawn } from ...) see the wrapped functions too.
syncBuiltinESMExports();
