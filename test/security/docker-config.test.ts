/**
 * The Docker config and credential helpers are untrusted input. A config docker would not load is
 * ignored with a warning naming the file (as docker does), in bounded time and memory; a helper name
 * is never a path or shell syntax; a helper that hangs, floods or fails is a clear error in bounded
 * time; no secret from the config or the helper's stdout ever reaches a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCredentials } from '../../cli/oci/docker-config.js';
import { UserError } from '../../cli/lib/errors.js';
import { basicAuth, dockerConfigDir, helperDir } from '../helpers/docker-config.js';

const HOST = 'registry.acme.internal:5000';
const SECRET = 'SeCrEt-never-echoed';
const marker = join(mkdtempSync(join(tmpdir(), 'installctl-marker-')), 'ran');
const helpers = helperDir({
  hangs: 'sleep 30',
  floods: 'head -c 104857600 /dev/zero; exit 0',
  'floods-stderr': `head -c 104857600 /dev/zero >&2; printf '{"Username":"u","Secret":"${SECRET}"}'`,
  'not-json': `printf 'password=${SECRET}'`,
  'wrong-json': `printf '{"Username":1,"Secret":"${SECRET}"}'`,
  fails: `printf '${SECRET}'; printf 'boom \\033]0;pwned\\007 failed' >&2; exit 3`,
});
// Helpers a hostile config could name if names were paths or shell: each leaves the marker behind.
const trap = mkdtempSync(join(tmpdir(), 'installctl-trap-'));
writeFileSync(join(trap, 'evil'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
mkdirSync(join(helpers, 'docker-credential-x'), { recursive: true });
writeFileSync(join(helpers, 'docker-credential-x', 'evil'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });

const savedPath = process.env.PATH;
beforeAll(() => void (process.env.PATH = `${helpers}:${savedPath}`));
afterAll(() => void (process.env.PATH = savedPath));

type Outcome = { warnings: string[]; source?: string; error?: UserError; ms: number };

async function resolveIn(dir: string): Promise<Outcome> {
  const warnings: string[] = [];
  const started = Date.now();
  try {
    const found = await resolveCredentials(HOST, { env: { DOCKER_CONFIG: dir }, helperTimeoutMs: 1500, onWarning: (line) => warnings.push(line) });
    return { warnings, source: found.source, ms: Date.now() - started };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { warnings, error, ms: Date.now() - started };
  }
}

const ignored: Array<[string, () => string]> = [
  ['a config over 1 MiB', () => dockerConfigDir(`{"auths":{"${HOST}":{"auth":"${basicAuth('u', SECRET)}"}},"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`)],
  ['config.json -> /dev/zero (endless)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-docker-config-'));
    symlinkSync('/dev/zero', join(dir, 'config.json'));
    return dir;
  }],
  ['config.json is a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-docker-config-'));
    mkdirSync(join(dir, 'config.json'));
    return dir;
  }],
  ['not JSON', () => dockerConfigDir(`{"auths": {"${HOST}": {"auth": "${SECRET}"`)],
  ['a JSON array', () => dockerConfigDir([])],
  ['auths not an object', () => dockerConfigDir({ auths: [SECRET] })],
  ['an auths entry not an object', () => dockerConfigDir({ auths: { [HOST]: SECRET } })],
  ['auth not base64', () => dockerConfigDir({ auths: { [HOST]: { auth: `${SECRET}!*` } } })],
  ['auth base64 without user:password', () => dockerConfigDir({ auths: { [HOST]: { auth: Buffer.from(SECRET).toString('base64') } } })],
  ['password not a string', () => dockerConfigDir({ auths: { [HOST]: { username: 'u', password: { value: SECRET } } } })],
  ['credsStore not a string', () => dockerConfigDir({ credsStore: [SECRET] })],
  ['a helper name with a slash (a path)', () => dockerConfigDir({ credHelpers: { [HOST]: 'x/evil' } })],
  ['a helper name with ../ (a path out of PATH)', () => dockerConfigDir({ credHelpers: { [HOST]: `../../../../..${trap}/evil` } })],
  ['a helper name with ; (shell)', () => dockerConfigDir({ credHelpers: { [HOST]: `x; touch ${marker}` } })],
  ['a credsStore with $( ) (shell)', () => dockerConfigDir({ credsStore: `$(touch ${marker})` })],
  ['a helper name with a newline and escapes', () => dockerConfigDir({ credsStore: 'x\n\u001b[2J' })],
];

describe('hostile Docker configs are ignored with a warning naming the file, as docker does', () => {
  it.each(ignored)('%s', async (_name, make) => {
    const dir = make();
    const outcome = await resolveIn(dir);
    expect(outcome.error).toBeUndefined();
    expect(outcome.source).toBe('none');
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toContain(join(dir, 'config.json'));
    expect(outcome.warnings[0]).not.toContain(SECRET);
    expect(outcome.warnings[0]).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(outcome.ms).toBeLessThan(3000);
    expect(existsSync(marker), 'a helper outside PATH or a shell ran').toBe(false);
  });
});

const failing: Array<[string, string]> = [
  ['a helper that hangs (killed at the timeout)', 'hangs'],
  ['a helper that prints 100 MB (killed at the cap)', 'floods'],
  ['a helper not on PATH', 'absent'],
  ['a helper that prints no JSON', 'not-json'],
  ['a helper whose JSON lacks the strings', 'wrong-json'],
  ['a helper that fails, with escapes on stderr', 'fails'],
];

describe('a failing credential helper is REGISTRY_CREDENTIAL_HELPER_FAILED, bounded, never echoing its stdout', () => {
  it.each(failing)('%s', async (_name, helper) => {
    const outcome = await resolveIn(dockerConfigDir({ credHelpers: { [HOST]: helper } }));
    expect(outcome.error?.code).toBe('REGISTRY_CREDENTIAL_HELPER_FAILED');
    expect(outcome.error?.exitCode).toBe(2);
    expect(`${outcome.error?.message} ${outcome.error?.hint}`).not.toContain(SECRET);
    expect(outcome.error?.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(outcome.ms).toBeLessThan(5000);
  });

  it('a helper flooding stderr is read only up to the cap and still answers', async () => {
    const outcome = await resolveIn(dockerConfigDir({ credHelpers: { [HOST]: 'floods-stderr' } }));
    expect(outcome.source).toBe('credential-helper:floods-stderr');
  });
});
