/**
 * Hostile values through the charts' templates. Every scalar leaf of a chart's merged values (and a
 * new key in each user-extensible map) is set to a hostile string, and Helm's output is compared
 * with a render where the same leaves hold a harmless marker: after replacing each leaf's string by
 * a placeholder, both renders must be identical (same documents, keys and values: nothing added,
 * nothing split, the hostile string verbatim wherever it landed), or Helm must refuse the values.
 *
 * Leaves are tested many at a time: a render with a batch of hostile leaves that fails or differs
 * is split in halves until the leaves to blame are single ones, so a clean chart costs two renders
 * per payload. A leaf whose harmless marker already fails the templates (a digest, an enum the
 * templates check) keeps its real value in the batches and is tested on its own.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { helmTemplate, type HelmResult } from '../../cli/conformance/helm/helm.js';
import { chartDir, type ChartName } from '../../cli/emit/charts.js';

type Values = Record<string, unknown>;
export type Path = ReadonlyArray<string | number>;

/** A scalar of the values, or (key) a new entry of the user-extensible map at path. */
export interface Leaf {
  id: number;
  path: Path;
  key: boolean;
}

/** Maps whose keys come from the user (annotations, node labels): their keys are leaves too. */
export const EXTENSIBLE_MAPS: Record<ChartName, string[]> = {
  'agent-platform': ['ingress.annotations', 'serviceAccounts.platform.annotations', 'serviceAccounts.aiGateway.annotations'],
  'model-server': ['serviceAccount.annotations', 'gpu.nodeSelector'],
};

/** Hostile strings, each carrying the leaf's tag so that where it landed can be found. */
export const PAYLOADS: ReadonlyArray<{ name: string; make: (tag: string) => string }> = [
  { name: 'newline and key', make: (tag) => `${tag}\ninjected: true` },
  { name: 'closing quote, newline and key', make: (tag) => `${tag}"\ninjected: true\n"` },
  // Indented as a container's fields are in the device-plugin DaemonSet, the rest (a digest) made a
  // comment: the relocation example, which added a command to that root DaemonSet.
  { name: 'newline and indented key', make: (tag) => `${tag}\n          injected: [true] #` },
  { name: 'opening single quote', make: (tag) => `'${tag}` },
  { name: 'template action', make: (tag) => `{{ .Release.Name }}${tag}` },
  { name: 'new document', make: (tag) => `${tag}\n---\nkind: Pod` },
  { name: 'list item', make: (tag) => `- injected ${tag}` },
  { name: 'comment', make: (tag) => `# comment ${tag}` },
  { name: 'colon and space', make: (tag) => `${tag}: injected` },
  { name: 'flow mapping', make: (tag) => `{injected: ${tag}}` },
  { name: 'CRLF and key', make: (tag) => `${tag}\r\ninjected: true` },
  { name: 'YAML 1.1 line breaks (NEL, LS) and key', make: (tag) => `${tag}\u0085injected: true\u2028injected2: true` },
];

const tagOf = (leaf: Leaf) => `hv${leaf.id}x`;
const isMap = (value: unknown): value is Values => value !== null && typeof value === 'object' && !Array.isArray(value);

function at(values: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as any)?.[key], values);
}

/** Every scalar leaf (strings, numbers, booleans) of the values, plus one new key per extensible map present. */
export function leavesOf(chart: ChartName, values: Values): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (node: unknown, path: Path) => {
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, [...path, index]));
    else if (isMap(node)) for (const [key, value] of Object.entries(node)) walk(value, [...path, key]);
    else if (node !== null && node !== undefined) leaves.push({ id: leaves.length + 1, path, key: false });
  };
  walk(values, []);
  for (const dotted of EXTENSIBLE_MAPS[chart]) {
    const path = dotted.split('.');
    if (isMap(at(values, path))) leaves.push({ id: leaves.length + 1, path, key: true });
  }
  return leaves;
}

export const leafName = (leaf: Leaf) => `${leaf.path.join('.')}${leaf.key ? ' (a new key)' : ''}`;

/** A copy of the values with each given leaf set to its string. */
function assign(values: Values, strings: ReadonlyMap<Leaf, string>): Values {
  const copy = structuredClone(values);
  for (const [leaf, text] of strings) {
    const parent = at(copy, leaf.key ? leaf.path : leaf.path.slice(0, -1)) as Record<string | number, unknown>;
    if (leaf.key) parent[text] = 'a value';
    else parent[leaf.path[leaf.path.length - 1]!] = text;
  }
  return copy;
}

export interface Renderer {
  chart: ChartName;
  helm: string;
  releaseName: string;
  namespace: string;
}

