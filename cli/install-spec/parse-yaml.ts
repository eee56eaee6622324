/**
 * Parses spec text (YAML 1.2 or JSON, which is valid YAML) into plain data plus a locator that maps
 * any DocPath back to line:column. Bounded: nesting and size are refused on the token stream before
 * the parser runs, aliases are capped (billion-laughs documents fail fast), and the library never
 * writes warnings of its own to stderr: every problem becomes a finding.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLError } from 'yaml';
import type { DocPath, Finding } from '../schema/issue.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { prescanYaml } from './yaml-prescan.js';

export const MAX_ALIAS_COUNT = 64;
export const MAX_NESTING_DEPTH = 32;
/** Nodes (scalars, aliases, collections) in one file; a real spec has a few hundred. */
export const MAX_NODES = 200_000;

export interface Position {
  line: number;
  column: number;
}

export interface Locator {
  /** Where the value at path starts (or its key, with atKey); the nearest located ancestor otherwise. */
  locate(path: DocPath, atKey?: boolean): Position | null;
}

export type ParseResult = { ok: true; data: unknown; locator: Locator } | { ok: false; findings: Array<Finding & { position: Position | null }> };

interface Ranges {
  key?: number;
  value: number;
}

/** JSON input (a .json file, or text that starts with '{') is held to JSON's stricter grammar. */
export function looksLikeJson(file: string, text: string): boolean {
  return file.toLowerCase().endsWith('.json') || /^\s*\{/.test(text);
}

/**
 * A lone CR (old Mac line endings) is a line break in YAML 1.2 (b-break) and whitespace in JSON,
 * but the parser reads only LF and CRLF: `a: 1\rb: 2` would be one line, and a file whose first
 * line is a comment would be all comment. One CR becomes one LF, so offsets, and so line:column,
 * stay those of the file.
 */
export function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

export function parseSpecText(source: string, options: { json?: boolean } = {}): ParseResult {
  const text = normalizeLineBreaks(source);
  const refused = refuseBeforeParsing(text, options.json === true);
  if (refused) return refused;
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const parsed = parseOneDocument(text, lineCounter, at);
  if (!parsed.ok) return parsed;
  const { doc } = parsed;

  const keyProblems: KeyProblem[] = [];
  if (doc.contents) checkKeys(doc.contents as Node, 0, keyProblems);
  if (keyProblems.length > 0) return { ok: false, findings: keyProblems.map(({ finding, offset }) => ({ ...finding, position: at(offset) })) };

  const converted = toPlainData(doc, at);
  if (!converted.ok) return converted;
  return { ok: true, data: converted.data, locator: documentLocator(doc.contents as Node | null, at) };
}

type ParseFailure = Extract<ParseResult, { ok: false }>;

function failure(code: string, message: string, hint: string, position: Position | null): ParseFailure {
  return { ok: false, findings: [{ severity: 'error', code, path: [], message, hint, position }] };
}

/** Refused on the token stream, before the parser runs: too deep, too many values, or (JSON input) not JSON. */
function refuseBeforeParsing(text: string, json: boolean): ParseFailure | null {
  const excess = prescanYaml(text, { maxDepth: MAX_NESTING_DEPTH, maxNodes: MAX_NODES });
  if (excess?.code === 'YAML_NESTING_LIMIT') {
    return failure(
      excess.code,
      `the document is nested more than ${MAX_NESTING_DEPTH} levels deep`,
      'an install spec is at most a few levels deep; look for runaway brackets or indentation here',
      positionOf(text, excess.offset),
    );
  }
  if (excess) {
    return failure(
      excess.code,
      `the document holds more than ${MAX_NODES} values`,
      'an install spec holds a few hundred values; pass the spec itself, not generated data',
      positionOf(text, excess.offset),
    );
  }
  if (json && text.trim() !== '') {
    const error = findJsonSyntaxError(text);
    if (error) return failure('JSON_SYNTAX', error.message, 'fix the JSON syntax here (JSON has no comments, trailing commas or unquoted keys)', positionOf(text, error.offset));
  }
  return null;
}

/** The file's one YAML document with content, free of syntax errors and warnings. */
function parseOneDocument(text: string, lineCounter: LineCounter, at: (offset: number) => Position): { ok: true; doc: Document.Parsed } | ParseFailure {
  let documents;
  try {
    // uniqueKeys is checked afterwards in linear time (checkKeys; the library's check is quadratic in a mapping's size).
    documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false, version: '1.2', prettyErrors: true, keepSourceTokens: false, logLevel: 'silent' });
  } catch (error) {
    if (error instanceof RangeError) return failure('YAML_NESTING_LIMIT', 'the document is nested too deeply to parse', 'an install spec is at most a few levels deep', null);
    throw error;
  }
  const list = Array.isArray(documents) ? documents : [];
  // A bare '---' (leading or trailing) makes an empty document; only documents with content count.
  const withContent = list.filter((doc) => !isEmptyDocument(doc));
  if (withContent.length === 0) {
    return failure(
      'FILE_EMPTY',
      'the file is empty (no YAML document, only whitespace or comments)',
      'start from a template: installctl init --platform aws --scm github --models saas-api --network connected',
      null,
    );
  }
  if (withContent.length > 1) {
    const second = withContent[1]!;
    return failure(
      'YAML_MULTIPLE_DOCUMENTS',
      `the file holds ${withContent.length} YAML documents; a spec file holds exactly one`,
      'split the documents into separate files and pass them all to validate',
      at(second.range[0]),
    );
  }
  const doc = withContent[0]!;
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) return { ok: false, findings: problems.map((problem) => yamlProblemFinding(problem, at)) };
  return { ok: true, doc };
}

