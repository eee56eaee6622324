/**
 * The conformance result cache (--cache-dir): content-addressed results per cell and stage group,
 * so an unchanged re-run reads results instead of computing them, and a change re-runs only the
 * stages that read what changed. Each key hashes everything its stages read:
 *
 *   init + validate + render: installctl's build (dist/, version, the Pulumi and kubernetes-models
 *     packages it loads), matrix/, schemas/, stacks/, the cell, and the Chart.yaml, values.yaml and
 *     values.schema.json of each chart the cell deploys (init + validate-rejects: build, matrix,
 *     schemas, the cell);
 *   synthesis: the build and the rendered Pulumi project (by content);
 *   helm lint / helm template: the Helm binary (its content, realpath and `helm version` output),
 *     every file of the chart, the values bytes (cli/conformance/stages.ts keys them; the same
 *     entries serve the run's own Helm cache);
 *   kube-schema + manifest-policies: the build, the render key and the `helm template` keys of the
 *     cell (its Helm inputs: Helm is deterministic, so the same inputs print the same manifests);
 *   the render at another catalogued release (an upgrade edge's end): the render key, the release
 *     and its catalog document;
 *   an upgrade edge: the build, both releases' documents, both renders' customer values and Pulumi
 *     projects (the infrastructure layer follows from the project), the chart copies of both
 *     releases and the Helm binary; its Pulumi diff alone: the build, both projects and the
 *     replacements the newer release declares (so a chart change re-runs no synthesis).
 *
 * Only groups whose stages all passed are stored: a failure is always recomputed and reported
 * fresh. Entries are untrusted on read (HelmCache: capped, keyed, shape-checked; bad = miss).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NETWORKS } from '../dimensions/index.js';
import type { Cell } from '../matrix/engine.js';
import type { HelmBinary } from './helm/binaries.js';
import { prepareOutputDir } from '../lib/atomic-write.js';
import { packageRoot, packageVersion } from '../lib/package-root.js';
import { HelmCache, treeHash } from './helm-cache.js';
import type { ChartName } from '../emit/charts.js';
import type { ManifestContext } from './helm/manifest-policies.js';

/** Bumped when an entry's meaning changes: older entries are then never looked at. */
export const CACHE_FORMAT = 'v1';

/** What the workers need to key and find entries; computed once per run by the parent. */
export interface CacheConfig {
  /** The entries' directory (<--cache-dir>/v1). */
  dir: string;
  build: string;
  /** matrix/ and schemas/ (validate reads them). */
  data: string;
  /** stacks/ (render vendors them into the Pulumi project). */
  stacks: string;
  /** Per chart: the files render reads (Chart.yaml, values.yaml, values.schema.json). */
  chartRender: Record<ChartName, string>;
  /**
   * --work-dir: the cells' files are wanted, so init/validate/render always run (a cached render
   * writes only the Helm values back). Their results are still stored for runs without it.
   */
  keepsWorkDir?: boolean;
}

/** Packages outside the bundle whose code runs in a stage (synthesis, schema validation). */
const EXTERNAL_PACKAGES = ['@pulumi/pulumi', '@pulumi/aws', '@pulumi/azure-native', '@pulumi/gcp', 'kubernetes-models'];

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const fileHash = (path: string) => (existsSync(path) ? sha256(readFileSync(path)) : 'absent');
const dirHash = (path: string) => (existsSync(path) ? treeHash(path) : 'absent');

function externalVersions(root: string): string[] {
  const require = createRequire(join(root, 'package.json'));
  return EXTERNAL_PACKAGES.map((name) => {
    try {
      return `${name}@${(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string }).version ?? '?'}`;
    } catch {
      return `${name}@absent`;
    }
  });
}

/** The cache directory, made and checked writable up front (like --report-dir). */
export function prepareCacheDir(dir: string): string {
  const entries = join(dir, CACHE_FORMAT);
  prepareOutputDir(dir, '--cache-dir', entries);
  return entries;
}

