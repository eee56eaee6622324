/**
 * HTTP for the registry client: keep-alive agents, TLS with an extra CA, Basic and Bearer auth
 * (token endpoint from the WWW-Authenticate challenge), redirects, and retries with exponential
 * backoff on 429, 5xx and dropped connections. Request bodies come from a factory so a retry can
 * resend them. Credentials and the keep-alive agent are for the registry's own origin only
 * (origin.ts); every body read whole is capped, so a hostile registry cannot grow memory.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { CodedError } from '../lib/errors.js';
import { OciError } from './errors.js';
import { readFileCapped, SIZE_CAPS, formatCap } from '../lib/read-capped.js';
import { followable, locationRefused, printable, redactUrl, tokenRealm } from './origin.js';

export interface HttpOptions {
  plainHttp: boolean;
  caFile?: string;
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (Docker's identitytoken): traded for bearer tokens with a POST to the token service. */
  identityToken?: string;
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
  /** The URL that answered (after redirects): relative Locations resolve against it. */
  url: URL;
}

export interface RequestSpec {
  method: string;
  /** Path and query, or an absolute URL already checked with followable() (upload Locations). */
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
    /** Another origin than the registry's answered (it never got credentials: a 401 there is no verdict on them). */
    readonly offOrigin = false,
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

/** A registry sends at most this many redirects in a row (Go's client allows 10; registries use 1). */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

function tooLarge(url: URL): OciError {
  return new OciError('REGISTRY_RESPONSE_TOO_LARGE', `${redactUrl(url)} answered with a body larger than ${formatCap(SIZE_CAPS.registryResponse)}; installctl stopped reading`, {
    hint: 'the registry (or a proxy in front of it) sends bodies no registry API needs; check what answers at that address',
  });
}

function tokenInvalid(url: URL, why: string): OciError {
  return new OciError('REGISTRY_TOKEN_INVALID', `the token service ${redactUrl(url)} answered ${why}`, {
    hint: 'a token service answers JSON with a "token" or "access_token"; check the realm the registry names in its WWW-Authenticate header',
  });
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export class RegistryHttp {
  private readonly agent: http.Agent;
  private readonly base: URL;
  /** scheme://host:port the user named: the only origin that gets credentials or the keep-alive agent. */
  readonly origin: string;
  private readonly ca: Buffer | undefined;
  private readonly tokens = new Map<string, string>();
  private challenge: { scheme: 'basic' | 'bearer'; realm?: string; service?: string } | null = null;

  constructor(
    readonly host: string,
    private readonly options: HttpOptions,
  ) {
    this.base = new URL(`${options.plainHttp ? 'http' : 'https'}://${host}`);
    this.origin = this.base.origin;
    this.ca = options.caFile
      ? readFileCapped(options.caFile, { what: 'CA file', maxBytes: SIZE_CAPS.caFile, hint: 'pass the PEM file of the CA that signed the registry certificate' })
      : undefined;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8, ...(this.ca ? { ca: this.ca } : {}) };
    this.agent = options.plainHttp ? new http.Agent(agentOptions) : new https.Agent(agentOptions);
  }

  get authScheme(): 'none' | 'basic' | 'bearer' {
    return this.challenge?.scheme ?? 'none';
  }

  close(): void {
    this.agent.destroy();
  }

  /** A Location from a response to `from`, resolved and checked (origin.ts): where a request may go next. */
  follow(from: URL, location: string, what = 'Location'): URL {
    return followable(location, from, what);
  }

  private basic(): string {
    return `Basic ${Buffer.from(`${this.options.username}:${this.options.password ?? ''}`).toString('base64')}`;
  }

  /** Credentials for a request to `url`: none at all unless it is the registry's own origin. */
  private authorization(url: URL, scope?: string): string | undefined {
    if (url.origin !== this.origin) return undefined;
    if (this.challenge?.scheme === 'basic' && this.options.username) return this.basic();
    const token = this.tokens.get(scope ?? '') ?? this.tokens.get('');
    return token ? `Bearer ${token}` : undefined;
  }

  private async fetchToken(scope?: string): Promise<void> {
    if (!this.challenge?.realm) return;
    const { identityToken } = this.options;
    const withCredentials = Boolean(this.options.username || identityToken);
    const url = tokenRealm(this.challenge.realm, { origin: this.origin, plainHttp: this.options.plainHttp }, withCredentials);
    let response: HttpResponse;
    if (identityToken) {
      // As docker does with an identity token: the OAuth2 refresh-token grant, the token in the body.
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: identityToken,
        client_id: 'installctl',
        ...(this.challenge.service ? { service: this.challenge.service } : {}),
        ...(scope ? { scope } : {}),
      });
      const body = Buffer.from(form.toString());
      response = await this.raw(
        url,
        { method: 'POST', url: url.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) }, body: () => body },
        undefined,
      );
    } else {
      if (this.challenge.service) url.searchParams.set('service', this.challenge.service);
      if (scope) url.searchParams.set('scope', scope);
      response = await this.raw(url, { method: 'GET', url: url.toString() }, withCredentials ? this.basic() : undefined);
    }
    if (response.status !== 200) throw new HttpError(response.status, `token service ${redactUrl(url)} answered ${response.status}`, printable(response.body.toString('utf8')));
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw tokenInvalid(url, 'something that is not JSON');
    }
    const token = typeof body === 'object' && body !== null ? ((body as { token?: unknown }).token ?? (body as { access_token?: unknown }).access_token) : undefined;
    // The token goes into a header: visible ASCII only, or node would throw on it (a bug, exit 70).
    if (typeof token !== 'string' || !/^[\x21-\x7e]{1,8192}$/.test(token)) throw tokenInvalid(url, 'JSON without a usable "token"');
    this.tokens.set(scope ?? '', token);
  }

  private parseChallenge(header: string | undefined): void {
    if (!header) return;
    const scheme = header.trim().split(/\s+/)[0]!.toLowerCase();
    const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!.toLowerCase(), match[2]!]));
    this.challenge = scheme === 'bearer' ? { scheme: 'bearer', realm: params.realm, service: params.service } : { scheme: 'basic' };
  }

  /** One exchange with `url`; the body is read whole (capped) unless a 200 is streamed. */
  private raw(url: URL, spec: RequestSpec, authorization: string | undefined): Promise<HttpResponse & { stream?: http.IncomingMessage }> {
    const client = url.protocol === 'https:' ? https : http;
    const own = url.origin === this.origin;
    const headers = { ...spec.headers, ...(authorization ? { authorization } : {}) };
    // Another origin gets a connection of its own (agent: false), with the CA but nothing else of ours.
    const options = { method: spec.method, headers, agent: own ? this.agent : false, ...(!own && this.ca && url.protocol === 'https:' ? { ca: this.ca } : {}) };
    return new Promise((resolve, reject) => {
      const request = client.request(url, options, (response) => {
        if (spec.stream && response.statusCode === 200) {
          resolve({ status: 200, headers: response.headers, body: Buffer.alloc(0), url, stream: response });
          return;
        }
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > SIZE_CAPS.registryResponse) {
            request.destroy();
            reject(tooLarge(url));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), url }));
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

  /**
   * raw() plus redirects. GET and HEAD follow any redirect; other methods 307/308 only, and only
   * when the body can be sent again. Every hop is checked (origin.ts) and gets credentials only
   * on the registry's own origin, so a redirect to storage elsewhere carries none.
   */
  private async exchange(start: URL, spec: RequestSpec): Promise<HttpResponse & { stream?: http.IncomingMessage }> {
    let url = start;
    for (let hops = 0; ; hops++) {
      const response = await this.raw(url, spec, this.authorization(url, spec.scope));
      const location = response.headers.location;
      const followed =
        spec.method === 'GET' || spec.method === 'HEAD' ? REDIRECT_STATUS.has(response.status) : (response.status === 307 || response.status === 308) && !spec.noRetry;
      if (!followed || !location) return response;
      if (hops >= MAX_REDIRECTS) throw locationRefused(`${redactUrl(start)} redirected more than ${MAX_REDIRECTS} times`);
      url = this.follow(url, location, 'redirect');
    }
  }

  /** One request, authenticated, retried on transient failures; throws HttpError for unexpected statuses. */
  async request(spec: RequestSpec): Promise<HttpResponse & { stream?: http.IncomingMessage }> {
    const retries = spec.retries ?? this.options.retries ?? 8;
    const start = this.follow(this.base, spec.url, 'URL');
    let authenticated = false;
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      let retryAfterMs: number | null = null;
      try {
        const response = await this.exchange(start, spec);
        // Only the registry's own origin may challenge for credentials: a challenge from anywhere
        // else (storage an upload was sent to) would be a way to ask for the password.
        const own = response.url.origin === this.origin;
        if (
          response.status === 401 &&
          own &&
          !authenticated &&
          (this.options.username || this.options.identityToken || response.headers['www-authenticate']?.toLowerCase().startsWith('bearer'))
        ) {
          authenticated = true;
          this.parseChallenge(response.headers['www-authenticate']);
          if (this.challenge?.scheme === 'bearer') await this.fetchToken(spec.scope);
          if (this.authorization(start, spec.scope)) {
            attempt--;
            continue;
          }
        }
        if ((spec.ok ?? [200, 201, 202, 204]).includes(response.status)) return response;
        if (!RETRYABLE_STATUS.has(response.status)) {
          const text = printable(response.body.toString('utf8'));
          const note = own ? '' : ' (another origin than the registry: installctl sends no credentials there)';
          throw new HttpError(response.status, `${spec.method} ${redactUrl(response.url)} answered ${response.status}${note}: ${text}`, text, !own);
        }
        reason = `HTTP ${response.status}`;
        const retryAfter = Number(response.headers['retry-after']);
        if (Number.isFinite(retryAfter) && retryAfter >= 0) retryAfterMs = Math.min(30_000, retryAfter * 1000);
      } catch (error) {
        if (error instanceof HttpError || error instanceof CodedError) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!RETRYABLE_CODES.has(code) && !/socket hang up|ECONNRESET/.test(String(error))) throw error;
        reason = code || String(error);
      }
      if (attempt >= retries || spec.noRetry)
        throw new TransientError(`${spec.method} ${redactUrl(start)}: gave up after ${attempt + 1} attempt${attempt ? 's' : ''} (${reason})`, reason);
      const base = this.options.backoffMs ?? 250;
      const delayMs = retryAfterMs ?? Math.min(10_000, base * 2 ** attempt * (0.75 + Math.random() * 0.5));
      this.options.onRetry?.({ attempt: attempt + 1, reason, delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
