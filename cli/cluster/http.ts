/**
 * The HTTP layer under client-node's typed APIs. client-node's default (node-fetch) follows
 * redirects with the same agent, so a client certificate (and, to a subdomain, the bearer token)
 * would go to wherever a 3xx points; here a request goes only to the cluster's own origin, a 3xx is
 * returned as it is (the generated client turns it into an ApiException, never followed), every
 * body is read with a size cap and every request has a deadline.
 */
import http from 'node:http';
import https from 'node:https';
import { wrapHttpLibrary, ResponseContext, type HttpLibrary, type RequestContext, type ResponseBody } from '@kubernetes/client-node';
import { formatCap } from '../lib/read-capped.js';
import { CLUSTER_CAPS } from './limits.js';

/** Thrown before anything is sent: the generated client asked for a URL on another origin than the cluster's. */
export class ForeignOriginError extends Error {
  constructor(readonly url: string) {
    super(`refused to send a request with the cluster's credentials to another origin (${new URL(url).origin})`);
    this.name = 'ForeignOriginError';
  }
}

/** A response over the cap, or a request past its deadline. */
export class TransportError extends Error {
  constructor(
    message: string,
    /** Like a Node socket error's code (never shown to the user: the message is). */
    readonly errno: 'ETOOLARGE' | 'ETIMEDOUT',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface PinnedHttpOptions {
  /** scheme://host:port of the cluster: the only origin requests may go to. */
  origin: string;
  timeoutMs: number;
  maxResponseBytes?: number;
}

class BufferBody implements ResponseBody {
  constructor(private readonly bytes: Buffer) {}
  binary(): Promise<Buffer> {
    return Promise.resolve(this.bytes);
  }
  text(): Promise<string> {
    return Promise.resolve(this.bytes.toString('utf8'));
  }
}

function send(request: RequestContext, options: PinnedHttpOptions): Promise<ResponseContext> {
  const url = new URL(request.getUrl());
  if (url.origin !== options.origin) return Promise.reject(new ForeignOriginError(url.href));
  const body = request.getBody();
  if (body !== undefined && typeof body !== 'string') return Promise.reject(new Error('only JSON request bodies are sent to the API server'));
  const maxBytes = options.maxResponseBytes ?? CLUSTER_CAPS.kubernetesResponse;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(
      url,
      { method: request.getHttpMethod(), headers: request.getHeaders(), agent: request.getAgent(), signal: request.getSignal() },
      (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > maxBytes) {
            response.destroy(new TransportError(`the API server's response to ${url.pathname} is larger than ${formatCap(maxBytes)}`, 'ETOOLARGE'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve(new ResponseContext(response.statusCode ?? 0, headers, new BufferBody(Buffer.concat(chunks, length))));
        });
      },
    );
    // A deadline for the whole exchange, not an idle timeout: a server that trickles a byte at a time must not hold the run.
    const deadline = setTimeout(() => {
      const error = new TransportError(`the API server did not answer ${url.pathname} within ${options.timeoutMs} ms`, 'ETIMEDOUT');
      outgoing.destroy(error);
      reject(error);
    }, options.timeoutMs);
    deadline.unref();
    outgoing.on('close', () => clearTimeout(deadline));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** An HttpLibrary for client-node's createConfiguration that talks to one origin only. */
export function pinnedHttpLibrary(options: PinnedHttpOptions): HttpLibrary {
  return wrapHttpLibrary({ send: (request) => send(request, options) });
}
