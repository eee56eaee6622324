/**
 * Docker configs and credential helpers for tests: a temp DOCKER_CONFIG directory with a
 * config.json, and fake docker-credential-NAME scripts in a temp directory put first on PATH.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A DOCKER_CONFIG directory holding config.json (a value is written as JSON, a string or Buffer as is). */
export function dockerConfigDir(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-docker-config-'));
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' || Buffer.isBuffer(config) ? config : JSON.stringify(config));
  return dir;
}

export const basicAuth = (username: string, password: string) => Buffer.from(`${username}:${password}`).toString('base64');

/** A directory of fake credential helpers: name -> sh script body (after #!/bin/sh). */
export function helperDir(helpers: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-helpers-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(helpers)) {
    const file = join(dir, `docker-credential-${name}`);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

/** A helper that answers with these credentials for `server`, records what it read on stdin in `log`, and says "not found" otherwise. */
export function answeringHelper(server: string, username: string, secret: string, log: string): string {
  return [
    `read -r server || true`,
    `printf '%s' "$server" > '${log}'`,
    `if [ "$1" = get ] && [ "$server" = '${server}' ]; then printf '{"ServerURL":"%s","Username":"${username}","Secret":"${secret}"}' "$server"; exit 0; fi`,
    `echo 'credentials not found in native keychain'; exit 1`,
  ].join('\n');
}
