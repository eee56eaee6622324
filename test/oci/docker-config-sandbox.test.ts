/**
 * No test reads the developer's Docker config: every test process (vitest setupFiles) and every
 * CLI a test spawns (helpers/cli.ts) sees DOCKER_CONFIG pointing at an empty temp directory, so
 * push and verify tests never pick up real credentials or run a real keychain helper, whatever
 * HOME holds; the developer's INSTALLCTL_*PASSWORD variables do not reach a test either.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { dockerConfigPath, resolveCredentials } from '../../cli/oci/docker-config.js';
import { REPO } from '../helpers/cli.js';
import { cliEnvironment, SANDBOX_VARIABLE } from '../helpers/test-environment.js';

const realConfig = join(userInfo().homedir, '.docker', 'config.json');
const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

function expectSandboxed(env: NodeJS.ProcessEnv) {
  const file = dockerConfigPath(env);
  expect(file).not.toBe(realConfig);
  expect(relative(tmpdir(), file).startsWith('..'), `${file} is not under ${tmpdir()}`).toBe(false);
  expect(env.DOCKER_CONFIG).toBe(process.env[SANDBOX_VARIABLE]);
  expect(readdirSync(env.DOCKER_CONFIG!), 'the sandbox Docker config directory is empty').toEqual([]);
}

describe('tests never reach the real Docker config', () => {
  it('in the test process: DOCKER_CONFIG is an empty temp directory, whatever HOME is', async () => {
    expectSandboxed(process.env);
    const warnings: string[] = [];
    expect(await resolveCredentials('registry.acme.internal:5000', { env: { ...process.env, HOME: userInfo().homedir }, onWarning: (line) => warnings.push(line) })).toEqual({
      source: 'none',
    });
    expect(warnings).toEqual([]);
  });

  it('in every CLI a test runs, even when a test dropped DOCKER_CONFIG or the developer set a password variable', () => {
    delete process.env.DOCKER_CONFIG;
    process.env.INSTALLCTL_REGISTRY_PASSWORD = 'developer-secret';
    process.env.INSTALLCTL_SOURCE_PASSWORD = 'developer-secret';
    const env = cliEnvironment();
    expectSandboxed(env);
    expect(Object.keys(env).filter((name) => /^INSTALLCTL_.*PASSWORD$/.test(name))).toEqual([]);
    expect(cliEnvironment({ DOCKER_CONFIG: '/tmp/own' }).DOCKER_CONFIG, "a test's own DOCKER_CONFIG wins").toBe('/tmp/own');
  });

  it('no test spawns the CLI with an environment built past helpers/cli.ts without DOCKER_CONFIG', () => {
    // A spawn of run.js with `env: {` must spread process.env (isolated by the setup file) or name DOCKER_CONFIG.
    const files = readdirSync(join(REPO, 'test'), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => resolve(REPO, 'test', name));
    const offenders = files.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/spawn(?:Sync)?\(process\.execPath, \[BIN[^\n]*env: \{(?![^}\n]*(?:\.\.\.process\.env|DOCKER_CONFIG|cliEnvironment))/g)].length > 0;
    });
    expect(offenders.map((file) => relative(REPO, file))).toEqual([]);
    expect(existsSync(join(REPO, 'test', 'helpers', 'setup.ts'))).toBe(true);
  });
});
