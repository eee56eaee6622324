/**
 * The fast tier keeps its promise: in the unit project every way of starting Helm, a registry, a
 * browser or a node process throws, and a file that calls the helpers that would is integration;
 * the integration list names real files; npm test still runs both tiers.
 */
import { describe, expect, it } from 'vitest';
import childProcess, { exec, execFile, execFileSync, execSync, fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './helpers/cli.js';
import { GUARD_INSTALLED, unitTierViolation } from './helpers/unit-tier-guard.js';
import { INTEGRATION_CALLS, INTEGRATION_TESTS, integrationTests } from './tiers.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [relative(REPO, path)] : [];
  });
}

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

// This file is in the unit tier, so its setup file installed the guard.
const integration = integrationTests(REPO);
const unitFiles = testFiles(join(REPO, 'test')).filter((file) => !integration.includes(file));
const guarded = () => (globalThis as Record<symbol, unknown>)[GUARD_INSTALLED] === true;

describe('the unit tier guard', () => {
  it.each([
    ['helm', () => spawnSync('helm', ['version'])],
    ['helm by path', () => execFile(join(REPO, '.tools', 'helm3', 'helm'), ['template', 'x'])],
    ['helm inside sh -c', () => execFileSync('sh', ['-c', 'helm lint charts/agent-platform'])],
    ['docker-registry', () => spawn('docker-registry', ['serve', 'config.yml'])],
    ['skopeo', () => execFileSync('skopeo', ['copy', 'oci:a', 'oci:b'])],
    ['htpasswd through exec', () => exec('htpasswd -Bbn u p')],
    ['chromium through execSync', () => execSync('chromium --headless --dump-dom file:///x')],
    ['the installctl binary', () => spawnSync(process.execPath, [join(REPO, 'cli', 'bin', 'run.js'), 'validate'])],
    ['a node script by name', () => childProcess.spawnSync('node', ['scripts/vendor-images.mjs', 'out'])],
    ['fork', () => fork(join(REPO, 'dist', 'conformance-worker.js'))],
  ])('refuses %s', (_name, start) => {
    // Without the guard the call would really start the tool: fail first instead.
    expect(guarded()).toBe(true);
    expect(start).toThrow(/unit tier \(npm run test:unit\) runs in-process/);
  });

  it('lets small POSIX tools run (git, sh, tar, mkfifo)', () => {
    expect(unitTierViolation('git', ['status'])).toBeNull();
    expect(unitTierViolation('sh', ['-c', 'printf x > fifo'])).toBeNull();
    expect(unitTierViolation('tar', ['-cf', 'x.tar', 'oci-layout'])).toBeNull();
    expect(guarded()).toBe(true);
    expect(spawnSync('sh', ['-c', 'exit 0']).status).toBe(0);
  });

  it.each(INTEGRATION_CALLS)('a test file that calls %s is in the integration tier, listed or not', (_name, pattern) => {
    expect(unitFiles.filter((file) => pattern.test(readFileSync(join(REPO, file), 'utf8')))).toEqual([]);
  });

  it('finds them: end-to-end, registry, browser and Helm files', () => {
    expect(integration).toEqual(expect.arrayContaining(['test/cli/e2e.test.ts', 'test/services/bundle-push.test.ts', 'test/conformance/heatmap.test.ts', 'test/charts/render.test.ts']));
    expect(unitFiles).toContain('test/tiers.test.ts');
  });
});

describe('the tiers', () => {
  it('list only test files that exist, once each', () => {
    expect(INTEGRATION_TESTS.filter((file) => !existsSync(join(REPO, file)) || !file.endsWith('.test.ts'))).toEqual([]);
    expect(new Set(INTEGRATION_TESTS).size).toBe(INTEGRATION_TESTS.length);
    expect(unitFiles.length).toBeGreaterThan(40);
  });

  it('npm run test:unit runs the unit project; npm test runs every project', () => {
    expect(pkg.scripts['test:unit']).toMatch(/\bvitest run --project unit\b/);
    expect(pkg.scripts.test).toMatch(/\bvitest run\b/);
    expect(pkg.scripts.test).not.toMatch(/--project/);
  });
});
