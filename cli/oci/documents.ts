/**
 * OCI JSON documents (image indexes, image manifests and their descriptors) read from a bundle or
 * an OCI layout directory: parsed without trusting them and checked for the shape installctl relies
 * on before any field is used. A crafted document is a user error with the caller's code, never
 * a crash (a digest that is no string, `manifests: "x"`, a size of -1, a media type with a newline
 * that would end up in an HTTP header, a digest that is a path).
 */
import { DIGEST, type ImageIndex, type ImageManifest } from './types.js';

/** More descriptors than any real index or manifest lists (Docker allows 127 layers). */
export const MAX_DESCRIPTORS = 10_000;

/** RFC 6838 type/subtype (with +suffix and parameters-free), as the OCI image spec requires. */
export const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

export type OciDocumentKind = 'index' | 'manifest';

type Problem = string | null;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: Record<string, unknown>, key: string, where: string): Problem {
  return value[key] === undefined || typeof value[key] === 'string' ? null : `${where}.${key} is not a string`;
}

function stringMap(value: unknown, where: string): Problem {
  if (value === undefined) return null;
  if (!isObject(value)) return `${where} is not an object`;
  const bad = Object.keys(value).find((key) => typeof value[key] !== 'string');
  return bad === undefined ? null : `${where}[${JSON.stringify(bad)}] is not a string`;
}

export function descriptorProblem(value: unknown, where: string): Problem {
  if (!isObject(value)) return `${where} is not an object`;
  if (typeof value.mediaType !== 'string' || !MEDIA_TYPE.test(value.mediaType)) return `${where}.mediaType is not a media type`;
  if (typeof value.digest !== 'string' || !DIGEST.test(value.digest)) return `${where}.digest is not sha256:<64 hex digits>`;
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) return `${where}.size is not an integer >= 0`;
  const artifactType = optionalString(value, 'artifactType', where);
  if (artifactType) return artifactType;
  const annotations = stringMap(value.annotations, `${where}.annotations`);
  if (annotations) return annotations;
  if (value.platform !== undefined) {
    const platform = value.platform;
    if (!isObject(platform) || typeof platform.os !== 'string' || typeof platform.architecture !== 'string') return `${where}.platform needs os and architecture strings`;
    return optionalString(platform, 'variant', `${where}.platform`);
  }
  return null;
}

function descriptors(value: unknown, where: string): Problem {
  if (!Array.isArray(value)) return `${where} is not an array`;
  if (value.length > MAX_DESCRIPTORS) return `${where} lists ${value.length} entries, more than ${MAX_DESCRIPTORS}`;
  for (let i = 0; i < value.length; i++) {
    const problem = descriptorProblem(value[i], `${where}[${i}]`);
    if (problem) return problem;
  }
  return null;
}

function common(value: Record<string, unknown>): Problem {
  if (value.schemaVersion !== 2) return 'schemaVersion is not 2';
  if (value.mediaType !== undefined && (typeof value.mediaType !== 'string' || !MEDIA_TYPE.test(value.mediaType))) return 'mediaType is not a media type';
  return optionalString(value, 'artifactType', 'the document') ?? stringMap(value.annotations, 'annotations');
}

/** Why value is not an OCI (or Docker v2) document of this kind; null when it is one. */
export function ociDocumentProblem(value: unknown, kind: OciDocumentKind): Problem {
  if (!isObject(value)) return 'not a JSON object';
  const problem = common(value);
  if (problem) return problem;
  if (kind === 'index') return descriptors(value.manifests, 'manifests');
  return descriptorProblem(value.config, 'config') ?? descriptors(value.layers, 'layers');
}

/**
 * Parses and checks a document; fail turns a problem into the caller's user error. The caller has
 * already bounded bytes (SIZE_CAPS.ociDocument) before reading them.
 */
export function parseOciDocument(bytes: Buffer, kind: 'index', fail: (problem: string) => Error): ImageIndex;
export function parseOciDocument(bytes: Buffer, kind: 'manifest', fail: (problem: string) => Error): ImageManifest;
export function parseOciDocument(bytes: Buffer, kind: OciDocumentKind, fail: (problem: string) => Error): ImageIndex | ImageManifest;
export function parseOciDocument(bytes: Buffer, kind: OciDocumentKind, fail: (problem: string) => Error): ImageIndex | ImageManifest {
  const value = parseJson(bytes, fail);
  const problem = ociDocumentProblem(value, kind);
  if (problem) throw fail(`not an OCI image ${kind}: ${problem}`);
  return value as ImageIndex | ImageManifest;
}

/** JSON.parse with a user error for anything that is not JSON (V8's parser is iterative: deep nesting cannot overflow the stack). */
export function parseJson(bytes: Buffer, fail: (problem: string) => Error): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    // V8's message quotes the input: keep it short.
    throw fail(`not JSON (${(error as Error).message.slice(0, 200)})`);
  }
}
