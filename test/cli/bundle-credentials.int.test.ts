/**
 * bundle push finds registry credentials as helm/oras/skopeo/crane do: --password-stdin or
 * INSTALLCTL_REGISTRY_PASSWORD (with --username) first, else the Docker config ($DOCKER_CONFIG:
 * auths, credHelpers, credsStore); it says where they came from, sends them only to the registry's
 * origin, and a 401 with no credentials at all is REGISTRY_AUTH_REQUIRED, not a refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { AIR_GAPPED_SPEC, bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { startFakeRegistry, withCredentials, type FakeRegistry } from '../helpers/fake-registry.js';
import { expectBundleInRegistry, filesFor, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { answeringHelper, basicAuth, dockerConfigDir, helperDir } from '../helpers/docker-config.js';

const auth = { username: 'pusher', password: `pw-${process.pid}-from-config` };
let fixture: BundleFixture;
let bundle: string;
let basic: FakeRegistry;
let real: TestRegistry;
const empty = mkdtempSync(join(tmpdir(), 'installctl-no-docker-config-'));

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 1024 });
  bundle = (await makeBundle(fixture, 'acme.bundle')).bundle;
  // Uploads go to another origin ("storage"): it must never see the credentials, wherever they came from.
  basic = await startFakeRegistry({ auth: { ...auth, scheme: 'basic' }, uploadOrigin: (context) => context.storage });
  real = await startRegistry({ auth });
}, 120_000);
afterAll(async () => {
  await basic?.close();
  await real?.stop();
});

function push(registry: string, prefix: string, options: { env?: Record<string, string>; input?: string; extra?: string[] } = {}) {
  rmSync(filesFor(bundle, `${registry}/${prefix}`).journal, { force: true });
  return runCliAsync(['bundle', 'push', bundle, '--registry', `${registry}/${prefix}`, '--plain-http', '--retries', '0', '--key', fixture.publicKey, ...(options.extra ?? [])], {
    input: options.input,
    env: { DOCKER_CONFIG: empty, INSTALLCTL_REGISTRY_PASSWORD: '', ...options.env },
  });
}

describe('bundle push: credentials from the Docker config', () => {
  const helpers = helperDir({ acme: answeringHelper('HOST', auth.username, auth.password, join(empty, 'helper-stdin')) });

  it('auths of a real registry behind htpasswd (docker login): pushed, source named in --json and in progress', async () => {
    const config = dockerConfigDir({ auths: { [real.host]: { auth: basicAuth(auth.username, auth.password) } } });
    const source = `docker-config:${join(config, 'config.json')}`;
    const run = await push(real.host, 'from-config', { env: { DOCKER_CONFIG: config }, extra: ['--json'] });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'bundlePush', run.json());
    expect(run.json()).toMatchObject({ credentials: source, probe: { auth: 'basic' } });
    expectBundleInRegistry(real, bundle, 'from-config', auth);
    const text = await push(real.host, 'from-config', { env: { DOCKER_CONFIG: config } });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stderr).toContain(`credentials: ${source}`);
    expect(text.stderr + text.stdout).not.toContain(auth.password);
  }, 120_000);

  it.each([
    ['credHelpers for the registry', (host: string) => ({ credHelpers: { [host]: 'acme' } })],
    ['credsStore', () => ({ credsStore: 'acme' })],
  ])(
    '%s: a docker-credential-NAME on PATH answers; the other origin never sees the credentials',
    async (_name, config) => {
      const helper = helperDir({ acme: answeringHelper(basic.host, auth.username, auth.password, join(empty, 'helper-stdin')) });
      const run = await push(basic.host, 'helper', { env: { DOCKER_CONFIG: dockerConfigDir(config(basic.host)), PATH: `${helper}:${process.env.PATH}` }, extra: ['--json'] });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.json().credentials).toBe('credential-helper:acme');
      expect(
        withCredentials(
          basic.requests.filter((request) => request.side === 'storage'),
          [auth.password, basicAuth(auth.username, auth.password)],
        ),
      ).toEqual([]);
      expect(basic.requests.some((request) => request.side === 'storage')).toBe(true);
    },
    60_000,
  );

  it('--password-stdin and INSTALLCTL_REGISTRY_PASSWORD (with --username) win over the Docker config', async () => {
    const stale = dockerConfigDir({ auths: { [basic.host]: { auth: basicAuth(auth.username, 'stale') } }, credsStore: 'absent' });
    const stdin = await push(basic.host, 'explicit', { env: { DOCKER_CONFIG: stale }, input: auth.password, extra: ['--username', auth.username, '--password-stdin', '--json'] });
    expect(stdin.status, stdin.stdout + stdin.stderr).toBe(0);
    expect(stdin.json().credentials).toBe('stdin');
    const env = await push(basic.host, 'explicit', { env: { DOCKER_CONFIG: stale, INSTALLCTL_REGISTRY_PASSWORD: auth.password }, extra: ['--username', auth.username, '--json'] });
    expect(env.status, env.stdout + env.stderr).toBe(0);
    expect(env.json().credentials).toBe('env');
  }, 60_000);

  it('no credentials anywhere: REGISTRY_AUTH_REQUIRED (exit 5) with the way to give them, not "refused the credentials"', async () => {
    const run = await push(basic.host, 'anonymous', { extra: ['--json'] });
    expect(run.status).toBe(5);
    const { error } = run.json();
    expect(error.code).toBe('REGISTRY_AUTH_REQUIRED');
    expect(error.hint).toContain('--password-stdin');
    expect(error.hint).toContain('docker login');
    expect(error.message).not.toMatch(/refused/);
  }, 60_000);

  it('wrong credentials from the Docker config: REGISTRY_AUTH_FAILED naming where they came from, never the secret', async () => {
    const wrong = `wrong-${process.pid}-secret`;
    const config = dockerConfigDir({ auths: { [basic.host]: { auth: basicAuth(auth.username, wrong) } } });
    const run = await push(basic.host, 'wrong', { env: { DOCKER_CONFIG: config }, extra: ['--json'] });
    expect(run.status).toBe(5);
    expect(run.json().error.code).toBe('REGISTRY_AUTH_FAILED');
    expect(run.json().error.message).toContain(`docker-config:${join(config, 'config.json')}`);
    expect(run.stdout + run.stderr).not.toContain(wrong);
  }, 60_000);

  it('a Docker config docker cannot load is ignored with one warning naming it (as docker does); the push goes on', async () => {
    const open = await startFakeRegistry();
    try {
      const config = dockerConfigDir('{"auths": {');
      const run = await push(open.host, 'anonymous', { env: { DOCKER_CONFIG: config }, extra: ['--json'] });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.json().credentials).toBe('none');
      expect(run.stderr).toMatch(
        new RegExp(`^installctl: warning: ignoring the Docker config ${join(config, 'config.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: it is not JSON$`, 'm'),
      );
    } finally {
      await open.close();
    }
  }, 60_000);

  it('a credential helper that is not on PATH: REGISTRY_CREDENTIAL_HELPER_FAILED, exit 2, before any request', async () => {
    const before = basic.requests.length;
    const run = await push(basic.host, 'helper', { env: { DOCKER_CONFIG: dockerConfigDir({ credsStore: 'not-installed' }), PATH: helpers }, extra: ['--json'] });
    expect(run.status).toBe(2);
    expect(run.json().error.code).toBe('REGISTRY_CREDENTIAL_HELPER_FAILED');
    expect(basic.requests.length).toBe(before);
  }, 60_000);
});

describe('a password environment variable without --username is a usage error, not silently ignored for the Docker config', () => {
  it.each([
    ['bundle push', 'INSTALLCTL_REGISTRY_PASSWORD', () => ['bundle', 'push', bundle, '--registry', `${basic.host}/orphan`, '--plain-http', '--key', fixture.publicKey, '--json']],
    [
      'bundle create',
      'INSTALLCTL_SOURCE_PASSWORD',
      () => [
        'bundle',
        'create',
        AIR_GAPPED_SPEC,
        '--out',
        join(empty, 'never.bundle'),
        '--images-from',
        `registry:${basic.host}`,
        '--plain-http',
        '--key',
        fixture.privateKey,
        '--json',
      ],
    ],
  ])(
    '%s with %s set: USAGE (exit 2) naming --username, before any request, nothing written',
    async (_command, variable, args) => {
      const config = dockerConfigDir({ auths: { [basic.host]: { auth: basicAuth(auth.username, auth.password) } } });
      const before = basic.requests.length;
      const run = await runCliAsync(args(), {
        env: { DOCKER_CONFIG: config, INSTALLCTL_REGISTRY_PASSWORD: '', INSTALLCTL_SOURCE_PASSWORD: '', [variable]: 'typed-for-another-user' },
      });
      expect(run.status, run.stdout + run.stderr).toBe(2);
      const { error } = run.json();
      expect(error.code).toBe('USAGE');
      expect(error.hint).toContain('--username');
      expect(run.stdout + run.stderr).not.toContain('typed-for-another-user');
      expect(basic.requests.length).toBe(before);
      expect(existsSync(join(empty, 'never.bundle'))).toBe(false);
    },
    60_000,
  );
});

describe('bundle push: an identity token and user:password in one auths entry, and a registry that challenges Basic', () => {
  it('answers the Basic challenge with the user and password, as docker does', async () => {
    const config = dockerConfigDir({ auths: { [basic.host]: { auth: basicAuth(auth.username, auth.password), identitytoken: `refresh-${process.pid}` } } });
    const run = await push(basic.host, 'token-and-basic', { env: { DOCKER_CONFIG: config }, extra: ['--json'] });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ credentials: `docker-config:${join(config, 'config.json')}`, probe: { auth: 'basic' } });
  }, 60_000);
});

describe('bundle push: an identity token (Docker identitytoken) is traded at the token service, as docker does', () => {
  it('POSTs the refresh-token grant to the realm and pushes with the bearer token', async () => {
    const refresh = `refresh-${process.pid}`;
    const grants: string[] = [];
    const bearer = await startFakeRegistry({
      auth: { username: 'unused', password: 'unused', scheme: 'bearer' },
      // Uploads go to another origin: it must get requests, and never the refresh token.
      uploadOrigin: (context) => context.storage,
      hook: (request, response, _side, context) => {
        if (request.method !== 'POST' || !request.url?.startsWith('/token')) return false;
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          const form = new URLSearchParams(body);
          grants.push(form.get('grant_type') ?? '');
          const ok = form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === refresh;
          response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
          response.end(ok ? JSON.stringify({ access_token: context.token }) : '{}');
        });
        return true;
      },
    });
    try {
      const config = dockerConfigDir({ auths: { [bearer.host]: { identitytoken: refresh } } });
      const run = await push(bearer.host, 'token', { env: { DOCKER_CONFIG: config }, extra: ['--json'] });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.json()).toMatchObject({ credentials: `docker-config:${join(config, 'config.json')}`, probe: { auth: 'bearer' } });
      expect(grants.length).toBeGreaterThan(0);
      expect(grants.every((grant) => grant === 'refresh_token')).toBe(true);
      expect(
        bearer.requests.some((request) => request.side === 'storage'),
        'the storage side got no request: the assertion below would be vacuous',
      ).toBe(true);
      expect(
        withCredentials(
          bearer.requests.filter((request) => request.side === 'storage'),
          [refresh],
        ),
      ).toEqual([]);
    } finally {
      await bearer.close();
    }
  }, 60_000);
});