/** Everything `helm version` prints (version, git commit, tree state, Go version), or why not; capped, only hashed. */
function helmVersionText(path: string): string {
  try {
    return execFileSync(path, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000, maxBuffer: 64 * 1024 });
  } catch (error) {
    return `failed: ${String((error as NodeJS.ErrnoException).code ?? (error as { status?: unknown }).status ?? 'error')}`;
  }
}

/** A Helm binary's identity in --cache-dir keys: its bytes, where it really lives, and what it says it is. */
export const helmCacheIdentity = (path: string): string => HelmCache.key([sha256(readFileSync(path)), realpathSync(path), helmVersionText(path)]);

/** Slack for file system timestamps (coarse on some file systems) against the run's start: an entry used up to 2 s before the run counts as used. */
const PRUNE_SLACK_MS = 2_000;
const ENTRY = /^[0-9a-f]{64}\.json$/;

/**
 * --cache-prune: after a run, drops every entry it neither read nor wrote (a hit sets the entry's
 * mtime, a write makes it), and the directories of older cache formats. Without it the cache only
 * grows: every changed input adds entries and nothing removes the old ones. Only entry files and
 * format directories (v<n>) are touched; anything else in the directory is left alone.
 */
export function pruneCache(dir: string, runStartedMs: number): { kept: number; removed: number } {
  let kept = 0;
  let removed = 0;
  const entries = join(dir, CACHE_FORMAT);
  for (const name of existsSync(entries) ? readdirSync(entries) : []) {
    if (!ENTRY.test(name)) continue;
    const path = join(entries, name);
    try {
      const stat = lstatSync(path);
      if (stat.isFile() && stat.mtimeMs >= runStartedMs - PRUNE_SLACK_MS) {
        kept += 1;
        continue;
      }
      rmSync(path, { force: true });
      removed += 1;
    } catch {
      // Gone already (another process pruned it): nothing to do.
    }
  }
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (/^v\d+$/.test(name) && name !== CACHE_FORMAT) rmSync(join(dir, name), { recursive: true, force: true });
  }
  return { kept, removed };
}

/** The run's cache configuration, and its Helm binaries with their identities (computed once per run). */
export function cacheConfig(dir: string, helm: readonly HelmBinary[], root = packageRoot()): { config: CacheConfig; helm: HelmBinary[] } {
  const entries = prepareCacheDir(dir);
  const chart = (name: ChartName) => HelmCache.key(['Chart.yaml', 'values.yaml', 'values.schema.json'].map((file) => fileHash(join(root, 'charts', name, file))));
  return {
    config: {
      dir: entries,
      build: HelmCache.key([packageVersion(), dirHash(join(root, 'dist')), ...externalVersions(root)]),
      data: HelmCache.key(['matrix', 'schemas'].map((name) => dirHash(join(root, name)))),
      stacks: dirHash(join(root, 'stacks')),
      chartRender: { 'agent-platform': chart('agent-platform'), 'model-server': chart('model-server') },
    },
    helm: helm.map((binary) => ({ ...binary, identity: helmCacheIdentity(binary.path) })),
  };
}

/** The text after its leading comment and blank lines (a comment changes nothing Helm reads). */
export const withoutHeaderComment = (text: string): string => text.replace(/^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/, '');

/** The charts a cell deploys: render reads exactly their files. */
export const cellCharts = (cell: Pick<Cell, 'models'>): ChartName[] => (cell.models === 'self-hosted' ? ['model-server', 'agent-platform'] : ['agent-platform']);

