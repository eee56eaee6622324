/**
 * The charts as render sees them: their vendor base values, Helm's merge of value layers, the images
 * a release will run, and validation of the merged values against each chart's values.schema.json.
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

export function chartVersion(chart: ChartName): string {
  return String((parse(readFileSync(join(chartDir(chart), 'Chart.yaml'), 'utf8')) as { version: string }).version);
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
