/**
 * Redaction of what a support bundle holds, in two layers:
 * - by schema first, for the install spec: the install schema is an allowlist. A key it does not
 *   know is dropped whatever its value looks like (a secret under a key no pattern matches is the
 *   classic leak); a free-text string (no enum, pattern or format) is replaced when it may hold a
 *   credential; the rest is constrained by the schema to names, hosts and references (a
 *   SecretReference names a Secret, it never holds one). The spec is written as the parsed
 *   document, so YAML comments are not kept either.
 * - then the secret detectors validate uses (cli/schema/secret-shapes.ts), over every string from
 *   the cluster (logs, event messages, termination messages, conditions): each match is replaced
 *   by a marker naming the rule, plus values assigned to credential-named keys and long
 *   random-looking runs (an unknown token shape).
 * Secret data is never collected at all (Helm releases are listed as metadata only).
 * Every redaction is counted per file and rule for redaction-report.json: counts, never values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.js';
import { entropy, mayHoldCredential, SECRET_DETECTORS } from '../schema/secret-shapes.js';
import { resolveAt, type JsonSchema } from '../schema/schema-resolver.js';

/** Counts by rule id. */
export type RedactionCounts = Record<string, number>;

export const marker = (rule: string): string => `[REDACTED:${rule}]`;

function count(counts: RedactionCounts, rule: string, by = 1): void {
  counts[rule] = (counts[rule] ?? 0) + by;
}

/** `password=...`, `"token": "..."`, `client_secret: ...`: the value after a credential-named key, whatever its shape. */
const CREDENTIAL_ASSIGNMENT =
  /((?:passw(?:or)?d|passwd|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|credentials?|private[_.-]?key|authorization)["']?\s{0,2}(?:=|:)\s{0,2}["']?(?:(?:bearer|basic|token)\s+)?)(?!\[REDACTED)([^\s"',;&}]{4,})/gi;
/** Values that are not secrets even there: placeholders, booleans, empty markers. */
const NOT_A_VALUE = /^(?:null|none|true|false|\*+|x+|<[^>]*>|\$\{?[A-Za-z_]+\}?|redacted|\[redacted\]|bearer|basic)$/i;

/** Runs of key characters: a token of a shape no detector knows, judged by its randomness. */
const KEY_RUN = /[A-Za-z0-9+/=_~.-]{24,4096}/g;
const looksRandom = (run: string): boolean => /[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9]/.test(run) && entropy(run) >= 4.2;

/** Every match of one detector (its accept test included) replaced by its marker. */
function applyDetector(line: string, detector: (typeof SECRET_DETECTORS)[number], counts: RedactionCounts): string {
  const pattern = new RegExp(detector.pattern.source, detector.pattern.flags.includes('g') ? detector.pattern.flags : `${detector.pattern.flags}g`);
  const spans: Array<[number, number]> = [];
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    if (!detector.accept || detector.accept(match, line, {})) spans.push([match.index, match.index + match[0].length]);
  }
  if (!spans.length) return line;
  count(counts, detector.id, spans.length);
  let out = '';
  let last = 0;
  for (const [from, to] of spans) {
    if (from < last) continue;
    out += line.slice(last, from) + marker(detector.id);
    last = to;
  }
  return out + line.slice(last);
}

/** One line of text from the cluster (a log line, an event message), redacted; counts added to counts. */
export function redactLine(line: string, counts: RedactionCounts): string {
  // Most lines hold nothing: mayHoldCredential is the broad test the detailed passes need to run at all.
  if (line.length < 9 || (!mayHoldCredential(line) && !CREDENTIAL_ASSIGNMENT.test(line))) return line;
  CREDENTIAL_ASSIGNMENT.lastIndex = 0;
  let out = line;
  for (const detector of SECRET_DETECTORS) out = applyDetector(out, detector, counts);
  out = out.replace(CREDENTIAL_ASSIGNMENT, (whole, key: string, value: string) => {
    if (NOT_A_VALUE.test(value)) return whole;
    count(counts, 'credential-assignment');
    return `${key}${marker('credential-assignment')}`;
  });
  return out.replace(KEY_RUN, (run) => {
    if (!looksRandom(run)) return run;
    count(counts, 'random-token');
    return marker('random-token');
  });
}

/** Multi-line text (a container log), line by line. */
export function redactText(text: string, counts: RedactionCounts): string {
  return text
    .split('\n')
    .map((line) => redactLine(line, counts))
    .join('\n');
}

/** Every string of a JSON document from the cluster (keys are Kubernetes field names and stay). */
export function redactStrings<T>(value: T, counts: RedactionCounts): T {
  if (typeof value === 'string') return redactText(value, counts) as T;
  if (Array.isArray(value)) return value.map((entry: unknown) => redactStrings(entry, counts)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) out[key] = redactStrings(entry, counts);
    return out as T;
  }
  return value;
}

let installSchema: JsonSchema | null = null;

function schema(): JsonSchema {
  installSchema ??= JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'install.schema.json'), 'utf8')) as JsonSchema;
  return installSchema;
}

/** A pattern that only keeps characters out (`^[^<controls>]*$`): the text is still free. */
const EXCLUDING_PATTERN = /^\^\[\^[^\]]*\]\*\$$/;

/** A string the schema leaves free (no enum, const, format, or a pattern that shapes it): it could hold anything. */
function freeText(node: JsonSchema): boolean {
  const pattern = typeof node.pattern === 'string' ? node.pattern : undefined;
  return node.enum === undefined && node.const === undefined && node.format === undefined && (pattern === undefined || EXCLUDING_PATTERN.test(pattern));
}

type Path = Array<string | number>;

/**
 * The install spec, redacted by its schema (see the header). `root` may be given for tests; the
 * spec's own schema otherwise. Returns a new document; counts rules spec-unknown-key and
 * spec-free-text.
 */
export function redactSpec(document: unknown, counts: RedactionCounts, root: JsonSchema = schema()): unknown {
  const walk = (value: unknown, path: Path): unknown => {
    const resolved = path.length ? resolveAt(root, document, path) : { schema: root, titles: [] as string[] };
    if (!resolved) {
      count(counts, 'spec-unknown-key');
      return marker('spec-unknown-key');
    }
    if (Array.isArray(value)) return value.map((entry, index) => walk(entry, [...path, index]));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) out[key] = walk(entry, [...path, key]);
      return out;
    }
    if (typeof value !== 'string') return value;
    if (freeText(resolved.schema) ? mayHoldCredential(value) : mayHoldCredential(value) && !resolved.titles.includes('SecretReference')) {
      const rule = freeText(resolved.schema) ? 'spec-free-text' : 'spec-credential-shape';
      count(counts, rule);
      return marker(rule);
    }
    return value;
  };
  return walk(document, []);
}
