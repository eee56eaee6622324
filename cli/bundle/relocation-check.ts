/**
 * The rules a relocation map keeps, checked where a map enters (render --relocate reads one) and where
 * one is made (bundle push writes one), so a map installctl writes always reads back and nothing
 * from a map reaches Helm values unless it is a parsed, pinned reference in the customer's registry:
 *
 * - the document has the shape of schemas/bundle.schema.json#/$defs/relocationMap (its patterns are
 *   the distribution reference grammar);
 * - every target is REGISTRY/REPOSITORY@sha256:DIGEST by cli/oci/reference.ts, and so is every image
 *   source;
 * - a target pins the entry's digest, and an image's source pins it too (else the map would swap the
 *   vendor's image for another), except a platform manifest in a map that says it narrowed platforms;
 * - every target lies under the map's registry (same host:port, below its prefix by whole path
 *   components), and that registry is no public host: a relocation points at a private mirror;
 * - one target per source.
 */
import { quoteForMessage, visibleLine } from '../lib/visible-text.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import validateRelocationMap from '../generated/relocation-map.validator.js';
import type { RelocationMap } from '../generated/bundle.js';
import { UserError } from '../lib/errors.js';
import type { StoppingCode } from '../lib/error-catalogue.js';
import { packageRoot } from '../lib/package-root.js';
import { PINNED_REFERENCE_LENGTH_MAX, PINNED_REGISTRY_PATTERN, pinnedReferenceProblem, splitPinnedReference } from '../oci/reference.js';
import { formatPath, type DocPath, type Finding } from '../schema/issue.js';
import { SchemaValidator, type ValidateFn } from '../schema/schema-validator.js';
import type { JsonSchema } from '../schema/schema-resolver.js';
import { supportMatrix } from '../matrix/engine.js';
import { publicHostMatch } from '../matrix/public-hosts.js';
import type { RelocatedImage } from '../emit/relocate.js';

export type { RelocatedImage } from '../emit/relocate.js';

export interface CheckedRelocationMap {
  map: RelocationMap;
  /** Image source reference (as the charts' values name it) -> where it now lives. */
  images: Map<string, RelocatedImage>;
  /** Image sources whose target pins a platform manifest rather than the source's index (platform maps). */
  narrowed: string[];
}

export interface RelocationContext {
  /** Who holds the map, for messages: its file, or the registry push writes one for. */
  origin: string;
  /** A hint for every refusal, or null for the per-code hints of a map read from a file. */
  hint: string | null;
  /**
   * Accept image entries of a --platform map whose target pins the platform manifest rather than the
   * source's index digest (render --allow-platform-narrowed). Off by default: without the bundle,
   * nothing offline ties the two digests, so an edited map could swap an image.
   */
  allowPlatformNarrowed?: boolean;
}

/** Lists and mappings nest at most this deep (a map has three: document, entries, entry). */
const MAX_DEPTH = 4;
/** The schema's maxItems for entries; any list longer is refused before the schema runs. */
const MAX_ENTRIES = 10_000;
/** More keys than any object of the schema has (6), so unknown keys still get the schema's message. */
const MAX_KEYS = 32;
/** Problems listed in details (the message names the first). */
const MAX_LISTED = 20;

const HINTS: Record<string, string> = {
  RELOCATION_MAP_INVALID: 'use the .relocation.json file written by installctl bundle push',
  RELOCATION_REGISTRY_INVALID: 'registry is the lowercase HOST[:PORT][/PREFIX] bundle push was given; use the map it wrote',
  RELOCATION_SOURCE_INVALID: 'an image source is the REGISTRY/REPOSITORY@sha256:DIGEST images.txt lists; use the map bundle push wrote',
  RELOCATION_TARGET_INVALID: 'a target is REGISTRY/REPOSITORY@sha256:DIGEST (lowercase, no tag, no spaces); use the map bundle push wrote',
  RELOCATION_DIGEST_MISMATCH: 'a relocated image keeps its digest; this map would run another image than the vendor pinned. Use the map bundle push wrote',
  RELOCATION_OUTSIDE_REGISTRY: "every target lies under the map's registry; use the map bundle push wrote",
  RELOCATION_PUBLIC_HOST: "a relocation points at the customer's private registry: push the bundle there and render with that map",
  RELOCATION_DUPLICATE_SOURCE: 'each source is relocated once; use the map bundle push wrote',
};

/** A value for a message: quoted, shortened, escaped. */
export function quoteValue(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : typeof value;
  return quoteForMessage(value);
}

interface Problem {
  code: StoppingCode;
  path: DocPath;
  message: string;
}

