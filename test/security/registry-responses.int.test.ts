/**
 * Adversarial suite, boundary "registry responses -> push". A registry (or whatever answers at its
 * address) is not trusted: its upload Locations, redirects, token realms, token answers, bodies,
 * Range and Docker-Content-Digest headers are hostile input. Each row runs a real push of a real
 * bundle against a fake registry (test/helpers/fake-registry.ts) that misbehaves one way, with a
 * second origin ("storage", another port) recording every request. For every row: the other origin
 * never sees credentials in any form (header, URL, query), the push ends as documented (a code and
 * exit, never a bug), and a hostile body costs bounded memory and time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pushBundle, type BundlePushOptions, type PushResult } from '../../cli/services/bundle-push.js';
import { BundleFile } from '../../cli/bundle/reader.js';
import { pushPlan } from '../../cli/bundle/push-plan.js';
import { UserError } from '../../cli/lib/errors.js';
import { bundleFixture, makeBundle } from '../helpers/bundles.js';
import { filesFor, makeCertificates, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { runCliAsync } from '../helpers/cli.js';
import { endless, startFakeRegistry, withCredentials, type FakeContext, type FakeRegistry, type FakeRegistryOptions, type Hook, type Side } from '../helpers/fake-registry.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const auth = { username: 'pusher', password: `pw-${process.pid}-do-not-leak` };
const basicValue = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');

let bundle: string;
let certs: { cert: Buffer; key: Buffer; ca: string };

beforeAll(async () => {
  const fixture = await bundleFixture({ weightsBytes: 200 * KiB + 3 });
  bundle = (await makeBundle(fixture, 'hostile.bundle', { weightsDir: fixture.weightsDir, includeWeights: true })).bundle;
  const dir = mkdtempSync(join(tmpdir(), 'installctl-certs-'));
  const made = makeCertificates(dir);
  certs = { cert: readFileSync(made.cert), key: readFileSync(made.key), ca: made.ca };
}, 120_000);

/** The request body read to its end, then `answer` (a hook must not answer a request mid-upload). */
function drained(request: http.IncomingMessage, answer: () => void): true {
  request.resume();
  request.on('end', answer);
  return true;
}

/** Answers matching requests with a redirect to `to`. */
function redirect(status: number, when: (request: http.IncomingMessage, side: Side) => boolean, to: (context: FakeContext, request: http.IncomingMessage) => string): Hook {
  return (request, response, side, context) =>
    when(request, side) &&
    drained(request, () => {
      response.writeHead(status, { location: to(context, request) });
      response.end();
    });
}

const isBlobCommit = (request: http.IncomingMessage) => request.method === 'PUT' && /\/blobs\/uploads\/.+digest=/.test(request.url ?? '');
const isBlobHead = (request: http.IncomingMessage) => request.method === 'HEAD' && /\/blobs\/sha256:/.test(request.url ?? '');
const isManifestHead = (request: http.IncomingMessage) => request.method === 'HEAD' && /\/manifests\//.test(request.url ?? '');
const isManifestGet = (request: http.IncomingMessage) => request.method === 'GET' && /\/manifests\//.test(request.url ?? '');
const isManifestPut = (request: http.IncomingMessage) => request.method === 'PUT' && /\/manifests\//.test(request.url ?? '');
const onRegistry = (test: (request: http.IncomingMessage) => boolean) => (request: http.IncomingMessage, side: Side) => side === 'registry' && test(request);

type Outcome = 'pushed' | { code: string; exit: number };

interface Row {
  name: string;
  /** Sides that speak TLS (the push then uses https and the test CA). */
  tls?: Side[];
  scheme?: 'basic' | 'bearer';
  realm?: (context: FakeContext) => string;
  uploadOrigin?: (context: FakeContext) => string;
  hook?: (registry: { streamed: { bytes: number } }) => Hook;
  push?: Partial<BundlePushOptions>;
  expect: Outcome;
  /** The other origin must not have been contacted at all (the push refused before). */
  storageUntouched?: boolean;
  /** The other origin must have been used (uploads or redirects really went there). */
  storageUsed?: boolean;
  /** The other origin is a token service: its /token may get the password (https only). */
  tokenServiceOnStorage?: boolean;
}