export const cacheKeys = {
  /** init, validate and render of a renderable cell. */
  render: (config: CacheConfig, cell: Cell) =>
    HelmCache.key(['render', config.build, config.data, config.stacks, cell.id, ...cellCharts(cell).map((chart) => config.chartRender[chart])]),
  /** init and validate-rejects of an unsupported cell: nothing is rendered. */
  rejected: (config: CacheConfig, cell: Cell) => HelmCache.key(['rejected', config.build, config.data, cell.id]),
  synthesis: (config: CacheConfig, pulumiProject: string) => HelmCache.key(['synthesis', config.build, pulumiProject]),
  /**
   * One `helm template`: the values by their bytes (what Helm parses, with its own YAML rules: `yes`
   * and "yes" are different values to Helm), minus the leading comment block, which names the cell
   * and would split a key shared by cells whose Helm inputs are identical.
   */
  template: (helm: string, kubeVersion: string, chartTree: string, chart: ChartName, namespace: string, valuesTexts: readonly string[]) =>
    HelmCache.key(['template', helm, kubeVersion, chartTree, chart, namespace, ...valuesTexts.map(withoutHeaderComment)]),
  checks: (config: CacheConfig, renderKey: string, helmOutputs: readonly string[]) => HelmCache.key(['checks', config.build, renderKey, ...helmOutputs]),
  /** The cell rendered at another catalogued release (releaseDocument: a hash of its catalog entry). */
  releaseRender: (renderKey: string, version: string, releaseDocument: string) => HelmCache.key(['release-render', renderKey, version, releaseDocument]),
  /** One upgrade edge: `sides` are the parts of each end (release, its document, Pulumi project, and per chart its copy, namespace and customer values). */
  upgradeEdge: (config: CacheConfig, helm: string, kubeVersion: string, sides: readonly string[]) => HelmCache.key(['upgrade-edge', config.build, helm, kubeVersion, ...sides]),
  upgradeDiff: (config: CacheConfig, before: string, after: string, replacements: string) => HelmCache.key(['upgrade-diff', config.build, before, after, replacements]),
};

/** A synthesis's key: with --cache-dir by the build and the Pulumi project, in the run's own cache by the project. */
export const synthesisKey = (cache: CacheConfig | null | undefined, pulumiProject: string): string =>
  cache ? cacheKeys.synthesis(cache, pulumiProject) : HelmCache.key(['synthesis', pulumiProject]);

/** What a cached render leaves for the later stages. */
export interface RenderOutputs {
  charts: ChartName[];
  /** Per chart: the customer values file render wrote (helm/<chart>.values.yaml). */
  values: Partial<Record<ChartName, string>>;
  namespaces: Record<ChartName, string>;
  /** The manifest policies' context, as JSON. */
  context: ManifestContext;
  /** Hash of the rendered Pulumi project: the synthesis key. */
  pulumi: string;
  /** The spec's release (spec.release.version): the cell's own end of its upgrade edges. */
  release: string;
}

/** A render at another release, as an upgrade edge's key needs it: the customer values per chart and the Pulumi project's hash. */
export interface ReleaseRenderOutputs {
  values: Partial<Record<ChartName, string>>;
  pulumi: string;
}

const CHARTS: readonly ChartName[] = ['agent-platform', 'model-server'];
const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

export function isRenderOutputs(value: unknown): value is RenderOutputs {
  if (!isMap(value) || !Array.isArray(value.charts) || value.charts.length === 0) return false;
  const charts = value.charts as unknown[];
  if (!charts.every((chart) => CHARTS.includes(chart as ChartName)) || new Set(charts).size !== charts.length) return false;
  if (!isMap(value.values) || !isMap(value.namespaces) || !isMap(value.context)) return false;
  if (!charts.every((chart) => typeof (value.values as Record<string, unknown>)[chart as string] === 'string')) return false;
  if (!CHARTS.every((chart) => typeof (value.namespaces as Record<string, unknown>)[chart] === 'string')) return false;
  const context = value.context;
  if (
    typeof context.network !== 'string' ||
    !Object.hasOwn(NETWORKS, context.network) ||
    typeof context.platform !== 'string' ||
    !(context.imageRegistry === null || typeof context.imageRegistry === 'string')
  )
    return false;
  if (!isStringList(context.publicHosts) || !(context.storageClasses === undefined || isStringList(context.storageClasses))) return false;
  const selector = context.gpuSelector;
  if (selector !== undefined && !(isMap(selector) && typeof selector.key === 'string' && typeof selector.value === 'string')) return false;
  const endpoints = context.endpoints;
  if (
    endpoints !== undefined &&
    !(
      Array.isArray(endpoints) &&
      endpoints.every(
        (e) => isMap(e) && typeof e.name === 'string' && typeof e.host === 'string' && (e.port === null || Number.isInteger(e.port)) && isMap(e.destination) && isMap(e.clients),
      )
    )
  )
    return false;
  const models = context.models;
  if (models !== undefined && !(Array.isArray(models) && models.every((model) => isMap(model) && typeof model.name === 'string' && Number.isInteger(model.tensorParallelSize))))
    return false;
  const tls = context.postgresTls;
  if (
    tls !== undefined &&
    !(
      isMap(tls) &&
      ['disable', 'verify-ca', 'verify-full'].includes(tls.sslMode as string) &&
      (tls.serverCa === null || typeof tls.serverCa === 'string') &&
      (tls.caConfigMap === null || typeof tls.caConfigMap === 'string')
    )
  )
    return false;
  return typeof value.pulumi === 'string' && /^[0-9a-f]{64}$/.test(value.pulumi) && typeof value.release === 'string';
}