function refusal(problems: Problem[], context: RelocationContext): UserError {
  const [first] = problems;
  const where = first!.path.length ? `${formatPath(first!.path)}: ` : '';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'})` : '';
  return new UserError(visibleLine(`${context.origin}: ${where}${first!.message}${more}`), {
    code: first!.code,
    hint: context.hint ?? HINTS[first!.code] ?? HINTS.RELOCATION_MAP_INVALID!,
    details: {
      problems: problems.slice(0, MAX_LISTED).map((problem) => ({ code: problem.code, path: visibleLine(formatPath(problem.path)), message: visibleLine(problem.message) })),
    },
  });
}

/**
 * Bounds checked before the schema, without recursion: ajv reports every error of every item, so a
 * 16 MiB map of empty entries or unknown keys would cost gigabytes; and messages quote values, which
 * must not be a million levels deep.
 */
function boundsProblem(data: unknown): Problem | null {
  const stack: Array<{ value: unknown; path: DocPath }> = [{ value: data, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_DEPTH)
      return { code: 'RELOCATION_MAP_INVALID', path, message: `nests lists or mappings more than ${MAX_DEPTH} deep; a relocation map has three levels` };
    if (Array.isArray(value)) {
      if (value.length > MAX_ENTRIES) return { code: 'RELOCATION_MAP_INVALID', path, message: `lists ${value.length} items; a relocation map has at most ${MAX_ENTRIES} entries` };
      value.forEach((child, index) => stack.push({ value: child, path: [...path, index] }));
    } else {
      const keys = Object.keys(value);
      if (keys.length > MAX_KEYS) return { code: 'RELOCATION_MAP_INVALID', path, message: `has ${keys.length} keys; a relocation map or entry has at most ${MAX_KEYS}` };
      for (const key of keys) stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return null;
}

let schemaValidator: SchemaValidator | undefined;

/** The precompiled validator, reporting only the first problems: a hostile map can hold millions. */
function relocationMapValidator(): SchemaValidator {
  if (!schemaValidator) {
    const capped: ValidateFn = (data: unknown) => {
      const valid = validateRelocationMap(data);
      // An `if` failure only repeats the `then` errors just before it.
      capped.errors = validateRelocationMap.errors?.filter((error) => error.keyword !== 'if').slice(0, MAX_LISTED) ?? null;
      return valid;
    };
    schemaValidator = new SchemaValidator(() => {
      const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'bundle.schema.json'), 'utf8')) as JsonSchema;
      return { ...schema, $ref: '#/$defs/relocationMap' };
    }, capped);
  }
  return schemaValidator;
}