const rows: Row[] = [
  // Upload Locations on another origin: followed (storage behind a registry), without credentials.
  { name: 'upload Location on another origin (http -> http), Basic auth', uploadOrigin: (c) => c.storage, expect: 'pushed', storageUsed: true },
  { name: 'upload Location on another origin (https -> https), Basic auth', tls: ['registry', 'storage'], uploadOrigin: (c) => c.storage, expect: 'pushed', storageUsed: true },
  { name: 'upload Location on another origin, Bearer token', scheme: 'bearer', uploadOrigin: (c) => c.storage, expect: 'pushed', storageUsed: true },
  { name: 'upload Location on another port of the same host, chunked', uploadOrigin: (c) => c.storage, push: { chunkSize: 64 * KiB }, expect: 'pushed', storageUsed: true },
  // Locations installctl refuses outright.
  {
    name: 'upload Location https -> http (downgrade to another origin)',
    tls: ['registry'],
    uploadOrigin: (c) => c.storage,
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: 'upload Location with user:password@ on another origin',
    uploadOrigin: (c) => c.storage.replace('://', '://evil:stolen@'),
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: 'upload Location with user:password@ on the registry itself',
    uploadOrigin: (c) => c.registry.replace('://', '://x:y@'),
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: 'upload Location "registry@otherhost" (userinfo trick)',
    uploadOrigin: (c) => c.storage.replace('://', `://${new URL(c.registry).host}@`),
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  { name: 'upload Location with scheme file:', uploadOrigin: () => 'file://', expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 }, storageUntouched: true },
  {
    name: 'upload Location with scheme ftp:',
    uploadOrigin: (c) => c.storage.replace('http:', 'ftp:'),
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: 'upload session opened without a Location',
    hook: () => (request, response, side) => side === 'registry' && request.method === 'POST' && drained(request, () => (response.writeHead(202), response.end())),
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  // Redirects (3xx): followed like Go's client and containerd, credentials stripped off-origin.
  {
    name: '307 of the blob commit (PUT) to another origin',
    hook: () => redirect(307, onRegistry(isBlobCommit), (c, r) => `${c.storage}${r.url}`),
    expect: 'pushed',
    storageUsed: true,
  },
  {
    name: '308 of the blob commit (PUT) to another origin over https',
    tls: ['registry', 'storage'],
    hook: () => redirect(308, onRegistry(isBlobCommit), (c, r) => `${c.storage}${r.url}`),
    expect: 'pushed',
    storageUsed: true,
  },
  {
    name: '307 of blob HEADs to another origin (storage redirect)',
    hook: () => redirect(307, onRegistry(isBlobHead), (c, r) => `${c.storage}${r.url}`),
    expect: 'pushed',
    storageUsed: true,
  },
  {
    name: '302 of manifest read-back (GET) to another origin, Bearer token',
    scheme: 'bearer',
    hook: () => redirect(302, onRegistry(isManifestGet), (c, r) => `${c.storage}${r.url}`),
    expect: 'pushed',
    storageUsed: true,
  },
  {
    name: '307 https -> http to another origin',
    tls: ['registry'],
    hook: () => redirect(307, onRegistry(isBlobCommit), (c, r) => `${c.storage}${r.url}`),
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: '307 to user:password@ another origin',
    hook: () => redirect(307, onRegistry(isBlobCommit), (c, r) => `${c.storage.replace('://', '://a:b@')}${r.url}`),
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: 'an endless redirect loop',
    hook: () => redirect(302, onRegistry(isBlobHead), (c, r) => `${c.registry}${r.url}`),
    expect: { code: 'REGISTRY_LOCATION_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: 'another origin answers 401 with a Bearer challenge naming itself as token service',
    scheme: 'bearer',
    uploadOrigin: (c) => c.storage,
    hook: () => (request, response, side, context) =>
      side === 'storage' &&
      drained(request, () => {
        response.writeHead(401, { 'www-authenticate': `Bearer realm="${context.storage}/token",service="evil"` });
        response.end('{}');
      }),
    expect: { code: 'REGISTRY_REJECTED', exit: 5 },
  },
  // Bearer token realms: may be elsewhere, but the password goes there over https only.
  {
    name: 'Bearer realm on another origin over plain http',
    scheme: 'bearer',
    realm: (c) => `${c.storage}/token`,
    expect: { code: 'REGISTRY_REALM_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: 'Bearer realm over plain http on the https registry host itself',
    scheme: 'bearer',
    tls: ['registry'],
    realm: (c) => `${c.registry.replace('https:', 'http:')}/token`,
    expect: { code: 'REGISTRY_REALM_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  {
    name: 'Bearer realm with user:password@',
    scheme: 'bearer',
    tls: ['registry', 'storage'],
    realm: (c) => `${c.storage.replace('://', '://u:p@')}/token`,
    expect: { code: 'REGISTRY_REALM_REFUSED', exit: 5 },
    storageUntouched: true,
  },
  { name: 'Bearer realm that is not a URL', scheme: 'bearer', realm: () => 'not a url', expect: { code: 'REGISTRY_REALM_REFUSED', exit: 5 }, storageUntouched: true },
  { name: 'Bearer realm with scheme file:', scheme: 'bearer', realm: () => 'file:///etc/passwd', expect: { code: 'REGISTRY_REALM_REFUSED', exit: 5 }, storageUntouched: true },
  { name: 'Bearer realm on the same origin (--plain-http registry)', scheme: 'bearer', expect: 'pushed' },
  {
    name: 'Bearer realm on another origin over https',
    scheme: 'bearer',
    tls: ['registry', 'storage'],
    realm: (c) => `${c.storage}/token`,
    expect: 'pushed',
    tokenServiceOnStorage: true,
  },
  // Token service answers.
  {
    name: 'token service answers HTML',
    scheme: 'bearer',
    hook: () => (request, response) =>
      request.url?.startsWith('/token') === true && drained(request, () => (response.writeHead(200, { 'content-type': 'text/html' }), response.end('<html>login</html>'))),
    expect: { code: 'REGISTRY_TOKEN_INVALID', exit: 5 },
  },
  {
    name: 'token service answers JSON without a token',
    scheme: 'bearer',
    hook: () => (request, response) => request.url?.startsWith('/token') === true && drained(request, () => response.end('{"expires_in": 60}')),
    expect: { code: 'REGISTRY_TOKEN_INVALID', exit: 5 },
  },
  {
    name: 'token service answers a token with CR LF (header injection)',
    scheme: 'bearer',
    hook: () => (request, response) => request.url?.startsWith('/token') === true && drained(request, () => response.end('{"token": "abc\\r\\nX-Injected: 1"}')),
    expect: { code: 'REGISTRY_TOKEN_INVALID', exit: 5 },
  },
  {
    name: 'token service answers a token that is a number',
    scheme: 'bearer',
    hook: () => (request, response) => request.url?.startsWith('/token') === true && drained(request, () => response.end('{"token": 42}')),
    expect: { code: 'REGISTRY_TOKEN_INVALID', exit: 5 },
  },
  {
    name: 'token service answers an endless body',
    scheme: 'bearer',
    hook: (fake) => (request, response) => request.url?.startsWith('/token') === true && drained(request, () => endless(response, fake.streamed)),
    expect: { code: 'REGISTRY_RESPONSE_TOO_LARGE', exit: 5 },
  },
  // Endless or huge bodies anywhere.
  {
    name: 'probe (GET /v2/) answers an endless body',
    hook: (fake) => (request, response, side) =>
      side === 'registry' && request.url === '/v2/' && request.headers.authorization !== undefined && drained(request, () => endless(response, fake.streamed)),
    expect: { code: 'REGISTRY_RESPONSE_TOO_LARGE', exit: 5 },
  },
  {
    name: 'manifest read-back answers an endless body',
    hook: (fake) => (request, response, side) =>
      side === 'registry' && isManifestGet(request) && drained(request, () => endless(response, fake.streamed, { 'content-type': 'application/vnd.oci.image.index.v1+json' })),
    expect: { code: 'REGISTRY_RESPONSE_TOO_LARGE', exit: 5 },
  },
  {
    name: 'an error answer (400) with an endless body',
    hook: (fake) => (request, response, side) =>
      side === 'registry' && isManifestPut(request) && drained(request, () => endless(response, fake.streamed, { 'content-type': 'application/json' }, 400)),
    expect: { code: 'REGISTRY_RESPONSE_TOO_LARGE', exit: 5 },
  },
  {
    name: 'an error body with terminal escape sequences',
    hook: () => (request, response, side) =>
      side === 'registry' && isManifestPut(request) && drained(request, () => (response.writeHead(400), response.end('\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil'))),
    expect: { code: 'REGISTRY_REJECTED', exit: 5 },
  },
  // Docker-Content-Digest that lies.
  {
    name: 'Docker-Content-Digest of another manifest on PUT',
    hook: () => (request, response, side) =>
      side === 'registry' && isManifestPut(request) && drained(request, () => (response.writeHead(201, { 'docker-content-digest': `sha256:${'0'.repeat(64)}` }), response.end())),
    expect: { code: 'PUSH_DIGEST_MISMATCH', exit: 6 },
  },
  {
    name: 'Docker-Content-Digest that is not a digest',
    hook: () => (request, response, side) =>
      side === 'registry' && isManifestPut(request) && drained(request, () => (response.writeHead(201, { 'docker-content-digest': `sha256:${'z'.repeat(2000)}` }), response.end())),
    expect: { code: 'PUSH_DIGEST_MISMATCH', exit: 6 },
  },
  {
    name: 'manifest read back with other bytes (and their true digest in the header)',
    hook: () => (request, response, side) =>
      side === 'registry' &&
      isManifestGet(request) &&
      drained(
        request,
        () => (response.writeHead(200, { 'content-type': 'application/json', 'docker-content-digest': `sha256:${'0'.repeat(64)}` }), response.end('{"schemaVersion":2}')),
      ),
    expect: { code: 'PUSH_DIGEST_MISMATCH', exit: 6 },
  },
  // Tag HEADs (the plan reads which tags exist before anything is sent).
  {
    name: 'tag HEAD with a Docker-Content-Digest that is not a digest (the manifest is fetched instead; the registry then has none)',
    hook: () => (request, response, side) =>
      side === 'registry' &&
      isManifestHead(request) &&
      drained(request, () => (response.writeHead(200, { 'docker-content-digest': `sha256:${'z'.repeat(2000)}` }), response.end())),
    expect: { code: 'REGISTRY_REJECTED', exit: 5 },
  },
  {
    name: 'tag HEAD naming another digest: the tag is moved',
    hook: () => (request, response, side) =>
      side === 'registry' && isManifestHead(request) && drained(request, () => (response.writeHead(200, { 'docker-content-digest': `sha256:${'0'.repeat(64)}` }), response.end())),
    expect: 'pushed',
  },
  {
    name: 'tag HEAD naming another digest, --keep-existing-tags: refused before anything is sent',
    push: { keepExistingTags: true },
    hook: () => (request, response, side) =>
      side === 'registry' && isManifestHead(request) && drained(request, () => (response.writeHead(200, { 'docker-content-digest': `sha256:${'0'.repeat(64)}` }), response.end())),
    expect: { code: 'PUSH_TAG_CONFLICT', exit: 6 },
  },
  {
    name: 'Docker-Content-Digest of another blob on a blob commit (ignored: manifests are read back)',
    hook: () => (request, response, side) => {
      if (side !== 'registry' || !isBlobCommit(request)) return false;
      // Let the registry store it, then lie about what it stored.
      const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => http.ServerResponse;
      (response as { writeHead: unknown }).writeHead = (status: number, headers: Record<string, string>) =>
        writeHead(status, { ...headers, 'docker-content-digest': `sha256:${'f'.repeat(64)}` });
      return false;
    },
    expect: 'pushed',
  },
];

/** Garbage Range headers on the upload status (after a failed chunk): the session is started over. */
const GARBAGE_RANGES = ['0-99999999999999', '0-9007199254740993', '5-9', 'bytes=abc', '-1', '0--5', '0-1e5', '0-150000', `0-${'9'.repeat(400)}`];
for (const range of GARBAGE_RANGES) {
  rows.push({
    name: `upload status with Range ${JSON.stringify(range.length > 30 ? `${range.slice(0, 12)}...` : range)} after a failed chunk`,
    push: { chunkSize: 64 * KiB },
    hook: () => {
      let failedPatch = false;
      let lied = false;
      return (request, response, side, context) => {
        if (side !== 'registry' || !/\/blobs\/uploads\/.+/.test(request.url ?? '')) return false;
        if (request.method === 'PATCH' && !failedPatch) {
          failedPatch = true;
          return drained(request, () => (response.writeHead(503), response.end()));
        }
        if (request.method === 'GET' && failedPatch && !lied) {
          lied = true;
          return drained(request, () => (response.writeHead(204, { range, location: `${context.registry}${request.url}` }), response.end()));
        }
        return false;
      };
    },
    expect: 'pushed',
  });
}

interface RowRun {
  outcome: PushResult | UserError;
  fake: FakeRegistry;
  ms: number;
  /** Bytes the endless bodies of the row's hooks got to write before installctl hung up. */
  streamed: number;
}

async function runRow(row: Row, extra: { journal?: (fake: FakeRegistry) => void } = {}): Promise<RowRun> {
  const tls = row.tls ?? [];
  const streamed = { bytes: 0 };
  const options: FakeRegistryOptions = {
    auth: { ...auth, scheme: row.scheme ?? 'basic', realm: row.realm },
    uploadOrigin: row.uploadOrigin,
    hook: row.hook?.({ streamed }),
    ...(tls.length ? { tls: { cert: certs.cert, key: certs.key, sides: tls } } : {}),
  };
  const fake = await startFakeRegistry(options);
  rmSync(filesFor(bundle, `${fake.host}/site`).journal, { force: true });
  extra.journal?.(fake);
  const started = Date.now();
  try {
    const outcome = await pushBundle({
      allowUnsigned: true,
      file: bundle,
      registry: `${fake.host}/site`,
      plainHttp: !tls.includes('registry'),
      caFile: tls.length ? certs.ca : undefined,
      ...auth,
      retries: 2,
      backoffMs: 1,
      ...row.push,
    }).catch((error: unknown) => {
      // Anything but a UserError is a bug (exit 70): the row fails here.
      if (!(error instanceof UserError)) throw error;
      return error;
    });
    return { outcome, fake, ms: Date.now() - started, streamed: streamed.bytes };
  } finally {
    await fake.close();
    rmSync(filesFor(bundle, `${fake.host}/site`).journal, { force: true });
  }
}

function secretsOf(fake: FakeRegistry): string[] {
  return [auth.password, basicValue, fake.context.token];
}

describe('registry responses -> bundle push', () => {
  it.each(rows.map((row) => [row.name, row] as const))(
    '%s',
    async (_name, row) => {
      const { outcome, fake, ms, streamed } = await runRow(row);
      if (row.expect === 'pushed') {
        expect(outcome, outcome instanceof UserError ? `${outcome.code}: ${outcome.message}` : '').not.toBeInstanceOf(UserError);
      } else {
        expect(outcome).toBeInstanceOf(UserError);
        const error = outcome as UserError;
        expect({ code: error.code, exit: error.exitCode }, error.message).toEqual(row.expect);
        // Whatever the registry sent is echoed inert: no control characters reach the terminal.
        expect(`${error.message}\n${error.hint ?? ''}`).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
        expect(error.message).not.toContain(auth.password);
      }
      const storage = fake.requests.filter((request) => request.side === 'storage');
      const elsewhere = row.tokenServiceOnStorage ? storage.filter((request) => !request.url.startsWith('/token')) : storage;
      expect(withCredentials(elsewhere, secretsOf(fake)).map((request) => `${request.method} ${request.url}`)).toEqual([]);
      if (row.tokenServiceOnStorage) expect(storage.some((request) => request.url.startsWith('/token'))).toBe(true);
      if (row.storageUntouched) expect(storage.map((request) => `${request.method} ${request.url}`)).toEqual([]);
      if (row.storageUsed) expect(storage.length).toBeGreaterThan(0);
      // A hostile body is read up to the 4 MiB cap, not to its end: the server got to write little more.
      expect(streamed).toBeLessThan(64 * MiB);
      expect(ms).toBeLessThan(20_000);
    },
    30_000,
  );

  it('an edited journal whose upload sessions point at another origin: nothing goes there, the push completes at the registry', async () => {
    const plan = pushPlan(new BundleFile(bundle));
    const run = await runRow(
      { name: 'journal', expect: 'pushed' },
      {
        journal: (fake) => {
          const uploads: Record<string, { repository: string; location: string; offset: number }> = {};
          for (const item of plan)
            for (const blob of item.blobs)
              uploads[blob.digest] = {
                repository: `site/${item.repository}`,
                location: `${fake.context.storage}/v2/site/${item.repository}/blobs/uploads/stolen?_state=x`,
                offset: 0,
              };
          const rootDigest = new BundleFile(bundle).rootDigest;
          writeFileSync(
            filesFor(bundle, `${fake.host}/site`).journal,
            JSON.stringify({ apiVersion: 'installctl.dev/v1alpha1', kind: 'PushJournal', rootDigest, registry: `${fake.host}/site`, committed: {}, uploads, manifests: [] }),
          );
        },
      },
    );
    expect(run.outcome).not.toBeInstanceOf(UserError);
    expect((run.outcome as PushResult).sent.length).toBeGreaterThan(0);
    expect(run.fake.requests.filter((request) => request.side === 'storage')).toEqual([]);
  }, 30_000);
});

describe("bundle push's own inputs around the registry", () => {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-cafile-'));
  mkdirSync(join(dir, 'a-directory'));
  const cases: Array<[string, string, string]> = [
    ['an endless --ca-file (/dev/zero)', '/dev/zero', 'FILE_TOO_LARGE'],
    ['a missing --ca-file', join(dir, 'missing.pem'), 'FILE_NOT_FOUND'],
    ['a directory as --ca-file', join(dir, 'a-directory'), 'FILE_IS_DIRECTORY'],
  ];
  it.each(cases)(
    '%s is a user error (exit 2) before any request',
    async (_name, caFile, code) => {
      const fake = await startFakeRegistry();
      try {
        const error = await pushBundle({ allowUnsigned: true, file: bundle, registry: `${fake.host}/site`, caFile }).then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(UserError);
        expect({ code: (error as UserError).code, exit: (error as UserError).exitCode }).toEqual({ code, exit: 2 });
        expect(fake.requests).toEqual([]);
      } finally {
        await fake.close();
      }
    },
    20_000,
  );
});

interface RecordingProxy {
  host: string;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** Forwards everything to `upstream`, records each request, and rewrites Locations with `location`. */
async function recordingProxy(upstream: string, location: (value: string) => string = (value) => value): Promise<RecordingProxy> {
  const requests: RecordingProxy['requests'] = [];
  const server = http.createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    const [hostname, port] = upstream.split(':');
    const outgoing = http.request({ hostname, port: Number(port), method: request.method, path: request.url, headers: request.headers }, (reply) => {
      const headers = { ...reply.headers };
      if (typeof headers.location === 'string') headers.location = location(headers.location);
      response.writeHead(reply.statusCode ?? 502, headers);
      reply.pipe(response);
    });
    outgoing.on('error', () => response.destroy());
    request.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('end to end: the real docker-registry (htpasswd) behind a proxy that sends uploads to another origin', () => {
  let registry: TestRegistry;
  let other: RecordingProxy;
  let front: RecordingProxy;
  beforeAll(async () => {
    registry = await startRegistry({ auth });
    // "other" stands for any host a registry's Location may name; it forwards to the registry so it answers like one.
    other = await recordingProxy(registry.host);
    front = await recordingProxy(registry.host, (value) => (value.includes('/blobs/uploads/') ? value.replace(/^http:\/\/[^/]+/, `http://${other.host}`) : value));
  }, 30_000);
  afterAll(async () => {
    await front?.close();
    await other?.close();
    await registry?.stop();
  });

  it('bundle push never sends the password there: the uploads fail without credentials (exit 5), no bug', async () => {
    rmSync(filesFor(bundle, `${front.host}/site`).journal, { force: true });
    const run = await runCliAsync(
      [
        'bundle',
        'push',
        bundle,
        '--registry',
        `${front.host}/site`,
        '--plain-http',
        '--username',
        auth.username,
        '--password-stdin',
        '--retries',
        '1',
        '--allow-unsigned',
        '--json',
      ],
      { input: auth.password },
    );
    expect(run.status, run.stderr).toBe(5);
    expect(run.json().error.code, run.stdout).toBe('REGISTRY_REJECTED');
    // The registry got the credentials through the front; the other origin was used, never with them.
    expect(front.requests.some((request) => request.headers.authorization === `Basic ${basicValue}`)).toBe(true);
    expect(other.requests.length).toBeGreaterThan(0);
    const leaked = other.requests.filter(
      (request) =>
        request.headers.authorization !== undefined ||
        `${request.url} ${JSON.stringify(request.headers)}`.includes(auth.password) ||
        `${request.url} ${JSON.stringify(request.headers)}`.includes(basicValue),
    );
    expect(leaked.map((request) => `${request.method} ${request.url}`)).toEqual([]);
    expect(`${run.stdout}${run.stderr}`).not.toContain(auth.password);
    rmSync(filesFor(bundle, `${front.host}/site`).journal, { force: true });
  }, 60_000);
});
