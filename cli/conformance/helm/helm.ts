/**
 * Runs a given Helm binary (`lint --strict`, `template`) on a chart directory with values files,
 * and parses `helm template` output into objects. No oclif, no global state: the caller says which
 * binary (Helm 3 and Helm 4 side by side) and the process environment is passed through.
 */
import { execFile } from 'node:child_process';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { calendarAsOf, defaultKubernetesVersion } from '../../matrix/kubernetes-versions.js';
import { builtOnEveryPlatform } from '../../dimensions/index.js';

/**
 * The Kubernetes version charts are linted and rendered for: the version init writes on the
 * support calendar's asOf day (matrix/kubernetes-versions.yaml), so it moves with the calendar's
 * data, never with the wall clock. Schema validation uses kubernetes-models (4.5.x, Kubernetes 1.33
 * OpenAPI): the kinds and fields the charts use are the same in the calendar's versions.
 */
export const DEFAULT_KUBE_VERSION = `${defaultKubernetesVersion(calendarAsOf(), undefined, builtOnEveryPlatform)}.0`;

export interface HelmResult {
  ok: boolean;
  /** Exit status; null when the process was killed (timeout) or could not start. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** The binary and arguments that ran, for messages. */
  command: string[];
}

export interface HelmChartOptions {
  /** Path of the helm binary to run. */
  helm: string;
  chartDir: string;
  /** Values files, merged in order (`-f`), after the chart's own values.yaml. */
  valuesFiles?: readonly string[];
  /** `helm template` only; default "release". */
  releaseName?: string;
  namespace?: string;
  /** Default DEFAULT_KUBE_VERSION, so rendering does not depend on the binary's built-in default. */
  kubeVersion?: string;
  /** `--set` pairs. */
  set?: Readonly<Record<string, string>>;
  extraArgs?: readonly string[];
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export function runHelm(helm: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<HelmResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(helm, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 60_000, env: options.env ?? process.env }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({
        ok: !error,
        exitCode,
        stdout,
        stderr: error && !stderr ? String(error.message) : stderr,
        durationMs: Math.round(performance.now() - started),
        command: [helm, ...args],
      });
    });
  });
}

function commonArgs(options: HelmChartOptions): string[] {
  const args: string[] = [];
  for (const file of options.valuesFiles ?? []) args.push('-f', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  if (options.namespace) args.push('--namespace', options.namespace);
  args.push('--kube-version', options.kubeVersion ?? DEFAULT_KUBE_VERSION);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** `helm lint --strict CHART`: warnings fail too. Note: Helm's lint mode only logs `fail` calls; template catches them. */
export function helmLint(options: HelmChartOptions): Promise<HelmResult> {
  return runHelm(options.helm, ['lint', '--strict', options.chartDir, ...commonArgs(options)], options);
}

/** `helm template RELEASE CHART`: the rendered manifests on stdout. */
export function helmTemplate(options: HelmChartOptions): Promise<HelmResult> {
  return runHelm(options.helm, ['template', options.releaseName ?? 'release', options.chartDir, ...commonArgs(options)], options);
}

/**
 * The objects of a multi-document manifest stream (helm template output). Empty documents (and
 * comment-only ones, like a template that rendered nothing) are skipped; a YAML error or a document
 * that is not a Kubernetes object (apiVersion, kind, metadata.name) throws, naming the document.
 * js-yaml with the YAML 1.2 core schema (no timestamps, like Helm's own reading): it parses Helm's
 * output three times faster than the yaml library, which matters over ~200 renders per conformance run.
 */
export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  let documents: unknown[];
  try {
    documents = loadAll(text, null, { schema: CORE_SCHEMA });
  } catch (error) {
    throw new Error(`manifests: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  documents.forEach((value, index) => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`document ${index + 1} is not a mapping`);
    const object = value as Partial<KubeObject>;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
      throw new Error(`document ${index + 1} lacks apiVersion, kind or metadata.name`);
    }
    objects.push(object as KubeObject);
  });
  return objects;
}

/** Kind/name, the way problems and violations name an object. */
export function objectRef(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${object.kind}/${object.metadata?.name ?? '?'}`;
}