/** A parser error or warning as a finding: a custom tag, the composer's own stack overflow, or plain syntax. */
function yamlProblemFinding(problem: YAMLError, at: (offset: number) => Position): Finding & { position: Position | null } {
  const tag = problem.code === 'TAG_RESOLVE_FAILED';
  const message = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // The composer catches its own stack overflow and reports it as a syntax error.
  const overflow = /call stack|too much recursion/i.test(message);
  return {
    severity: 'error',
    code: overflow ? 'YAML_NESTING_LIMIT' : tag ? 'YAML_TAG' : 'YAML_SYNTAX',
    path: [],
    message: overflow ? 'the document is nested too deeply to parse' : message,
    hint: overflow
      ? 'an install spec is at most a few levels deep'
      : tag
        ? 'remove the custom !tag; specs use plain values'
        : 'check indentation, quoting and colons near this position',
    position: problem.linePos ? { line: problem.linePos[0].line, column: problem.linePos[0].col } : at(problem.pos[0]),
  };
}

/** The document as plain data, with aliases capped (an alias bomb fails fast) and the nesting limit checked again. */
function toPlainData(doc: Document.Parsed, at: (offset: number) => Position): { ok: true; data: unknown } | ParseFailure {
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError || /alias/i.test(String(error))) {
      return failure(
        'YAML_ALIAS_LIMIT',
        `the document expands more than ${MAX_ALIAS_COUNT} aliases (*name); refusing a possible alias bomb`,
        'write the values out instead of using anchors and aliases',
        null,
      );
    }
    if (error instanceof RangeError) return failure('YAML_NESTING_LIMIT', 'the document is nested too deeply', 'an install spec is at most a few levels deep', null);
    throw error;
  }
  if (data === null || data === undefined) {
    return failure(
      'FILE_EMPTY',
      'the file holds an empty document',
      'start from a template: installctl init --platform aws --scm github --models saas-api --network connected',
      null,
    );
  }
  if (depthExceeds(data, MAX_NESTING_DEPTH)) {
    return failure('YAML_NESTING_LIMIT', `the document is nested more than ${MAX_NESTING_DEPTH} levels deep`, 'an install spec is at most a few levels deep', at(doc.range[0]));
  }
  return { ok: true, data };
}

