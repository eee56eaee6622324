/**
 * Finds hosts of public internet services named anywhere in a spec, for air-gapped installs.
 * A value names a host when it is a URL, or starts like a host (registry mirror, OCI reference,
 * no-proxy domain); free-text fields are not scanned.
 */
import type { DocPath } from '../schema/issue.js';

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOST_LIKE = /^\.?([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)(:\d+)?(\/|@|$)/i;

/** Keys whose values are prose, not endpoints. */
const FREE_TEXT_KEYS = new Set(['note', 'customer', 'displayName', 'description']);

export function hostOf(value: string): string | null {
  if (URL_LIKE.test(value)) {
    try {
      return new URL(value).hostname.toLowerCase().replace(/\.$/, '') || null;
    } catch {
      return null;
    }
  }
  const match = HOST_LIKE.exec(value);
  return match ? match[1]!.toLowerCase() : null;
}

/** The public host this host is, or is a subdomain of; null when it is not public. */
export function publicHostMatch(host: string, publicHosts: readonly string[]): string | null {
  for (const candidate of publicHosts) {
    if (host === candidate || host.endsWith(`.${candidate}`)) return candidate;
  }
  return null;
}

export interface PublicHostHit {
  path: (string | number)[];
  host: string;
  publicHost: string;
}

export function findPublicHosts(data: unknown, publicHosts: readonly string[], path: DocPath = []): PublicHostHit[] {
  const hits: PublicHostHit[] = [];
  const visit = (value: unknown, at: (string | number)[]): void => {
    if (typeof value === 'string') {
      const host = hostOf(value);
      const publicHost = host ? publicHostMatch(host, publicHosts) : null;
      if (host && publicHost) hits.push({ path: at, host, publicHost });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...at, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) if (!FREE_TEXT_KEYS.has(key)) visit(child, [...at, key]);
    }
  };
  visit(data, [...path]);
  return hits;
}