export const isReleaseRenderOutputs = (value: unknown): value is ReleaseRenderOutputs =>
  isMap(value) &&
  isMap(value.values) &&
  Object.entries(value.values).every(([chart, text]) => CHARTS.includes(chart as ChartName) && typeof text === 'string') &&
  typeof value.pulumi === 'string' &&
  /^[0-9a-f]{64}$/.test(value.pulumi);

/** A cached synthesis: the infrastructure values layer per chart (`pulumi stack output`). */
export type SynthesisOutputs = Partial<Record<ChartName, Record<string, unknown>>>;

/** The infrastructure layer of each chart from a synthesis's stack outputs, as `pulumi stack output ... --json` would give it. */
export function synthesisOutputs(outputs: Record<string, unknown>, charts: readonly ChartName[]): SynthesisOutputs {
  const names = { 'agent-platform': 'agentPlatformValues', 'model-server': 'modelServerValues' } as const;
  return Object.fromEntries(charts.map((chart) => [chart, (outputs[names[chart]] ?? {}) as Record<string, unknown>]));
}

export function isSynthesisOutputs(value: unknown): value is SynthesisOutputs {
  return isMap(value) && Object.entries(value).every(([chart, infra]) => CHARTS.includes(chart as ChartName) && isMap(infra));
}

/** An entry that only records that its stages passed. */
export const isPassed = (value: unknown): value is true => value === true;

export const isLintSection = isStringList;

export interface TemplateOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export const isTemplateOutput = (value: unknown): value is TemplateOutput =>
  isMap(value) && typeof value.ok === 'boolean' && typeof value.stdout === 'string' && typeof value.stderr === 'string';

/** The identity of a Helm binary in keys: helmCacheIdentity with --cache-dir, else its path (the run's own cache). */
export const helmIdentity = (helm: HelmBinary): string => helm.identity ?? helm.path;

/**
 * Where results are looked up: the run's own cache (beside the cells' work directories; shared by
 * the cells of this run) and, with --cache-dir, the persistent one. Only a hit in the persistent
 * cache counts as "cached" in the report: a result another cell of this run computed was not.
 */
export interface Stores {
  run: HelmCache;
  keep: HelmCache | null;
}

/** The stores of a cell working in cellWorkDir (a directory of the run's work directory). */
export const storesFor = (cellWorkDir: string, cache: CacheConfig | null | undefined): Stores => ({
  run: new HelmCache(join(dirname(cellWorkDir), '.helm-cache')),
  keep: cache ? new HelmCache(cache.dir) : null,
});

export function lookup<T>(stores: Stores, key: string, check: (value: unknown) => value is T): { value: T; cached: boolean } | null {
  const shared = stores.run.get(key, check);
  if (shared !== null) return { value: shared, cached: false };
  const kept = stores.keep?.get(key, check) ?? null;
  return kept === null ? null : { value: kept, cached: true };
}

/** Into the run's cache, and into --cache-dir when persist (only results that passed are kept across runs). */
export function keep(stores: Stores, key: string, value: unknown, persist = true): void {
  stores.run.set(key, value);
  if (persist) stores.keep?.set(key, value);
}
