/**
 * The Docker config and credential helpers are untrusted input. A config docker would not load is
 * ignored with a warning naming the file (as docker does), in bounded time and memory; a helper name
 * is never a path or shell syntax; a helper that hangs, floods or fails is a clear error in bounded
 * time; no secret from the config or the helper's stdout ever reaches a message.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCredentials as resolveInOciLayer } from '../../cli/oci/docker-config.js';
import { UserError, withUserErrors } from '../../cli/lib/errors.js';
import { basicAuth, dockerConfigDir, helperDir } from '../helpers/docker-config.js';

/** As the bundle services call it: an OciError leaves as the UserError the command reports. */
const resolveCredentials = (...args: Parameters<typeof resolveInOciLayer>) => withUserErrors(() => resolveInOciLayer(...args));

// Every open installctl makes, recorded: a FIFO or device must be refused before it is opened (opening
// a FIFO blocks until a writer comes, and would hang this file). An open of one fails here instead.
const opened = vi.hoisted(() => ({ special: [] as string[] }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = ((path: string, ...rest: unknown[]) => {
    let special = false;
    try {
      special = !fs.statSync(path).isFile() && !fs.statSync(path).isDirectory();
    } catch {
      // absent: let openSync say so
    }
    if (special) {
      opened.special.push(String(path));
      throw Object.assign(new Error(`test: refused to open ${path}`), { code: 'EOPENEDSPECIAL' });
    }
    return (fs.openSync as (...args: unknown[]) => number)(path, ...rest);
  }) as typeof fs.openSync;
  return { ...fs, default: { ...fs, openSync }, openSync };
});

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
  ...(['/dev/zero', '/dev/null', '/dev/urandom'] as const).map((device): [string, () => string] => [
    `config.json -> ${device} (a device)`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'installctl-docker-config-'));
      symlinkSync(device, join(dir, 'config.json'));
      return dir;
    },
  ]),
  [
    'config.json is a FIFO (no writer: opening it would block forever)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'installctl-docker-config-'));
      execFileSync('mkfifo', [join(dir, 'config.json')]);
      return dir;
    },
  ],
  [
    'config.json -> a FIFO elsewhere',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'installctl-docker-config-'));
      execFileSync('mkfifo', [join(dir, 'pipe')]);
      symlinkSync(join(dir, 'pipe'), join(dir, 'config.json'));
      return dir;
    },
  ],
  [
    'config.json is a directory',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'installctl-docker-config-'));
      mkdirSync(join(dir, 'config.json'));
      return dir;
    },
  ],
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
    opened.special.length = 0;
    const outcome = await resolveIn(dir);
    expect(outcome.error).toBeUndefined();
    expect(outcome.source).toBe('none');
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toContain(join(dir, 'config.json'));
    expect(outcome.warnings[0]).not.toContain(SECRET);
    expect(outcome.warnings[0]).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(outcome.ms).toBeLessThan(3000);
    expect(existsSync(marker), 'a helper outside PATH or a shell ran').toBe(false);
    expect(opened.special, 'a FIFO or device was opened').toEqual([]);
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

describe("a bad entry for another registry is not looked at: the target's own entry is used, no warning", () => {
  const good = { [HOST]: { auth: basicAuth('pusher', SECRET) } };
  const rows: Array<[string, Record<string, unknown>, string]> = [
    ['another auths entry not an object', { auths: { ...good, 'other.example:5000': 'garbage' } }, 'docker-config'],
    ['another auths entry with auth not base64', { auths: { ...good, 'other.example:5000': { auth: '!!!' } } }, 'docker-config'],
    ['another auths entry with a password not a string', { auths: { ...good, 'other.example:5000': { username: 'u', password: 7 } } }, 'docker-config'],
    ['another credHelpers entry with shell syntax', { auths: good, credHelpers: { 'other.example:5000': `x; touch ${marker}` } }, 'docker-config'],
    [
      'a bad credsStore when the target has its own credHelpers entry',
      { credHelpers: { [HOST]: 'floods-stderr' }, credsStore: `$(touch ${marker})` },
      'credential-helper:floods-stderr',
    ],
  ];
  it.each(rows)('%s', async (_name, config, source) => {
    const dir = dockerConfigDir(config);
    const outcome = await resolveIn(dir);
    expect(outcome.error).toBeUndefined();
    expect(outcome.warnings).toEqual([]);
    expect(outcome.source).toBe(source === 'docker-config' ? `docker-config:${join(dir, 'config.json')}` : source);
    expect(existsSync(marker), 'a helper outside PATH or a shell ran').toBe(false);
  });

  it("the target's own bad entry still warns, naming the entry, never the secret", async () => {
    const dir = dockerConfigDir({ auths: { [HOST]: { auth: `${SECRET}!*` }, 'other.example:5000': { auth: basicAuth('x', 'y') } } });
    const outcome = await resolveIn(dir);
    expect(outcome.source).toBe('none');
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toContain(HOST);
    expect(outcome.warnings[0]).not.toContain(SECRET);
  });
});

