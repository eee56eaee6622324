/**
 * The fast tier keeps its promise: in the unit project every way of starting Helm, a registry, a
 * browser or a node process throws, and a file that calls the helpers that would is named
 * *.int.test.ts; vitest.config.ts selects the projects by that suffix; npm test still runs both.
 */
import { describe, expect, it } from 'vitest';
import childProcess, { exec, execFile, execFileSync, execSync, fork, spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import vitestConfig from '../vitest.config.js';
import { REPO } from './helpers/cli.js';
import { GUARD_INSTALLED, unitTierViolation } from './helpers/unit-tier-guard.js';
import { INTEGRATION_CALLS, INTEGRATION_FILES, INTEGRATION_SUFFIX, isIntegrationTest, TEST_FILES } from './tiers.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(REPO, path)];
  });
}

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

// This file is in the unit tier, so its setup file installed the guard.
const testFiles = filesUnder(join(REPO, 'test')).filter((file) => file.endsWith('.test.ts'));
const integration = testFiles.filter(isIntegrationTest);
const unitFiles = testFiles.filter((file) => !isIntegrationTest(file));
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
    expect(start).toThrow(/unit tier \(npm run test:unit\) runs in-process.*Rename its file to \*\.int\.test\.ts/);
  });

  it('lets small POSIX tools run (git, sh, tar, mkfifo)', () => {
    expect(unitTierViolation('git', ['status'])).toBeNull();
    expect(unitTierViolation('sh', ['-c', 'printf x > fifo'])).toBeNull();
    expect(unitTierViolation('tar', ['-cf', 'x.tar', 'oci-layout'])).toBeNull();
    expect(guarded()).toBe(true);
    expect(spawnSync('sh', ['-c', 'exit 0']).status).toBe(0);
  });

  it.each(INTEGRATION_CALLS)('a test file that calls %s is named *.int.test.ts', (_name, pattern) => {
    expect(unitFiles.filter((file) => pattern.test(readFileSync(join(REPO, file), 'utf8')))).toEqual([]);
  });

  it('finds them: end-to-end, registry, browser, Helm and Pulumi-synthesis files are integration', () => {
    expect(integration).toEqual(
      expect.arrayContaining([
        'test/cli/e2e.int.test.ts',
        'test/services/bundle-push.int.test.ts',
        'test/conformance/heatmap.int.test.ts',
        'test/charts/render.int.test.ts',
        'test/stacks/cells.int.test.ts',
      ]),
    );
    expect(unitFiles).toContain('test/tiers.test.ts');
    expect(unitFiles.length).toBeGreaterThan(40);
  });
});

describe('the tiers', () => {
  const projects = (vitestConfig.test?.projects ?? []) as Array<{ test: { name: string; include: string[]; exclude?: string[] } }>;
  const project = (name: string) => projects.find((entry) => entry.test.name === name)!.test;

  it('vitest.config.ts selects them by name: integration runs *.int.test.ts, unit every other *.test.ts', () => {
    expect(projects.map((entry) => entry.test.name)).toEqual(['unit', 'integration']);
    expect(INTEGRATION_FILES).toBe(`test/**/*${INTEGRATION_SUFFIX}`);
    expect(project('unit').include).toEqual([TEST_FILES]);
    expect(project('unit').exclude).toEqual([INTEGRATION_FILES]);
    expect(project('integration').include).toEqual([INTEGRATION_FILES]);
  });

  it('every test file under test/ is named *.test.ts, so no misspelt suffix silently never runs', () => {
    const misnamed = filesUnder(join(REPO, 'test')).filter(
      (file) => /[.-](int|integration|test|spec)[.-]/.test(file.slice(file.lastIndexOf('/'))) && !file.endsWith('.test.ts') && !file.includes('/golden'),
    );
    expect(misnamed).toEqual([]);
  });

  it('npm run test:unit runs the unit project; npm test runs every project; the global setup builds dist/ for both', () => {
    expect(pkg.scripts['test:unit']).toMatch(/\bvitest run --project unit\b/);
    expect(pkg.scripts.test).toMatch(/\bvitest run\b/);
    expect(pkg.scripts.test).not.toMatch(/--project/);
    expect(vitestConfig.test?.globalSetup).toEqual(['test/helpers/fresh-build.ts']);
  });
});