function documentLocator(root: Node | null, at: (offset: number) => Position): Locator {
  return {
    // Walks the parsed document for the few paths that have issues, instead of indexing every node.
    locate(path, atKey = false) {
      if (!root?.range) return null;
      let node: Node | null = root;
      let here: Ranges = { value: root.range[0] };
      for (let index = 0; index < path.length; index++) {
        const next: ReturnType<typeof childRanges> = index <= MAX_NESTING_DEPTH && node ? childRanges(node, path[index]!) : null;
        // A missing key: point at the nearest ancestor that exists.
        if (!next) return at(here.key ?? here.value);
        [here, node] = [next.ranges, next.node];
      }
      return at(atKey && here.key !== undefined ? here.key : here.value);
    },
  };
}

/** Before parsing there is no LineCounter; one slice is linear and happens once. */
function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  if (doc.errors.length > 0) return false;
  const contents = doc.contents;
  return contents === null || (isScalar(contents) && contents.value === null && !contents.tag && !contents.anchor && contents.source === '');
}

interface KeyProblem {
  finding: Finding;
  offset: number;
}

/**
 * Keys must be scalars, once per mapping. A collection key would be stringified into a key no
 * schema has (and the library would warn on stderr); keys equal as text collapse into one JS key.
 */
function checkKeys(node: Node, depth: number, problems: KeyProblem[]): void {
  // The prescan may undercount depth (indentless sequences), never by more than this.
  if (depth > MAX_NESTING_DEPTH * 3) return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const item of node.items) {
      const key = item.key as Node | null;
      const offset = key?.range?.[0] ?? (item.value as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0;
      if (key !== null && !isScalar(key)) {
        problems.push({
          offset,
          finding: {
            severity: 'error',
            code: 'YAML_COMPLEX_KEY',
            path: [],
            message: `a ${isAlias(key) ? 'alias' : isSeq(key) ? 'list' : 'mapping'} is used as a key; keys are plain names`,
            hint: "write the key as a name (apiVersion, spec, ...); '? [a, b]' keys are not part of a spec",
          },
        });
      } else {
        const text = String(key?.value ?? '');
        if (seen.has(text))
          problems.push({
            offset,
            finding: {
              severity: 'error',
              code: 'YAML_DUPLICATE_KEY',
              path: [],
              message: 'a key appears twice in the same mapping; YAML keeps only one of them',
              hint: 'remove or merge the duplicate key',
            },
          });
        seen.add(text);
      }
      if (isPair(item) && item.value) checkKeys(item.value as Node, depth + 1, problems);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) if (item) checkKeys(item as Node, depth + 1, problems);
  }
}

function depthExceeds(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  for (const child of Object.values(value as Record<string, unknown>)) {
    if (depthExceeds(child, limit - 1)) return true;
  }
  return false;
}

/** Pairs of a large mapping by key, built once per mapping that an issue points into. */
const pairIndexes = new WeakMap<object, Map<string, Pair>>();

function childRanges(node: Node, segment: string | number): { ranges: Ranges; node: Node | null } | null {
  if (isAlias(node)) return null;
  if (isMap(node) && typeof segment === 'string') {
    let index = pairIndexes.get(node);
    if (!index) {
      index = new Map();
      for (const item of node.items) if (isPair(item) && isScalar(item.key) && !index.has(String(item.key.value))) index.set(String(item.key.value), item as Pair);
      pairIndexes.set(node, index);
    }
    const pair = index.get(segment);
    if (!pair) return null;
    const keyOffset = (pair.key as Node).range?.[0];
    const value = pair.value as Node | null;
    return { ranges: { key: keyOffset, value: value?.range?.[0] ?? keyOffset ?? 0 }, node: value };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const child = node.items[segment] as Node | null | undefined;
    return child?.range ? { ranges: { value: child.range[0] }, node: child } : null;
  }
  return null;
}
