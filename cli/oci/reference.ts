/**
 * OCI image references, parsed with the grammar of distribution/reference (the one docker, containerd,
 * skopeo and every registry use), so a reference installctl accepts is one they read the same way:
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain '/'] path-component ['/' path-component]*
 *   domain           := host [':' port-number]
 *   host             := domain-name | IPv4address | '[' IPv6address ']'
 *   domain-name      := domain-component ['.' domain-component]*
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   path-component   := alpha-numeric [separator alpha-numeric]*
 *   alpha-numeric    := /[a-z0-9]+/
 *   separator        := /[_.]|__|[-]+/
 *   tag              := /[\w][\w.-]{0,127}/
 *   digest           := algorithm ":" hex (32 or more hex digits)
 *
 * The name (domain and path) is at most 255 characters. installctl is stricter where references
 * leave its hands pinned: a lowercase domain, and only sha256 digests of 64 lowercase hex digits.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const HOST = `(?:${DOMAIN_NAME}|${IPV6})`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const ALPHA_NUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[_.]|__|[-]+)';
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:${SEPARATOR}${ALPHA_NUMERIC})*`;
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_DOMAIN = new RegExp(`^${DOMAIN}$`);
const ANCHORED_PATH = new RegExp(`^${PATH}$`);
export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

export const NAME_TOTAL_LENGTH_MAX = 255;

export interface ImageReference {
  /** Registry host[:port]; '' when the reference names none (docker would read it as Docker Hub). */
  domain: string;
  /** Repository path inside the registry. */
  path: string;
  tag: string | null;
  digest: string | null;
}

/**
 * Parses a reference by the distribution grammar; null when it does not match. Like docker, the first
 * path component is a domain only when it holds '.' or ':' or is 'localhost' (else `library/x` would be
 * a registry called library).
 */
export function parseReference(text: string): ImageReference | null {
  if (typeof text !== 'string' || text.length > 1024) return null;
  const match = REFERENCE.exec(text);
  if (!match) {
    return null;
  }
  let domain = match[1] ?? '';
  let path = match[2]!;
  if (domain && !/[.:]/.test(domain) && domain !== 'localhost' && domain === domain.toLowerCase() && !domain.startsWith('[')) {
    // "team/app" parsed domain "team": it is a path, not a registry.
    if (!ANCHORED_PATH.test(`${domain}/${path}`)) return null;
    path = `${domain}/${path}`;
    domain = '';
  }
  if (`${domain ? `${domain}/` : ''}${path}`.length > NAME_TOTAL_LENGTH_MAX) return null;
  return { domain, path, tag: match[3] ?? null, digest: match[4] ?? null };
}

/** Why text is not a pinned reference installctl accepts (DOMAIN/PATH@sha256:HEX); null when it is one. */
export function pinnedReferenceProblem(text: unknown): string | null {
  if (typeof text !== 'string') return 'is not a string';
  if (/[^\x21-\x7e]/.test(text)) return 'holds whitespace, control or non-ASCII characters';
  const reference = parseReference(text);
  if (!reference) return 'is not an OCI reference (distribution reference grammar)';
  if (!reference.domain) return 'names no registry host (it would resolve to Docker Hub)';
  if (reference.domain !== reference.domain.toLowerCase()) return 'has an upper-case registry host';
  if (reference.tag !== null) return 'carries a tag; a pinned reference is REGISTRY/REPOSITORY@sha256:DIGEST only';
  if (reference.digest === null) return 'is not pinned by digest';
  if (!SHA256_DIGEST.test(reference.digest)) return 'has a digest that is not sha256:<64 lowercase hex>';
  return null;
}

/** A pinned reference split into its parts; throws when pinnedReferenceProblem would not be null. */
export function splitPinnedReference(text: string): { registry: string; repository: string; digest: string } {
  const problem = pinnedReferenceProblem(text);
  if (problem) throw new Error(`${JSON.stringify(text)} ${problem}`);
  const reference = parseReference(text)!;
  return { registry: reference.domain, repository: reference.path, digest: reference.digest! };
}

/** Whether text is a registry host[:port] by the grammar (lowercase only). */
export function isRegistryDomain(text: string): boolean {
  return typeof text === 'string' && text === text.toLowerCase() && ANCHORED_DOMAIN.test(text);
}

/** Whether text is a repository path by the grammar. */
export function isRepositoryPath(text: string): boolean {
  return typeof text === 'string' && text.length <= NAME_TOTAL_LENGTH_MAX && ANCHORED_PATH.test(text);
}

// The same grammar as JSON-schema patterns (schemas/bundle.schema.json copies them; a test keeps the
// copies equal): a registry host as a pinned reference needs it (lowercase, and a '.', a port,
// 'localhost' or an IPv6 literal, else docker reads it as a path on Docker Hub), and whole pinned
// references.
const LOWER_DOMAIN_COMPONENT = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])';
const PINNED_DOMAIN = `(?:(?:${LOWER_DOMAIN_COMPONENT}(?:\\.${LOWER_DOMAIN_COMPONENT})+|localhost|\\[[a-f0-9:]+\\])(?::[0-9]+)?|${LOWER_DOMAIN_COMPONENT}:[0-9]+)`;

/** A registry as pinned references name it: DOMAIN[/PATH], the host as pinnedReferenceProblem accepts it. */
export const PINNED_REGISTRY_PATTERN = `^${PINNED_DOMAIN}(?:/${PATH})?$`;
/** DOMAIN/PATH@sha256:<64 hex>, as pinnedReferenceProblem accepts it (the name's 255-character limit aside). */
export const PINNED_REFERENCE_PATTERN = `^${PINNED_DOMAIN}/${PATH}@sha256:[0-9a-f]{64}$`;
/** The longest pinned reference: a 255-character name, '@sha256:' and 64 hex digits. */
export const PINNED_REFERENCE_LENGTH_MAX = NAME_TOTAL_LENGTH_MAX + '@sha256:'.length + 64;
