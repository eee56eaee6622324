/**
 * What a failed API call means for a collector, and a pager for lists. The API server answers a
 * refused or missing read with a Status object (reason Forbidden, NotFound ...): its message is kept,
 * escaped and bounded, so evidence can say what the cluster said. Reused by support bundles.
 */
import { ApiException } from '@kubernetes/client-node';
import { visibleLine } from '../lib/visible-text.js';
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import { ForeignOriginError, TransportError } from './http.js';

export type CollectorStatus = NonNullable<PreflightEvidence['collectors'][string]>;

export const OK: CollectorStatus = { status: 'ok', httpStatus: 200, message: '' };
export const SKIPPED: CollectorStatus = { status: 'skipped', httpStatus: null, message: 'no check of this spec needs it' };

const MESSAGE_MAX = 2000;

/** A value from the cluster shown on one line, escaped, at most `max` characters. */
export function bounded(value: string, max: number): string {
  const line = visibleLine(value);
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** The message of a Kubernetes Status body (JSON text or object), or null. */
function statusMessage(body: unknown): string | null {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim() === '' ? null : body;
    }
  }
  if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') return (parsed as { message: string }).message;
  return null;
}

/** The HTTP status of an API failure, or null when no answer came (network, TLS, timeout). */
export function httpStatusOf(error: unknown): number | null {
  return error instanceof ApiException ? error.code : null;
}

/** A network-level cause in a few words: connection refused, a TLS failure, a timeout. */
export function transportReason(error: unknown): string {
  if (error instanceof ForeignOriginError || error instanceof TransportError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** The collector status an error means: 403 forbidden, 404 not-found, anything else failed. */
export function collectorStatusOf(error: unknown, what: string): CollectorStatus {
  const httpStatus = httpStatusOf(error);
  if (httpStatus === null) return { status: 'failed', httpStatus: null, message: bounded(`${what}: ${transportReason(error)}`, MESSAGE_MAX) };
  const said = statusMessage((error as ApiException<unknown>).body);
  const message = bounded(`${what}: HTTP ${httpStatus}${said ? `: ${said}` : ''}`, MESSAGE_MAX);
  if (httpStatus === 403) return { status: 'forbidden', httpStatus, message };
  if (httpStatus === 404) return { status: 'not-found', httpStatus, message };
  return { status: 'failed', httpStatus, message };
}

export const isNotFound = (error: unknown): boolean => httpStatusOf(error) === 404;

export interface ListPage<T> {
  items: T[];
  metadata?: { _continue?: string } | undefined;
}

export interface ListAllResult<T> {
  items: T[];
  /** More items than maxItems: items holds the first maxItems. */
  truncated: boolean;
}

/**
 * Calls `onPage` with each page of a list, `limit` items per request, following `continue`; stops
 * (returning false) once `maxItems` were seen, so a huge list costs one page of memory at a time.
 */
export async function forEachPage<T>(
  fetchPage: (page: { limit: number; _continue?: string }) => Promise<ListPage<T>>,
  options: { limit?: number; maxItems: number },
  onPage: (items: T[]) => void,
): Promise<boolean> {
  const limit = options.limit ?? 500;
  let seen = 0;
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage({ limit, ...(token ? { _continue: token } : {}) });
    const room = options.maxItems - seen;
    onPage(page.items.slice(0, Math.max(0, room)));
    seen += page.items.length;
    if (seen > options.maxItems) return false;
    token = page.metadata?._continue || undefined;
    if (!token) return true;
  }
}

/** Every item of a list (at most maxItems; truncated says there were more). */
export async function listAll<T>(
  fetchPage: (page: { limit: number; _continue?: string }) => Promise<ListPage<T>>,
  options: { limit?: number; maxItems: number },
): Promise<ListAllResult<T>> {
  const items: T[] = [];
  const complete = await forEachPage(fetchPage, options, (page) => items.push(...page));
  return { items, truncated: !complete };
}
