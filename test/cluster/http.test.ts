/** The HTTP layer under the typed APIs: one origin only, no redirect followed, bodies capped. */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpMethod, RequestContext } from '@kubernetes/client-node';
import { ForeignOriginError, pinnedHttpLibrary, TransportError } from '../../cli/cluster/http.js';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

async function serve(handler: http.RequestListener): Promise<{ origin: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? '-'}`);
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const send = (origin: string, url: string, maxResponseBytes?: number) => {
  const request = new RequestContext(url, HttpMethod.GET);
  request.setHeaderParam('Authorization', 'Bearer secret-token');
  return pinnedHttpLibrary({ origin, timeoutMs: 2000, ...(maxResponseBytes ? { maxResponseBytes } : {}) })
    .send(request)
    .toPromise();
};

describe('pinnedHttpLibrary', () => {
  it('refuses a URL on another origin before sending anything', async () => {
    const other = await serve((_request, response) => response.end('{}'));
    await expect(send('http://127.0.0.1:1', `${other.origin}/api/v1/nodes`)).rejects.toBeInstanceOf(ForeignOriginError);
    expect(other.seen).toEqual([]);
  });

  it('returns a redirect as it is, without following it', async () => {
    const other = await serve((_request, response) => response.end('{}'));
    const cluster = await serve((_request, response) => {
      response.writeHead(307, { location: `${other.origin}/steal` });
      response.end();
    });
    const response = await send(cluster.origin, `${cluster.origin}/api/v1/nodes`);
    expect(response.httpStatusCode).toBe(307);
    expect(other.seen).toEqual([]);
  });

  it('stops reading a response over the cap', async () => {
    const cluster = await serve((_request, response) => response.end(Buffer.alloc(4096, 0x61)));
    await expect(send(cluster.origin, `${cluster.origin}/api/v1/pods`, 1024)).rejects.toBeInstanceOf(TransportError);
    expect((await send(cluster.origin, `${cluster.origin}/api/v1/pods`, 8192)).httpStatusCode).toBe(200);
  });

  it('gives up on a server that trickles a byte at a time, at the deadline of the whole exchange', async () => {
    const timers: NodeJS.Timeout[] = [];
    const cluster = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      timers.push(setInterval(() => response.write(' '), 200));
    });
    const started = Date.now();
    const error = await send(cluster.origin, `${cluster.origin}/api/v1/nodes`).catch((caught: unknown) => caught);
    timers.forEach(clearInterval);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).errno).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
