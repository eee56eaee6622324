/**
 * The charts as render sees them: their vendor base values, Helm's merge of value layers, the images
 * a release will run, and validation of the merged values against each chart's values.schema.json.
 * One chart directory serves every catalogued release (releases/): its Chart.yaml and values.yaml
 * are the current release's, and a render for another release takes the chart version, the images
 * and Chart.yaml's metadata from the catalog (chartVersion, releaseImageOverrides, chartYamlFor).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../lib/package-root.js';
import { SchemaValidator, type ValidateFn } from '../schema/schema-validator.js';
import validateAgentPlatformValues from '../generated/agent-platform-values.validator.js';
import validateModelServerValues from '../generated/model-server-values.validator.js';
import type { JsonSchema } from '../schema/schema-resolver.js';
import { formatPath, type Finding } from '../schema/issue.js';
import { currentRelease, findRelease, type Release } from '../releases/catalog.js';

export type ChartName = 'agent-platform' | 'model-server';
export type Values = Record<string, unknown>;

export function chartDir(chart: ChartName): string {
  return join(packageRoot(), 'charts', chart);
}

let prebuilt: Partial<Record<ChartName, { sha256: string; values: Values }>> | null | undefined;

/** The build's JSON copy of a chart's values.yaml, if it was made from exactly this text. */
function prebuiltValues(chart: ChartName, text: string): Values | null {
  if (prebuilt === undefined) {
    try {
      prebuilt = JSON.parse(readFileSync(join(packageRoot(), 'dist', 'chart-base-values.json'), 'utf8')) as typeof prebuilt;
    } catch {
      prebuilt = null;
    }
  }
  const entry = prebuilt?.[chart];
  return entry && entry.sha256 === createHash('sha256').update(text).digest('hex') ? entry.values : null;
}

const baseCache = new Map<ChartName, Values>();
export function baseValues(chart: ChartName): Values {
  let base = baseCache.get(chart);
  if (!base) {
    const text = readFileSync(join(chartDir(chart), 'values.yaml'), 'utf8');
    base = prebuiltValues(chart, text) ?? ((parse(text) ?? {}) as Values);
    baseCache.set(chart, base);
  }
  return base;
}

/** A catalogued release; an uncatalogued one is a bug here (validate refuses the spec first: RELEASE_UNKNOWN). */
export function catalogRelease(version: string): Release {
  const release = findRelease(version);
  if (!release) throw new Error(`release ${version} is not in the release catalog (validate reports RELEASE_UNKNOWN)`);
  return release;
}

/** The chart's version in a release (by default the current one, which Chart.yaml carries): the catalog is the one source. */
export function chartVersion(chart: ChartName, release: string = currentRelease().version): string {
  return catalogRelease(release).charts[chart].version;
}

/** Chart.yaml's fields that depend on the release: kubeVersion is the release's minimum Kubernetes (a prerelease bound, as Helm needs for -eks builds). */
export function chartMetadata(chart: ChartName, release: string = currentRelease().version): { version: string; appVersion: string; kubeVersion: string } {
  const entry = catalogRelease(release);
  return { version: entry.charts[chart].version, appVersion: entry.charts[chart].appVersion, kubeVersion: `>=${entry.kubernetes.min}.0-0` };
}

/**
 * Chart.yaml as the chart ships in a release: the chart's own file with the release's version,
 * appVersion and kubeVersion, each top-level line replaced in place (every other byte kept).
 * Unchanged bytes when they already match (the current release), so a package of the current
 * release is the package of the chart directory.
 */
export function chartYamlFor(chart: ChartName, release: string = currentRelease().version): string {
  let text = readFileSync(join(chartDir(chart), 'Chart.yaml'), 'utf8');
  const own = parse(text) as Record<string, unknown>;
  const wanted = chartMetadata(chart, release);
  for (const key of Object.keys(wanted) as Array<keyof typeof wanted>) {
    if (String(own[key]) === wanted[key]) continue;
    const line = `${key}: ${JSON.stringify(wanted[key])}`;
    const at = new RegExp(`^${key}:.*$`, 'm');
    text = at.test(text) ? text.replace(at, line) : `${text.replace(/\n?$/, '\n')}${line}\n`;
  }
  return text;
}

export interface TaggedImage extends ImageValue {
  tag: string;
}

