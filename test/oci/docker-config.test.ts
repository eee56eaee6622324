/**
 * Registry credentials as helm/oras/skopeo/crane find them: --password-stdin or the environment
 * variable first, then the Docker config (credHelpers, credsStore, auths), keyed by host[:port] as
 * Docker normalises it; every source is named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigPath, registryKeyHost, resolveCredentials } from '../../cli/oci/docker-config.js';
import { answeringHelper, basicAuth, dockerConfigDir, helperDir } from '../helpers/docker-config.js';

const HOST = 'registry.acme.internal:5000';
const log = join(mkdtempSync(join(tmpdir(), 'installctl-helper-log-')), 'stdin');
const helpers = helperDir({
  acme: answeringHelper(HOST, 'robot', 'from-acme-helper', log),
  store: answeringHelper(HOST, 'store-user', 'from-store', log),
  token: answeringHelper(HOST, '<token>', 'refresh-token-1', log),
  empty: `echo 'credentials not found in native keychain'; exit 1`,
});
const savedPath = process.env.PATH;
beforeAll(() => void (process.env.PATH = `${helpers}:${savedPath}`));
afterAll(() => void (process.env.PATH = savedPath));

const resolveWith = (config: unknown, extra: Parameters<typeof resolveCredentials>[1] = {}) => {
  const dir = dockerConfigDir(config);
  return resolveCredentials(HOST, { env: { DOCKER_CONFIG: dir }, ...extra }).then((found) => ({ found, file: join(dir, 'config.json') }));
};

describe('resolveCredentials: the Docker config', () => {
  const rows: Array<{ name: string; config: unknown; expected: Record<string, string>; source: (file: string) => string }> = [
    {
      name: 'auths: base64 user:password under host:port',
      config: { auths: { [HOST]: { auth: basicAuth('pusher', 'p:w') } } },
      expected: { username: 'pusher', password: 'p:w' },
      source: (file) => `docker-config:${file}`,
    },
    {
      name: 'auths: a key with scheme and path, as docker login writes some',
      config: { auths: { [`https://${HOST}/v2/`]: { auth: basicAuth('pusher', 'pw') } } },
      expected: { username: 'pusher', password: 'pw' },
      source: (file) => `docker-config:${file}`,
    },
    {
      name: 'auths: username and password fields',
      config: { auths: { [HOST]: { username: 'u', password: 'p' } } },
      expected: { username: 'u', password: 'p' },
      source: (file) => `docker-config:${file}`,
    },
    {
      name: 'auths: an identity token',
      config: { auths: { [HOST]: { identitytoken: 'refresh-0' } } },
      expected: { identityToken: 'refresh-0' },
      source: (file) => `docker-config:${file}`,
    },
    {
      name: 'auths: an identity token beside auth keeps user and password (Basic challenges get those, as docker does)',
      config: { auths: { [HOST]: { auth: basicAuth('robot', 'pw'), identitytoken: 'refresh-1' } } },
      expected: { username: 'robot', password: 'pw', identityToken: 'refresh-1' },
      source: (file) => `docker-config:${file}`,
    },
    {
      name: 'auths: an identity token beside username and password fields',
      config: { auths: { [HOST]: { username: 'u', password: 'p', identitytoken: 'refresh-2' } } },
      expected: { username: 'u', password: 'p', identityToken: 'refresh-2' },
      source: (file) => `docker-config:${file}`,
    },
    { name: 'auths: only other registries', config: { auths: { 'other.example:5000': { auth: basicAuth('x', 'y') } } }, expected: {}, source: () => 'none' },
    {
      name: 'credHelpers for the registry, over auths',
      config: { auths: { [HOST]: { auth: basicAuth('stale', 'stale') } }, credHelpers: { [HOST]: 'acme' } },
      expected: { username: 'robot', password: 'from-acme-helper' },
      source: () => 'credential-helper:acme',
    },
    {
      name: 'credsStore for every registry',
      config: { credsStore: 'store' },
      expected: { username: 'store-user', password: 'from-store' },
      source: () => 'credential-helper:store',
    },
    {
      name: 'credHelpers over credsStore',
      config: { credsStore: 'store', credHelpers: { [HOST]: 'acme' } },
      expected: { username: 'robot', password: 'from-acme-helper' },
      source: () => 'credential-helper:acme',
    },
    {
      name: 'a helper answering <token>: an identity token',
      config: { credHelpers: { [HOST]: 'token' } },
      expected: { identityToken: 'refresh-token-1' },
      source: () => 'credential-helper:token',
    },
    {
      name: 'a helper without credentials for the registry (as docker: auths is not consulted then)',
      config: { credHelpers: { 'other.example:5000': 'acme' }, credsStore: 'empty', auths: { [HOST]: { auth: basicAuth('ignored', 'ignored') } } },
      expected: {},
      source: () => 'none',
    },
    { name: 'an empty config', config: {}, expected: {}, source: () => 'none' },
  ];

  it.each(rows)('$name', async ({ config, expected, source }) => {
    const { found, file } = await resolveWith(config);
    const { source: got, ...credentials } = found;
    expect(credentials).toEqual(expected);
    expect(got).toBe(source(file));
  });

  const hosts: Array<[string, string, unknown, Record<string, string>]> = [
    [
      'docker.io finds the historical https://index.docker.io/v1/ key',
      'docker.io',
      { auths: { 'https://index.docker.io/v1/': { auth: basicAuth('hub', 'pw') } } },
      { username: 'hub', password: 'pw' },
    ],
    [
      'registry-1.docker.io finds it too',
      'registry-1.docker.io',
      { auths: { 'https://index.docker.io/v1/': { auth: basicAuth('hub', 'pw') } } },
      { username: 'hub', password: 'pw' },
    ],
    ['a host without the port does not match a host:port key', 'registry.acme.internal', { auths: { [HOST]: { auth: basicAuth('x', 'y') } } }, {}],
    ['a longer host with the same port does not match', 'registry.acme.internal.evil:5000', { auths: { [HOST]: { auth: basicAuth('x', 'y') } } }, {}],
    ['a host that is a suffix does not match', 'acme.internal:5000', { auths: { [HOST]: { auth: basicAuth('x', 'y') } } }, {}],
    ['credHelpers for host:port do not serve the host without the port', 'registry.acme.internal', { credHelpers: { [HOST]: 'acme' } }, {}],
    ...(['constructor', 'toString', '__proto__', 'hasOwnProperty'] as const).flatMap((host): Array<[string, string, unknown, Record<string, string>]> => [
      [`host ${host}: credHelpers and auths are looked up as own keys only (no inherited helper)`, host, { credHelpers: {}, auths: {} }, {}],
      [`host ${host}: its own auths key is found`, host, JSON.parse(`{"auths": {"${host}": {"auth": "${basicAuth('own', 'key')}"}}}`), { username: 'own', password: 'key' }],
    ]),
  ];

  it.each(hosts)('%s', async (_name, host, config, expected) => {
    const warnings: string[] = [];
    const { source, ...credentials } = await resolveCredentials(host, { env: { DOCKER_CONFIG: dockerConfigDir(config) }, onWarning: (line) => warnings.push(line) });
    expect(credentials).toEqual(expected);
    expect(source === 'none').toBe(Object.keys(expected).length === 0);
    expect(warnings).toEqual([]);
  });

  it('gives a helper the registry on stdin, as docker does', async () => {
    await resolveWith({ credHelpers: { [HOST]: 'acme' } });
    expect(readFileSync(log, 'utf8')).toBe(HOST);
  });

  it('--username with a password (stdin or env) wins over the Docker config, which is then not read', async () => {
    const config = { credHelpers: { [HOST]: 'acme' }, auths: { [HOST]: { auth: basicAuth('pusher', 'pw') } } };
    expect((await resolveWith(config, { username: 'me', password: 'mine', passwordSource: 'stdin' })).found).toEqual({ username: 'me', password: 'mine', source: 'stdin' });
    expect((await resolveWith(config, { username: 'me', password: 'mine', passwordSource: 'env' })).found).toEqual({ username: 'me', password: 'mine', source: 'env' });
    const unread = await resolveCredentials(HOST, { username: 'me', password: 'x', env: { DOCKER_CONFIG: '/dev/null/nowhere' } });
    expect(unread.source).toBe('env');
  });

  it('--username without a password is a usage error', async () => {
    await expect(resolveCredentials(HOST, { username: 'me', env: { DOCKER_CONFIG: '/nonexistent' } })).rejects.toMatchObject({ code: 'USAGE', name: 'OciError' });
  });

  it('reads $DOCKER_CONFIG/config.json, else ~/.docker/config.json; no file is no credentials', async () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/dc' })).toBe('/etc/dc/config.json');
    expect(dockerConfigPath({ HOME: '/home/op' })).toBe('/home/op/.docker/config.json');
    const home = mkdtempSync(join(tmpdir(), 'installctl-home-'));
    expect(await resolveCredentials(HOST, { env: { HOME: home } })).toEqual({ source: 'none' });
  });

  it.each([
    ['registry.acme.internal:5000', 'registry.acme.internal:5000'],
    ['https://registry.acme.internal:5000/v2/', 'registry.acme.internal:5000'],
    ['http://Registry.Acme.Internal', 'registry.acme.internal'],
    ['https://index.docker.io/v1/', 'index.docker.io'],
  ])('normalises the key %s to %s', (key, host) => {
    expect(registryKeyHost(key)).toBe(host);
  });
});
