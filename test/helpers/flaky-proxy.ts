/**
 * A forwarding proxy in front of a test registry that can answer some requests itself (e.g. 429
 * with Retry-After) before letting them through: how tests make a registry misbehave on cue.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyRule {
  /** A status to answer with instead of forwarding, 'stall' to hold the request unanswered, 'reset' to drop the connection, or null to forward. */
  (request: http.IncomingMessage, seen: number): number | 'stall' | 'reset' | null;
}

export interface FlakyProxy {
  host: string;
  /** Requests answered by the proxy itself, by status. */
  injected: Map<number, number>;
  forwarded: number;
  /** Forwarded requests whose response has not finished yet. */
  inFlight: number;
  /** Requests held unanswered. */
  stalled: number;
  /** Connections dropped without an answer. */
  resets: number;
  /** The Location of the newest forwarded answer per upload session (path without query). */
  uploadLocations: Map<string, string>;
  close(): Promise<void>;
}

export async function startFlakyProxy(upstream: string, rule: ProxyRule): Promise<FlakyProxy> {
  const injected = new Map<number, number>();
  let seen = 0;
  let forwarded = 0;
  let inFlight = 0;
  let stalled = 0;
  let resets = 0;
  const uploadLocations = new Map<string, string>();
  const server = http.createServer((request, response) => {
    const status = rule(request, seen++);
    if (status === 'stall') {
      stalled++;
      return;
    }
    if (status === 'reset') {
      resets++;
      request.socket.resetAndDestroy();
      return;
    }
    if (status !== null) {
      injected.set(status, (injected.get(status) ?? 0) + 1);
      request.resume();
      request.on('end', () => {
        response.writeHead(status, { 'retry-after': '0', 'content-type': 'application/json' });
        response.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'injected by the test proxy' }] }));
      });
      return;
    }
    forwarded++;
    inFlight++;
    response.on('close', () => inFlight--);
    const [hostname, port] = upstream.split(':');
    // The Host header passes through unchanged, so the registry's Location URLs point back here.
    const outgoing = http.request({ hostname, port: Number(port), method: request.method, path: request.url, headers: request.headers }, (reply) => {
      const location = reply.headers.location;
      if (typeof location === 'string' && location.includes('/blobs/uploads/')) uploadLocations.set(new URL(location, 'http://proxy').pathname, location);
      // A finished upload (PUT) is no longer a session anyone resumes.
      if (request.method === 'PUT' && (reply.statusCode ?? 0) < 300) uploadLocations.delete(new URL(request.url ?? '/', 'http://proxy').pathname);
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    });
    outgoing.on('error', () => response.destroy());
    request.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    injected,
    uploadLocations,
    get forwarded() {
      return forwarded;
    },
    get inFlight() {
      return inFlight;
    },
    get stalled() {
      return stalled;
    },
    get resets() {
      return resets;
    },
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