/**
 * The images a release runs that the chart's values.yaml does not pin (none for the current
 * release): what a customer layer of that release sets under `images`, in the catalog's key order.
 */
export function releaseImageOverrides(chart: ChartName, release: string): Record<string, TaggedImage> {
  const pinned = (baseValues(chart).images ?? {}) as Record<string, Partial<TaggedImage>>;
  const overrides: Record<string, TaggedImage> = {};
  for (const [key, image] of Object.entries(catalogRelease(release).charts[chart].images)) {
    if (!image) continue;
    const own = pinned[key];
    const same = own && own.registry === image.registry && own.repository === image.repository && own.tag === image.tag && own.digest === image.digest;
    if (!same) overrides[key] = { registry: image.registry, repository: image.repository, tag: image.tag, digest: image.digest };
  }
  return overrides;
}

const isMap = (value: unknown): value is Values => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Helm's coalescing: maps merge key by key, anything else (lists included) replaces; null deletes. */
export function mergeValues(base: Values, layer: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(layer)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = mergeValues(out[key] as Values, value);
    else out[key] = value;
  }
  return out;
}

export interface ImageValue {
  registry: string;
  repository: string;
  digest: string;
}

/** The keys under `images` that a release of the chart runs with these (merged) values. */
export function chartImageKeys(chart: ChartName, values: Values): string[] {
  const used: string[] = [];
  if (chart === 'agent-platform') {
    used.push('portal', 'api', 'agentRuntime', 'gitGateway', 'indexer', 'aiGateway', 'identity', 'migrations');
    for (const store of ['postgres', 'redis', 'rabbitmq']) if ((values[store] as { mode?: string } | undefined)?.mode === 'bundled') used.push(store);
  } else {
    const models = (values.models ?? []) as Array<{ weights?: { source?: string } }>;
    if (models.length) used.push('vllm');
    // pvc from a mirror (global.imageRegistry, or images relocated by a map): the RUNBOOK's Job loads
    // the claim with the same fetcher, so the bundle must carry it.
    const vllm = (values.images as Record<string, ImageValue> | undefined)?.vllm;
    const mirrored =
      Boolean((values.global as { imageRegistry?: string } | undefined)?.imageRegistry) ||
      (vllm !== undefined && vllm.registry !== (baseValues(chart).images as Record<string, ImageValue>).vllm!.registry);
    const fetched = ['oci', 's3', 'gcs', 'azure-blob', ...(mirrored ? ['pvc'] : [])];
    if (models.some((model) => fetched.includes(model.weights?.source ?? ''))) used.push('fetcher');
    if ((values.devicePlugin as { enabled?: boolean } | undefined)?.enabled) used.push('devicePlugin');
  }
  return used;
}

export function imageOf(chart: ChartName, values: Values, key: string): ImageValue {
  const image = ((values.images ?? {}) as Record<string, ImageValue>)[key];
  if (!image) throw new Error(`chart ${chart} has no image ${key}`);
  return image;
}

/** The image references a release of the chart runs with these (merged) values: registry/repository@digest. */
export function chartImages(chart: ChartName, values: Values, registryOverride = ''): string[] {
  return chartImageKeys(chart, values).map((key) => {
    const image = imageOf(chart, values, key);
    return `${registryOverride || image.registry}/${image.repository}@${image.digest}`;
  });
}

// Precompiled from each chart's values.schema.json (npm run generate); the schema itself is read
// only to explain a failure.
const PRECOMPILED: Record<ChartName, ValidateFn> = { 'agent-platform': validateAgentPlatformValues, 'model-server': validateModelServerValues };
const validators = new Map<ChartName, SchemaValidator>();

/** Problems of merged values against the chart's values.schema.json (what helm lint/install enforce). */
export function checkChartValues(chart: ChartName, values: Values): Finding[] {
  let validator = validators.get(chart);
  if (!validator) {
    validator = new SchemaValidator(() => JSON.parse(readFileSync(join(chartDir(chart), 'values.schema.json'), 'utf8')) as JsonSchema, PRECOMPILED[chart]);
    validators.set(chart, validator);
  }
  return validator.check(values);
}

export function describeValueProblems(chart: ChartName, findings: Finding[]): string {
  return findings.map((finding) => `${chart} values ${formatPath(finding.path) || '(root)'}: ${finding.message}`).join('; ');
}
