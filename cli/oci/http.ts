/**
 * HTTP for the registry client: keep-alive agents, TLS with an extra CA, Basic and Bearer auth
 * (token endpoint from the WWW-Authenticate challenge), and retries with exponential backoff on
 * 429, 5xx and dropped connections. Request bodies come from a factory so a retry can resend them.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

export interface HttpOptions {
  plainHttp: boolean;
  caFile?: string;
  username?: string;
  password?: string;
  /** Parallel sockets per host. */
  maxSockets?: number;
  retries?: number;
  /** First backoff; doubles per attempt (with jitter), capped at 10 s; Retry-After wins when given. */
  backoffMs?: number;
  onRetry?: (event: { attempt: number; reason: string; delayMs: number }) => void;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestSpec {
  method: string;
  /** Path and query, or an absolute URL (upload Locations may be absolute). */
  url: string;
  headers?: Record<string, string>;
  body?: () => Readable | Buffer;
  /** Accept these statuses without retrying or throwing. */
  ok?: number[];
  /** Auth scope for Bearer tokens, e.g. repository:acme/api:pull,push. */
  scope?: string;
  /** Return the response stream unread (blob downloads). */
  stream?: boolean;
  /** Do not retry (the caller resumes instead, e.g. a chunk whose partial delivery moved the offset). */
  noRetry?: boolean;
  /** Overrides HttpOptions.retries for this request (a probe should fail fast). */
  retries?: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: string,
  ) {
    super(message);
  }
}

/** A request that kept failing for transient reasons (429, 5xx, dropped connections) until retries ran out. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export class RegistryHttp {
  private readonly agent: http.Agent;
  private readonly base: string;
  private readonly tokens = new Map<string, string>();
  private challenge: { scheme: 'basic' | 'bearer'; realm?: string; service?: string } | null = null;

  constructor(
    readonly host: string,
    private readonly options: HttpOptions,
  ) {
    this.base = `${options.plainHttp ? 'http' : 'https'}://${host}`;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8, ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}) };
    this.agent = options.plainHttp ? new http.Agent(agentOptions) : new https.Agent(agentOptions);
  }

  get authScheme(): 'none' | 'basic' | 'bearer' {
    return this.challenge?.scheme ?? 'none';
  }

  close(): void {
    this.agent.destroy();
  }

  private authorization(scope?: string): string | undefined {
    if (this.challenge?.scheme === 'basic' && this.options.username) {
      return `Basic ${Buffer.from(`${this.options.username}:${this.options.password ?? ''}`).toString('base64')}`;
    }
    const token = this.tokens.get(scope ?? '') ?? this.tokens.get('');
    return token ? `Bearer ${token}` : undefined;
  }

  private async fetchToken(scope?: string): Promise<void> {
    if (!this.challenge?.realm) return;
    const url = new URL(this.challenge.realm);
    if (this.challenge.service) url.searchParams.set('service', this.challenge.service);
    if (scope) url.searchParams.set('scope', scope);
    const headers: Record<string, string> = {};
    if (this.options.username) headers.authorization = `Basic ${Buffer.from(`${this.options.username}:${this.options.password ?? ''}`).toString('base64')}`;
    const response = await this.raw({ method: 'GET', url: url.toString(), headers });
    if (response.status !== 200) throw new HttpError(response.status, `token endpoint ${url.origin} answered ${response.status}`, response.body.toString('utf8'));
    const body = JSON.parse(response.body.toString('utf8')) as { token?: string; access_token?: string };
    this.tokens.set(scope ?? '', body.token ?? body.access_token ?? '');
  }

  private parseChallenge(header: string | undefined): void {
    if (!header) return;
    const scheme = header.trim().split(/\s+/)[0]!.toLowerCase();
    const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!.toLowerCase(), match[2]!]));
    this.challenge = scheme === 'bearer' ? { scheme: 'bearer', realm: params.realm, service: params.service } : { scheme: 'basic' };
  }

  private raw(spec: RequestSpec & { stream?: boolean }): Promise<HttpResponse & { stream?: http.IncomingMessage }> {
    const url = new URL(spec.url, this.base);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(url, { method: spec.method, headers: spec.headers, agent: url.origin === new URL(this.base).origin ? this.agent : undefined }, (response) => {
        if (spec.stream && response.statusCode === 200) {
          resolve({ status: 200, headers: response.headers, body: Buffer.alloc(0), stream: response });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('error', reject);
      const body = spec.body?.();
      if (!body) request.end();
      else if (Buffer.isBuffer(body)) request.end(body);
      else {
        body.on('error', (error) => request.destroy(error));
        body.pipe(request);
      }
    });
  }

  /** One request, authenticated, retried on transient failures; throws HttpError for unexpected statuses. */
  async request(spec: RequestSpec): Promise<HttpResponse & { stream?: http.IncomingMessage }> {
    const retries = spec.retries ?? this.options.retries ?? 8;
    let authenticated = false;
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      let retryAfterMs: number | null = null;
      try {
        const auth = this.authorization(spec.scope);
        const response = await this.raw({ ...spec, headers: { ...spec.headers, ...(auth ? { authorization: auth } : {}) } });
        if (response.status === 401 && !authenticated && (this.options.username || response.headers['www-authenticate']?.toLowerCase().startsWith('bearer'))) {
          authenticated = true;
          this.parseChallenge(response.headers['www-authenticate']);
          if (this.challenge?.scheme === 'bearer') await this.fetchToken(spec.scope);
          if (this.authorization(spec.scope)) {
            attempt--;
            continue;
          }
        }
        if ((spec.ok ?? [200, 201, 202, 204]).includes(response.status)) return response;
        if (!RETRYABLE_STATUS.has(response.status)) {
          const text = response.body.toString('utf8');
          throw new HttpError(response.status, `${spec.method} ${new URL(spec.url, this.base).pathname} answered ${response.status}: ${text.slice(0, 300)}`, text);
        }
        reason = `HTTP ${response.status}`;
        const retryAfter = Number(response.headers['retry-after']);
        if (Number.isFinite(retryAfter) && retryAfter >= 0) retryAfterMs = Math.min(30_000, retryAfter * 1000);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!RETRYABLE_CODES.has(code) && !/socket hang up|ECONNRESET/.test(String(error))) throw error;
        reason = code || String(error);
      }
      if (attempt >= retries || spec.noRetry) throw new TransientError(`${spec.method} ${new URL(spec.url, this.base).pathname}: gave up after ${attempt + 1} attempt${attempt ? 's' : ''} (${reason})`, reason);
      const base = this.options.backoffMs ?? 250;
      const delayMs = retryAfterMs ?? Math.min(10_000, base * 2 ** attempt * (0.75 + Math.random() * 0.5));
      this.options.onRetry?.({ attempt: attempt + 1, reason, delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
