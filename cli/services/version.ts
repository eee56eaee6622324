/**
 * What this installctl is made of, for `installctl version` and bug reports: its own version, the
 * charts it installs, the schemas it checks against and the support-matrix data. Charts, schemas and
 * matrix data are read as compiled into this build (the build bundles them), so the digests name what
 * runs, even when a file on disk was edited without a rebuild. A digest is the SHA-256 of the data's
 * compact JSON (key order as in the file): two builds with the same digest check specs alike.
 */
import { createHash } from 'node:crypto';
import agentPlatformChart from '../../charts/agent-platform/Chart.yaml';
import modelServerChart from '../../charts/model-server/Chart.yaml';
import gpuPresets from '../../matrix/gpu-presets.yaml';
import supportMatrixData from '../../matrix/support-matrix.yaml';
import bundleSchema from '../../schemas/bundle.schema.json' with { type: 'json' };
import cliOutputSchema from '../../schemas/cli-output.schema.json' with { type: 'json' };
import conformanceReportSchema from '../../schemas/conformance-report.schema.json' with { type: 'json' };
import gpuPresetsSchema from '../../schemas/gpu-presets.schema.json' with { type: 'json' };
import installSchema from '../../schemas/install.schema.json' with { type: 'json' };
import kubernetesVersionsSchema from '../../schemas/kubernetes-versions.schema.json' with { type: 'json' };
import preflightEvidenceSchema from '../../schemas/preflight-evidence.schema.json' with { type: 'json' };
import releaseSchema from '../../schemas/release.schema.json' with { type: 'json' };
import supportMatrixSchema from '../../schemas/support-matrix.schema.json' with { type: 'json' };
import { listCells } from './matrix.js';
import { packageVersion } from '../lib/package-root.js';

export interface ChartVersion {
  name: string;
  version: string;
  appVersion: string;
}

export interface SchemaVersion {
  file: string;
  id: string;
  sha256: string;
}

export interface DataVersion {
  file: string;
  apiVersion: string;
  sha256: string;
}

/** `installctl version --json` (schemas/cli-output.schema.json#/$defs/version). */
export interface VersionReport {
  installctl: string;
  node: string;
  platform: string;
  charts: ChartVersion[];
  schemas: SchemaVersion[];
  matrix: DataVersion & { cells: number };
  gpuPresets: DataVersion;
}

const CHARTS: unknown[] = [agentPlatformChart, modelServerChart];
const SCHEMAS: Array<[string, unknown]> = [
  ['bundle.schema.json', bundleSchema],
  ['cli-output.schema.json', cliOutputSchema],
  ['conformance-report.schema.json', conformanceReportSchema],
  ['gpu-presets.schema.json', gpuPresetsSchema],
  ['install.schema.json', installSchema],
  ['kubernetes-versions.schema.json', kubernetesVersionsSchema],
  ['preflight-evidence.schema.json', preflightEvidenceSchema],
  ['release.schema.json', releaseSchema],
  ['support-matrix.schema.json', supportMatrixSchema],
];

const digest = (data: unknown): string => createHash('sha256').update(JSON.stringify(data)).digest('hex');

/** A string field of built-in data; its absence is a packaging bug, not a user error. */
function field(data: unknown, key: string, what: string): string {
  const value = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`${what} has no ${key}`);
  return value;
}

function dataVersion(file: string, data: unknown): DataVersion {
  return { file, apiVersion: field(data, 'apiVersion', file), sha256: digest(data) };
}

export function versionReport(): VersionReport {
  return {
    installctl: packageVersion(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    charts: CHARTS.map((chart) => {
      const name = field(chart, 'name', 'a Chart.yaml');
      return { name, version: field(chart, 'version', `charts/${name}/Chart.yaml`), appVersion: String((chart as { appVersion?: unknown }).appVersion ?? '') };
    }),
    schemas: SCHEMAS.map(([file, schema]) => ({ file: `schemas/${file}`, id: field(schema, '$id', file), sha256: digest(schema) })),
    matrix: { ...dataVersion('matrix/support-matrix.yaml', supportMatrixData), cells: listCells({}).length },
    gpuPresets: dataVersion('matrix/gpu-presets.yaml', gpuPresets),
  };
}

const short = (sha256: string) => `sha256:${sha256.slice(0, 12)}`;

export function formatVersion(report: VersionReport): string {
  const pad = (values: string[]) => Math.max(...values.map((value) => value.length));
  const chartWidth = pad(report.charts.map((chart) => chart.name));
  const schemaWidth = pad(report.schemas.map((schema) => schema.file));
  const dataWidth = pad([report.matrix.file, report.gpuPresets.file]);
  return [
    `installctl ${report.installctl} (node ${report.node}, ${report.platform})`,
    'charts:',
    ...report.charts.map((chart) => `  ${chart.name.padEnd(chartWidth)}  ${chart.version} (app ${chart.appVersion || '-'})`),
    'schemas:',
    ...report.schemas.map((schema) => `  ${schema.file.padEnd(schemaWidth)}  ${short(schema.sha256)}  ${schema.id}`),
    'matrix data:',
    `  ${report.matrix.file.padEnd(dataWidth)}  ${short(report.matrix.sha256)}  ${report.matrix.apiVersion}, ${report.matrix.cells} cells`,
    `  ${report.gpuPresets.file.padEnd(dataWidth)}  ${short(report.gpuPresets.sha256)}  ${report.gpuPresets.apiVersion}`,
  ].join('\n');
}
