/**
 * Where registry credentials may go. Like Docker and containerd, credentials (the Basic header and
 * the bearer tokens obtained with it) belong to one origin, scheme + host + port, the one the user
 * named with --registry. URLs that come from the registry (upload Locations, redirects, the token
 * realm of a WWW-Authenticate challenge) are untrusted input: they are checked here before
 * installctl sends anything to them, and only the registry's own origin ever gets credentials.
 */
import { visibleLine } from '../lib/visible-text.js';
import { OciError } from './errors.js';

/** Text from a registry (error bodies, header values) made inert for a terminal, and short. */
export function printable(text: string, max = 300): string {
  return visibleLine(text.length > max ? `${text.slice(0, max)}...` : text);
}

/** A URL as it may be printed: no user:password@, no query (upload URLs carry session state). */
export function redactUrl(url: URL): string {
  return printable(`${url.protocol}//${url.host}${url.pathname}`, 200);
}

export function locationRefused(message: string, hint?: string): OciError {
  return new OciError('REGISTRY_LOCATION_REFUSED', message, {
    hint:
      hint ??
      "the registry's upload or redirect URLs must be http(s), without user:password@, and never go from https to http; check the registry's public URL setting (http.host, X-Forwarded-Proto)",
  });
}

function parse(text: string, base: URL, what: string): URL {
  try {
    return new URL(text, base);
  } catch {
    throw locationRefused(`the registry sent a ${what} that is not a URL: ${JSON.stringify(printable(text, 200))}`);
  }
}

/**
 * A URL the registry told installctl to go to (a Location header, relative to the URL it came from):
 * http or https, no userinfo, and never a step from https down to http, whoever's origin it is.
 */
export function followable(text: string, from: URL, what = 'Location'): URL {
  const url = parse(text, from, what);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw locationRefused(`the registry sent a ${what} with scheme ${printable(url.protocol, 20)} (only http and https are followed)`);
  if (url.username || url.password) throw locationRefused(`the registry sent a ${what} with user:password@ in it (${redactUrl(url)}); installctl does not follow it`);
  if (from.protocol === 'https:' && url.protocol === 'http:')
    throw locationRefused(`the registry sent a ${what} from https down to plain http (${redactUrl(url)}); installctl does not follow it`);
  return url;
}

export function realmRefused(message: string): OciError {
  return new OciError('REGISTRY_REALM_REFUSED', message, {
    hint: "the registry's token service (the realm of its WWW-Authenticate challenge) must be an https URL without user:password@; plain http only on the registry's own origin given with --plain-http",
  });
}

/**
 * The token endpoint of a Bearer challenge. It may be on another host (that is how token services
 * work) but it receives the password, so: http(s) only, no userinfo, and plain http only when it
 * is the very origin the user named with --plain-http.
 */
export function tokenRealm(realm: string, registry: { origin: string; plainHttp: boolean }, withCredentials: boolean): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw realmRefused(`the registry names a token service that is not an absolute URL: ${JSON.stringify(printable(realm, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw realmRefused(`the registry names a token service with scheme ${printable(url.protocol, 20)}`);
  if (url.username || url.password) throw realmRefused(`the registry names a token service with user:password@ in it (${redactUrl(url)})`);
  const ownPlainOrigin = registry.plainHttp && url.origin === registry.origin;
  if (withCredentials && url.protocol === 'http:' && !ownPlainOrigin)
    throw realmRefused(`the registry asks for the password to be sent over plain http to ${redactUrl(url)}; refused`);
  return url;
}