function valueAt(data: unknown, path: DocPath): unknown {
  let node = data;
  for (const segment of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  return node;
}

/** The code for a value the schema refused: by the field it is in (a missing field is the document's shape). */
function fieldCode(path: DocPath, value: unknown): StoppingCode {
  if (value === undefined) return 'RELOCATION_MAP_INVALID';
  if (path.length === 1 && path[0] === 'registry') return 'RELOCATION_REGISTRY_INVALID';
  if (path.length === 3 && path[0] === 'entries' && path[2] === 'target') return 'RELOCATION_TARGET_INVALID';
  if (path.length === 3 && path[0] === 'entries' && path[2] === 'source') return 'RELOCATION_SOURCE_INVALID';
  return 'RELOCATION_MAP_INVALID';
}

/** A schema finding as a relocation problem: references get the grammar's reason. */
function schemaProblem(finding: Finding, data: unknown): Problem {
  const { path } = finding;
  const value = valueAt(data, path);
  const code = fieldCode(path, value);
  const isReference = code === 'RELOCATION_TARGET_INVALID' || (code === 'RELOCATION_SOURCE_INVALID' && valueAt(data, [...path.slice(0, -1), 'kind']) === 'image');
  const reason = typeof value === 'string' && isReference ? pinnedReferenceProblem(value) : null;
  if (reason) return { code, path, message: `${quoteValue(value)} ${reason}` };
  if (typeof value === 'string' && code === 'RELOCATION_SOURCE_INVALID') {
    return { code, path, message: `${quoteValue(value)} is not an artifact name (printable ASCII without spaces, at most ${PINNED_REFERENCE_LENGTH_MAX} characters)` };
  }
  if (typeof value === 'string' && code === 'RELOCATION_REGISTRY_INVALID') {
    return { code, path, message: `${quoteValue(value)} is not a lowercase HOST[:PORT][/PREFIX] whose host has a dot, a port, or is localhost or [IPv6]` };
  }
  if (path.length === 1 && (path[0] === 'kind' || path[0] === 'apiVersion') && value !== undefined) {
    return { code, path, message: `is ${quoteValue(value)}, not ${path[0] === 'kind' ? '"RelocationMap"' : '"installctl.dev/v1alpha1"'}` };
  }
  return { code, path, message: finding.message.length > 300 ? `${finding.message.slice(0, 300)}...` : finding.message };
}

const REGISTRY = new RegExp(PINNED_REGISTRY_PATTERN);

/** HOST[:PORT] and PREFIX of a map's registry; null when it is not one pinned references could name. */
export function parseRegistry(text: string): { host: string; prefix: string } | null {
  if (typeof text !== 'string' || text.length > 255 || !REGISTRY.test(text)) return null;
  const slash = text.indexOf('/');
  const registry = { host: slash === -1 ? text : text.slice(0, slash), prefix: slash === -1 ? '' : text.slice(slash + 1) };
  // The reference grammar has the last word: a reference below this registry must parse back to it.
  const probe = `${text}/probe@sha256:${'0'.repeat(64)}`;
  if (pinnedReferenceProblem(probe) !== null || splitPinnedReference(probe).registry !== registry.host) return null;
  return registry;
}

/** The host of HOST[:PORT] without the port ([IPv6] kept whole). */
function hostname(domain: string): string {
  return domain.startsWith('[') ? domain.slice(0, domain.indexOf(']') + 1) : domain.split(':')[0]!;
}

/** Checks a parsed document as a relocation map; throws a RELOCATION_* user error at the first broken rule. */
export function checkRelocationMap(data: unknown, context: RelocationContext): CheckedRelocationMap {
  const outOfBounds = boundsProblem(data);
  if (outOfBounds) throw refusal([outOfBounds], context);
  const findings = relocationMapValidator().check(data);
  if (findings.length)
    throw refusal(
      findings.map((finding) => schemaProblem(finding, data)),
      context,
    );
  const map = data as RelocationMap;

  const registry = parseRegistry(map.registry);
  if (!registry)
    throw refusal([{ code: 'RELOCATION_REGISTRY_INVALID', path: ['registry'], message: `${quoteValue(map.registry)} is not a registry pinned references can name` }], context);
  const publicHost = publicHostMatch(hostname(registry.host), supportMatrix().publicHosts());
  if (publicHost)
    throw refusal(
      [{ code: 'RELOCATION_PUBLIC_HOST', path: ['registry'], message: `${quoteValue(map.registry)} is on ${publicHost}, a public registry, not the customer's` }],
      context,
    );

  const images = new Map<string, RelocatedImage>();
  const narrowed: string[] = [];
  const seen = new Map<string, { index: number; target: string }>();
  map.entries.forEach((entry, index) => {
    const at = (field: string): DocPath => ['entries', index, field];
    const refuse = (code: StoppingCode, field: string, message: string) => {
      throw refusal([{ code, path: at(field), message }], context);
    };
    const targetProblem = pinnedReferenceProblem(entry.target);
    if (targetProblem) refuse('RELOCATION_TARGET_INVALID', 'target', `${quoteValue(entry.target)} ${targetProblem}`);
    const target = splitPinnedReference(entry.target);
    if (target.digest !== entry.digest) refuse('RELOCATION_DIGEST_MISMATCH', 'target', `pins ${target.digest}, but the entry's digest is ${entry.digest}`);
    if (entry.kind === 'bundle' && entry.digest !== map.rootDigest)
      refuse('RELOCATION_DIGEST_MISMATCH', 'digest', `the bundle record is ${entry.digest}, but the map's rootDigest is ${map.rootDigest}`);
    if (entry.kind === 'image') {
      const sourceProblem = pinnedReferenceProblem(entry.source);
      if (sourceProblem) refuse('RELOCATION_SOURCE_INVALID', 'source', `${quoteValue(entry.source)} ${sourceProblem}`);
      const source = splitPinnedReference(entry.source);
      if (source.digest !== entry.digest) {
        if (!map.platform)
          refuse('RELOCATION_DIGEST_MISMATCH', 'target', `pins ${target.digest}, but the source ${quoteValue(entry.source)} is ${source.digest}: it would run another image`);
        if (!context.allowPlatformNarrowed) {
          refuse(
            'RELOCATION_DIGEST_MISMATCH',
            'target',
            `pins ${target.digest}, the ${quoteValue(map.platform)} manifest by the map's word, not the source's ${source.digest}: nothing offline proves they are the same image (pass --allow-platform-narrowed for a map bundle push wrote from a bundle you verified)`,
          );
        }
        narrowed.push(entry.source);
      }
    }
    if (target.registry !== registry.host || (registry.prefix !== '' && !target.repository.startsWith(`${registry.prefix}/`))) {
      refuse('RELOCATION_OUTSIDE_REGISTRY', 'target', `${quoteValue(entry.target)} is not under the map's registry ${quoteValue(map.registry)}`);
    }
    const key = `${entry.kind}\u0000${entry.source}`;
    const earlier = seen.get(key);
    if (earlier && earlier.target !== entry.target)
      refuse('RELOCATION_DUPLICATE_SOURCE', 'source', `${quoteValue(entry.source)} is relocated twice, to different targets (entries[${earlier.index}] and here)`);
    seen.set(key, { index, target: entry.target });
    if (entry.kind === 'image') images.set(entry.source, target);
  });
  return { map, images, narrowed };
}