describe('a credential helper runs without installctl secrets, only from absolute PATH entries, within a bounded time', () => {
  const env = join(mkdtempSync(join(tmpdir(), 'installctl-helper-env-')), 'env');
  const envHelpers = helperDir({ 'env-dump': `env > '${env}'\nprintf '{"Username":"u","Secret":"s"}'` });

  it.each(['INSTALLCTL_REGISTRY_PASSWORD', 'INSTALLCTL_SOURCE_PASSWORD', 'INSTALLCTL_OTHER_PASSWORD'])('%s is not in the helper environment', async (variable) => {
    process.env[variable] = SECRET;
    process.env.PATH = `${envHelpers}:${helpers}:${savedPath}`;
    try {
      const outcome = await resolveIn(dockerConfigDir({ credsStore: 'env-dump' }));
      expect(outcome.source).toBe('credential-helper:env-dump');
      const seen = readFileSync(env, 'utf8');
      expect(seen).toMatch(/^PATH=/m);
      expect(seen).not.toContain(variable);
      expect(seen).not.toContain(SECRET);
    } finally {
      delete process.env[variable];
      process.env.PATH = `${helpers}:${savedPath}`;
    }
  });

  it.each([
    ['an empty entry (the current directory)', ''],
    ['.', '.'],
    ['a relative directory', 'sub'],
    ['./sub', './sub'],
  ])('%s on PATH is skipped: a docker-credential-NAME planted in the working directory never runs', async (_name, entry) => {
    const cwd = mkdtempSync(join(tmpdir(), 'installctl-cwd-'));
    mkdirSync(join(cwd, 'sub'));
    for (const dir of [cwd, join(cwd, 'sub')])
      writeFileSync(join(dir, 'docker-credential-planted'), `#!/bin/sh\ntouch '${marker}'\nprintf '{"Username":"u","Secret":"s"}'\n`, { mode: 0o755 });
    const savedCwd = process.cwd();
    process.chdir(cwd);
    process.env.PATH = `${entry}:${helpers}:${savedPath}`;
    try {
      const outcome = await resolveIn(dockerConfigDir({ credsStore: 'planted' }));
      expect(outcome.error?.code).toBe('REGISTRY_CREDENTIAL_HELPER_FAILED');
      expect(existsSync(marker), 'a helper from a relative PATH entry ran').toBe(false);
    } finally {
      process.chdir(savedCwd);
      process.env.PATH = `${helpers}:${savedPath}`;
    }
  });

  it('INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT (seconds) bounds a helper that hangs', async () => {
    const dir = dockerConfigDir({ credHelpers: { [HOST]: 'hangs' } });
    const started = Date.now();
    const error = await resolveCredentials(HOST, { env: { DOCKER_CONFIG: dir, INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT: '1' } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'REGISTRY_CREDENTIAL_HELPER_FAILED', exitCode: 2 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each(['0', '-1', 'abc', '1e3', '3601', ' ', 'Infinity', 'NaN', '\u001b[2J5'])('INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT=%j is a usage error (exit 2)', async (value) => {
    const dir = dockerConfigDir({ credHelpers: { [HOST]: 'floods-stderr' } });
    const error = await resolveCredentials(HOST, { env: { DOCKER_CONFIG: dir, INSTALLCTL_CREDENTIAL_HELPER_TIMEOUT: value } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'USAGE', exitCode: 2 });
    expect((error as UserError).message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});
