/**
 * The environment every test runs in (vitest setupFiles) and every CLI it spawns gets
 * (helpers/cli.ts): DOCKER_CONFIG is an empty temp directory, so no test reads the developer's
 * ~/.docker/config.json (nor runs the keychain helper it names) whatever HOME is, and the
 * developer's own INSTALLCTL_*PASSWORD or helper timeout variables do not leak into a test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the empty Docker config directory of this test process is recorded (children inherit it). */
export const SANDBOX_VARIABLE = 'INSTALLCTL_TEST_DOCKER_CONFIG';

/** The variables a developer's shell may hold that would change what a test sees. */
const LEAKY = /^INSTALLCTL_(?:.*PASSWORD|CREDENTIAL_HELPER_TIMEOUT)$/;

/** This test process's empty DOCKER_CONFIG directory (made once). */
export function sandboxDockerConfig(env: NodeJS.ProcessEnv = process.env): string {
  return (env[SANDBOX_VARIABLE] ??= mkdtempSync(join(tmpdir(), 'installctl-test-docker-config-')));
}

/** Points DOCKER_CONFIG at the sandbox and drops the developer's credential variables, in place. */
export function isolateEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  env.DOCKER_CONFIG = sandboxDockerConfig(env);
  for (const name of Object.keys(env)) if (LEAKY.test(name)) delete env[name];
}

/** The environment of a CLI run by a test: isolated, without colour, then the test's own variables. */
export function cliEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', [SANDBOX_VARIABLE]: sandboxDockerConfig() };
  isolateEnvironment(env);
  return { ...env, ...extra };
}
