/**
 * A small in-memory OCI registry (the part of the distribution API bundle push uses) for hostile-
 * registry tests: it answers on two origins that share one store, "registry" (the one the push is
 * given, with Basic or Bearer auth) and "storage" (another port: where a registry may send uploads,
 * or an attacker's host). Both record every request with its headers, so a test can show where
 * credentials went. A hook answers any request itself first: that is how a row misbehaves.
 */
import http from 'node:http';
import https from 'node:https';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export type Side = 'registry' | 'storage';

export interface Recorded {
  side: Side;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface FakeContext {
  /** scheme://127.0.0.1:port of each side. */
  registry: string;
  storage: string;
  /** The Bearer token the token endpoint hands out. */
  token: string;
}

/** Answers a request itself (returns true) or lets the registry answer it (false). */
export type Hook = (request: http.IncomingMessage, response: http.ServerResponse, side: Side, context: FakeContext) => boolean;

export interface FakeRegistryOptions {
  /** Certificates for the sides that speak TLS. */
  tls?: { cert: Buffer; key: Buffer; sides: Side[] };
  auth?: { username: string; password: string; scheme: 'basic' | 'bearer'; realm?: (context: FakeContext) => string };
  /** Where upload sessions live: the Location of POST/PATCH answers (default: the registry itself). */
  uploadOrigin?: (context: FakeContext) => string;
  hook?: Hook;
  /** Milliseconds to wait before answering a request: a slow registry. */
  delay?: (request: http.IncomingMessage, side: Side) => number;
}

export interface FakeRegistry {
  host: string;
  context: FakeContext;
  requests: Recorded[];
  blobs: Map<string, Buffer>;
  close(): Promise<void>;
}

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function body(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** A body "endless" to a client: 32 times the 4 MiB cap. A hard stop, so a client that reads it all cannot exhaust the machine. */
const ENDLESS = 128 * 1024 * 1024;

/** Writes an endless body until the client goes away; counts what was written. */
export function endless(response: http.ServerResponse, counter: { bytes: number }, headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' }, status = 200): void {
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  response.writeHead(status, headers);
  const pump = () => {
    while (!response.destroyed && !response.writableEnded) {
      if (counter.bytes >= ENDLESS) return void response.end();
      counter.bytes += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
  };
  response.on('close', () => response.removeAllListeners('drain'));
  pump();
}

export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const requests: Recorded[] = [];
  const blobs = new Map<string, Buffer>();
  const uploads = new Map<string, Buffer>();
  const manifests = new Map<string, { bytes: Buffer; type: string }>();
  const context: FakeContext = { registry: '', storage: '', token: `tok-${randomUUID()}` };
  const auth = options.auth;
  const basic = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : '';

  const handle = async (side: Side, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    requests.push({ side, method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    if (options.hook?.(request, response, side, context)) return;
    const wait = options.delay?.(request, side) ?? 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = url.pathname;
    const send = (status: number, headers: http.OutgoingHttpHeaders = {}, payload?: Buffer | string) => {
      response.writeHead(status, { 'docker-distribution-api-version': 'registry/2.0', ...headers });
      response.end(request.method === 'HEAD' ? undefined : payload);
    };
    const payload = await body(request);
    if (path === '/token') {
      if (auth && request.headers.authorization !== basic) return send(401, {}, '{}');
      return send(200, { 'content-type': 'application/json' }, JSON.stringify({ token: context.token }));
    }
    // Only the registry side checks credentials: storage takes what its URLs (session ids) allow.
    if (side === 'registry' && auth) {
      const expected = auth.scheme === 'basic' ? basic : `Bearer ${context.token}`;
      if (request.headers.authorization !== expected) {
        const challenge = auth.scheme === 'basic' ? 'Basic realm="fake"' : `Bearer realm="${auth.realm?.(context) ?? `${context.registry}/token`}",service="fake"`;
        return send(401, { 'www-authenticate': challenge, 'content-type': 'application/json' }, '{"errors":[{"code":"UNAUTHORIZED"}]}');
      }
    }
    if (path === '/v2/' || path === '/v2') return send(200, { 'content-type': 'application/json' }, '{}');
    const uploadOrigin = options.uploadOrigin?.(context) ?? context.registry;
    let match = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(path);
    if (match) {
      const [, name, id] = match;
      if (request.method === 'POST') {
        const mount = url.searchParams.get('mount');
        if (mount && blobs.has(mount)) return send(201, { location: `/v2/${name}/blobs/${mount}` });
        const session = randomUUID();
        uploads.set(session, Buffer.alloc(0));
        return send(202, { location: `${uploadOrigin}/v2/${name}/blobs/uploads/${session}?_state=s`, range: '0-0' });
      }
      const held = uploads.get(id!);
      if (!held) return send(404, {}, '{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN"}]}');
      const location = `${uploadOrigin}/v2/${name}/blobs/uploads/${id}?_state=s`;
      if (request.method === 'GET') return send(204, { location, range: `0-${Math.max(0, held.length - 1)}` });
      const data = Buffer.concat([held, payload]);
      if (request.method === 'PATCH') {
        // As distribution does: a chunk must start where the session ends.
        const start = /^(\d+)-/.exec(String(request.headers['content-range'] ?? ''));
        if (start && Number(start[1]) !== held.length) return send(416, { location, range: `0-${Math.max(0, held.length - 1)}` });
        uploads.set(id!, data);
        return send(202, { location, range: `0-${data.length - 1}` });
      }
      if (request.method === 'PUT') {
        const digest = url.searchParams.get('digest') ?? '';
        if (sha(data) !== digest) return send(400, {}, '{"errors":[{"code":"DIGEST_INVALID"}]}');
        uploads.delete(id!);
        blobs.set(digest, data);
        return send(201, { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest });
      }
    }
    match = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (match) {
      const blob = blobs.get(match[2]!);
      if (!blob) return send(404, {}, '{"errors":[{"code":"BLOB_UNKNOWN"}]}');
      return send(200, { 'content-length': String(blob.length), 'docker-content-digest': match[2] }, blob);
    }
    match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (match) {
      const key = `${match[1]}@${match[2]}`;
      if (request.method === 'PUT') {
        const digest = sha(payload);
        const stored = { bytes: payload, type: String(request.headers['content-type']) };
        manifests.set(key, stored);
        manifests.set(`${match[1]}@${digest}`, stored);
        return send(201, { location: `/v2/${match[1]}/manifests/${digest}`, 'docker-content-digest': digest });
      }
      const stored = manifests.get(key);
      if (!stored) return send(404, {}, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return send(200, { 'content-type': stored.type, 'content-length': String(stored.bytes.length), 'docker-content-digest': sha(stored.bytes) }, stored.bytes);
    }
    send(404, {}, '{"errors":[{"code":"NOT_FOUND"}]}');
  };

  const listen = async (side: Side): Promise<{ server: http.Server; origin: string }> => {
    const tls = options.tls?.sides.includes(side) ? options.tls : undefined;
    const listener = (request: http.IncomingMessage, response: http.ServerResponse) => void handle(side, request, response).catch(() => response.destroy());
    const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, listener) : http.createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return { server, origin: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const registry = await listen('registry');
  const storage = await listen('storage');
  context.registry = registry.origin;
  context.storage = storage.origin;
  return {
    host: new URL(registry.origin).host,
    context,
    requests,
    blobs,
    close: async () => {
      for (const { server } of [registry, storage]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/**
 * Requests that carried credentials in any form: an Authorization header, or the password, the
 * Basic value or the token anywhere in the URL or another header.
 */
export function withCredentials(requests: Recorded[], secrets: string[]): Recorded[] {
  return requests.filter((request) => {
    if (request.headers.authorization !== undefined || request.headers['proxy-authorization'] !== undefined) return true;
    let url = request.url;
    try {
      url = decodeURIComponent(url);
    } catch {
      // Keep it encoded: the secret check below still sees the raw form.
    }
    const text = `${url}\n${JSON.stringify(request.headers)}`;
    return secrets.some((secret) => secret && text.includes(secret));
  });
}