/** Values as JSON for `helm -f`, escaped so that Helm's YAML 1.1 reader does not fold NEL or LS on the way in. */
export function valuesJson(values: unknown): string {
  return JSON.stringify(values).replace(/[\u0080-\u009f\u2028\u2029\ufeff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

let scratch: string | null = null;
let serial = 0;

async function renderValues(renderer: Renderer, values: Values): Promise<HelmResult> {
  scratch ??= mkdtempSync(join(tmpdir(), 'hostile-values-'));
  const file = join(scratch, `values-${++serial}.json`);
  writeFileSync(file, valuesJson(values));
  // The templates alone, as a customer who skips the schema gets them: the schema is tested apart.
  return helmTemplate({
    helm: renderer.helm,
    chartDir: chartDir(renderer.chart),
    valuesFiles: [file],
    releaseName: renderer.releaseName,
    namespace: renderer.namespace,
    extraArgs: ['--skip-schema-validation'],
  });
}

/** Helm refused the values itself (a fail, a bad URL) rather than emitting YAML it could not read back. */
function refusedCleanly(result: HelmResult): boolean {
  return !/YAML parse error on|error converting YAML to JSON/.test(result.stderr);
}

function documents(text: string): unknown[] | string {
  try {
    return loadAll(text, null, { schema: CORE_SCHEMA }).filter((document) => document !== null && document !== undefined);
  } catch (error) {
    return `the output does not parse: ${(error as Error).message.split('\n')[0]}`;
  }
}

/**
 * YAML 1.1 readers (Helm's, the API server's) fold NEL, LS and PS inside quoted scalars, and Helm's
 * toYaml writes them unescaped: such a value may come back with spaces there, its structure intact.
 */
const fold = (text: string) => text.replace(/[ \t]*[\u0085\u2028\u2029][\s\u0085\u2028\u2029]*/g, ' ');

/** The text as Go's %q writes it, without the quotes (for the non-printable characters the payloads hold). */
function goQuoted(text: string): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
  return text.replace(/[\x00-\x1f\x7f"\\\u0080-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, (char) => {
    const code = char.charCodeAt(0);
    return named[char] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/**
 * The documents with every leaf string replaced by a placeholder: raw, as Go's %q or JSON escapes
 * it, or with dots made dashes (the model-server's Service names).
 */
function normalized(docs: unknown[], strings: ReadonlyMap<Leaf, string>): unknown {
  const replacements: Array<[string, string]> = [];
  for (const [leaf, text] of strings) {
    if (text === '') continue;
    for (const variant of new Set([text, JSON.stringify(text).slice(1, -1), goQuoted(text), text.replace(/\./g, '-')])) replacements.push([fold(variant), `<${leaf.id}>`]);
  }
  replacements.sort((a, b) => b[0].length - a[0].length);
  const replace = (text: string) => replacements.reduce((out, [from, to]) => out.split(from).join(to), fold(text));
  const walk = (node: unknown, key = ''): unknown => {
    if (typeof node === 'string') {
      // A config file embedded in a ConfigMap (platform.yaml) is YAML too: compare what it parses to.
      if (/\.ya?ml$/.test(key)) {
        const embedded = documents(node);
        return typeof embedded === 'string' ? embedded : walk(embedded);
      }
      return replace(node);
    }
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (isMap(node)) {
      // The config checksum hashes the ConfigMap's text, which holds the leaves.
      return Object.fromEntries(Object.entries(node).map(([name, value]) => [replace(name), name === 'checksum/config' ? '<checksum>' : walk(value, name)]));
    }
    return node;
  };
  return walk(docs);
}

const MAX_FINDINGS = 10;

export interface Finding {
  leaf: Leaf;
  payload: string;
  problem: string;
}

export interface ProbeStats {
  renders: number;
  leaves: number;
  /** Leaves tested on their own (their harmless marker fails the templates). */
  single: string[];
}

export interface ProbeOptions {
  payloads?: typeof PAYLOADS;
  /** Payloads for the leaves tested on their own (each costs a render per leaf). */
  singlePayloads?: typeof PAYLOADS;
  /** Leaves (by name) expected to fail with a harmless marker; those missed are found by halving. */
  single?: RegExp;
  /** Test the leaves that fail with a harmless marker on their own (default true). */
  testSingles?: boolean;
}

/** Where two normalized renders first differ, for messages. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path || 'the output'} has ${a.length} entries instead of ${b.length}`;
    for (let i = 0; i < a.length; i++) if (!isDeepStrictEqual(a[i], b[i])) return firstDifference(a[i], b[i], `${path}[${i}]`);
  }
  if (isMap(a) && isMap(b)) {
    const extra = Object.keys(a).filter((key) => !(key in b));
    if (extra.length) return `${path || 'the output'} has keys ${JSON.stringify(extra)} instead of ${JSON.stringify(Object.keys(b).filter((key) => !(key in a)))}`;
    for (const key of Object.keys(b)) if (!isDeepStrictEqual(a[key], b[key])) return firstDifference(a[key], b[key], `${path}.${key}`);
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 160)} instead of ${JSON.stringify(b)?.slice(0, 160)}`;
}

/**
 * Probes the templates with every payload on every leaf of the values. Returns the leaves whose
 * hostile strings changed the output's structure (or broke it) instead of being refused or inert.
 */
export async function probe(renderer: Renderer, values: Values, options: ProbeOptions = {}): Promise<{ findings: Finding[]; stats: ProbeStats }> {
  const payloads = options.payloads ?? PAYLOADS;
  const leaves = leavesOf(renderer.chart, values);
  const stats: ProbeStats = { renders: 0, leaves: leaves.length, single: [] };
  const run = (strings: ReadonlyMap<Leaf, string>) => {
    stats.renders++;
    return renderValues(renderer, assign(values, strings));
  };
  const benign = (subset: readonly Leaf[]) => new Map(subset.map((leaf) => [leaf, tagOf(leaf)] as const));
  const parsed = (result: HelmResult): unknown[] => {
    const docs = result.ok ? documents(result.stdout) : result.stderr;
    if (typeof docs === 'string') throw new Error(`the reference render failed: ${docs}`);
    return docs;
  };

  // Leaves whose harmless marker already fails the templates (digests, values the templates check)
  // keep their real value in the batches. Digests are known; the rest are found by halving.
  const isSingle = (leaf: Leaf) => Boolean(options.single?.test(leafName(leaf))) || (!leaf.key && /^sha256:[a-f0-9]{64}$/.test(String(at(values, leaf.path))));
  const single: Leaf[] = leaves.filter(isSingle);
  const findSingle = async (subset: Leaf[]): Promise<void> => {
    if (subset.length === 0 || (await run(benign(subset))).ok) return;
    if (subset.length === 1) return void single.push(subset[0]!);
    const before = single.length;
    const half = Math.ceil(subset.length / 2);
    await findSingle(subset.slice(0, half));
    await findSingle(subset.slice(half));
    // Markers that fail only together: test each of them on its own.
    if (single.length === before) single.push(...subset);
  };
  let active = leaves.filter((leaf) => !single.includes(leaf));
  let baselineResult = await run(benign(active));
  if (!baselineResult.ok) {
    await findSingle(active);
    active = leaves.filter((leaf) => !single.includes(leaf));
    baselineResult = await run(benign(active));
  }
  stats.single = single.map(leafName);
  const baselineStrings = benign(active);
  const baseline = normalized(parsed(baselineResult), baselineStrings);

  const findings: Finding[] = [];
  // null when Helm refused the values cleanly or the hostile render equals the reference one.
  const judge = (result: HelmResult, strings: ReadonlyMap<Leaf, string>, expected: unknown): string | null => {
    if (!result.ok) return refusedCleanly(result) ? null : `Helm emitted YAML it could not read: ${result.stderr.trim().split('\n').pop()}`;
    const docs = documents(result.stdout);
    if (typeof docs === 'string') return docs;
    const actual = normalized(docs, strings);
    return isDeepStrictEqual(actual, expected) ? null : `the output changed beyond the value: ${firstDifference(actual, expected)}`;
  };
  for (const payload of payloads) {
    const examine = async (subset: Leaf[]): Promise<void> => {
      const strings = new Map(active.map((leaf) => [leaf, subset.includes(leaf) ? payload.make(tagOf(leaf)) : tagOf(leaf)] as const));
      const problem = judge(await run(strings), strings, baseline);
      if (problem === null) return;
      if (subset.length === 1) return void findings.push({ leaf: subset[0]!, payload: payload.name, problem });
      // A broken chart fails everywhere: stop splitting after enough findings to keep the run short.
      if (findings.length >= MAX_FINDINGS)
        return void findings.push({ leaf: subset[0]!, payload: payload.name, problem: `${problem} (and ${subset.length - 1} more leaves, not split further)` });
      const before = findings.length;
      const half = Math.ceil(subset.length / 2);
      await examine(subset.slice(0, half));
      await examine(subset.slice(half));
      // Leaves that do harm only together: blame the batch rather than pass it.
      if (findings.length === before)
        findings.push(...subset.map((leaf) => ({ leaf, payload: payload.name, problem: `${problem} (only together with ${subset.length - 1} other leaves)` })));
    };
    await examine(active);
  }

  // A leaf on its own, the others at their real values: refused, or verbatim where its real value was.
  if (single.length && options.testSingles !== false) {
    const original = new Map(single.map((leaf) => [leaf, leaf.key ? '' : String(at(values, leaf.path))] as const));
    const reference = parsed(await run(new Map()));
    for (const payload of options.singlePayloads ?? payloads) {
      for (const leaf of single) {
        const hostile = new Map([[leaf, payload.make(tagOf(leaf))]]);
        const result = await run(hostile);
        let problem = judge(result, hostile, normalized(reference, new Map([[leaf, original.get(leaf)!]])));
        if (problem !== null && result.ok) {
          // Not a checked leaf after all (a flag the marker turns on): compare with its marker instead.
          const marker = new Map([[leaf, tagOf(leaf)]]);
          const markerResult = await run(marker);
          if (markerResult.ok) problem = judge(result, hostile, normalized(parsed(markerResult), marker));
        }
        if (problem !== null) findings.push({ leaf, payload: payload.name, problem });
      }
    }
  }
  return { findings, stats };
}
