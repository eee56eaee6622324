/**
 * One cell through every stage. Unsupported cells: the starter spec written for the cell must be
 * rejected by validate with each of the cell's reason codes. Supported and conditional cells:
 * init -> validate -> render -> Pulumi mock synthesis + resource policies -> helm lint and template
 * (per Helm version) -> Kubernetes schema validation -> manifest policies. A failed stage skips the
 * stages that need its output.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { portableYaml } from '../lib/yaml-text.js';
import { dirname, join } from 'node:path';
import type { Install } from '../generated/install-spec.js';
import { supportMatrix, type Cell } from '../../matrix/engine.js';
import { gpuSelectorLabel } from '../../stacks/decisions/gpu.js';
import { productPreset } from '../../matrix/gpu-presets.js';
import { init } from '../services/init.js';
import { renderTemplate } from '../services/init-template.js';
import { render } from '../services/render.js';
import { checkSpecText } from '../spec/load-spec.js';
import { synthesizeProject } from '../pulumi/synthesize.js';
import { checkPolicies } from '../pulumi/policies.js';
import { DEFAULT_KUBE_VERSION, helmTemplate, parseManifests, runHelm, type KubeObject } from '../helm/helm.js';
import { validateObjects } from '../helm/kube-validate.js';
import { checkManifests, type ManifestContext } from '../helm/manifest-policies.js';
import type { HelmBinary } from '../helm/binaries.js';
import { HelmCache, treeHash } from './helm-cache.js';
import { baseValues, chartDir, mergeValues, type ChartName } from '../render/charts.js';
import { chartPlatform } from '../render/helm-values.js';
import type { InstallSettings } from '../../stacks/settings.js';
import type { CellResult, StageResult } from './types.js';

export interface CellJob {
  cell: Cell;
  helm: HelmBinary[];
  workDir: string;
}

class Stages {
  readonly results: StageResult[] = [];
  private failed: string | null = null;

  /** Records a stage that ran elsewhere (the batched lint); null when it could not run. */
  record(name: string, outcome: { message: string | null; durationMs: number } | null): void {
    if (this.failed || !outcome) {
      this.results.push({ name, status: 'skip', durationMs: 0, message: `skipped: ${this.failed ?? 'an earlier stage'} failed` });
      return;
    }
    this.results.push({ name, status: outcome.message ? 'fail' : 'pass', durationMs: outcome.durationMs, message: outcome.message });
    if (outcome.message) this.failed = name;
  }

  /** Runs a stage unless an earlier one failed; a thrown error or returned message fails it. */
  async run<T>(name: string, body: () => Promise<T | { fail: string }> | T | { fail: string }): Promise<T | null> {
    if (this.failed) {
      this.results.push({ name, status: 'skip', durationMs: 0, message: `skipped: ${this.failed} failed` });
      return null;
    }
    const started = performance.now();
    let message: string | null = null;
    let value: T | null = null;
    try {
      const outcome = await body();
      if (outcome !== null && typeof outcome === 'object' && 'fail' in (outcome as object)) message = (outcome as { fail: string }).fail;
      else value = outcome as T;
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    this.results.push({ name, status: message ? 'fail' : 'pass', durationMs: Math.round(performance.now() - started), message });
    if (message) this.failed = name;
    return message ? null : value;
  }
}

const brief = (items: string[], limit = 5) => items.slice(0, limit).join('; ') + (items.length > limit ? `; ... (${items.length - limit} more)` : '');

function manifestContext(install: Install, settings: InstallSettings): ManifestContext {
  const models = install.spec.models;
  const selfHosted = models.hosting === 'self-hosted';
  return {
    network: settings.network.mode,
    imageRegistry: install.spec.registry?.mirror ?? null,
    platform: chartPlatform(settings),
    publicHosts: supportMatrix().publicHosts(),
    ...(selfHosted
      ? {
          models: models.catalog.map((model) => ({ name: model.name, tensorParallelSize: model.tensorParallelSize })),
          gpuSelector: gpuSelectorLabel(settings.platform, settings.models.gpuPool?.shape ?? null, productPreset(models.gpuPool?.product ?? '')?.gpuFeatureDiscoveryProduct ?? ''),
        }
      : {}),
  };
}

async function rejected(job: CellJob, stages: Stages): Promise<void> {
  const { cell } = job;
  const spec = await stages.run('init', () => renderTemplate(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: 'install.schema.json' }));
  await stages.run('validate-rejects', () => {
    const result = checkSpecText(`${cell.id}.yaml`, spec!);
    const codes = new Set(result.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code));
    const missing = cell.reasons.map((reason) => reason.code).filter((code) => !codes.has(code));
    if (result.exitCode !== 1) return { fail: `validate accepted the spec (exit ${result.exitCode}); expected rejection with ${cell.reasons.map((r) => r.code).join(', ')}` };
    return missing.length ? { fail: `rejected without reason code(s) ${missing.join(', ')} (got ${[...codes].join(', ')})` } : true;
  });
}

/** The run's Helm cache: beside the cells' work directories. */
const cacheOf = (job: CellJob) => new HelmCache(join(dirname(job.workDir), '.helm-cache'));

/** A renderable cell between its per-cell stages and the batch's shared `helm lint`. */
interface Prepared {
  job: CellJob;
  stages: Stages;
  charts: ChartName[];
  valuesFiles: Map<ChartName, string[]>;
  namespaces: Record<ChartName, string>;
  /** Per chart: a copy of the chart whose values.yaml holds this cell's merged values (for the batched lint). */
  lintCharts: Map<ChartName, string>;
  install: Install | null;
  settings: InstallSettings | null;
}

async function prepare(job: CellJob, stages: Stages): Promise<Prepared> {
  const { cell, workDir } = job;
  mkdirSync(workDir, { recursive: true });
  const specFile = join(workDir, 'spec.yaml');
  const spec = await stages.run('init', () => {
    const starter = init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' });
    writeFileSync(specFile, starter.spec);
    return starter.spec;
  });
  const checked = await stages.run('validate', () => {
    const result = checkSpecText(specFile, spec!);
    const errors = result.issues.filter((issue) => issue.severity === 'error');
    return errors.length ? { fail: brief(errors.map((issue) => `${issue.code} at ${issue.path}`)) } : result;
  });
  const outDir = join(workDir, 'out');
  const rendered = await stages.run('render', () => {
    const result = render({ spec: specFile, outDir, force: true, allowPlaceholders: true });
    return result.valid && result.settings ? result : { fail: brief(result.issues.map((issue) => issue.code)) };
  });
  const charts: ChartName[] = rendered?.files.some((file) => file.path === 'helm/model-server.values.yaml') ? ['model-server', 'agent-platform'] : ['agent-platform'];
  const valuesFiles = new Map<ChartName, string[]>(charts.map((chart) => [chart, [join(outDir, 'helm', `${chart}.values.yaml`)]]));
  const lintCharts = new Map<ChartName, string>();
  await stages.run('synthesis', async () => {
    const synthesis = await synthesizeProject(join(outDir, 'pulumi'));
    const violations = checkPolicies(synthesis);
    if (violations.length) return { fail: brief(violations.map((v) => `${v.policy}: ${v.resource ?? ''} ${v.message}`.replace(/\s+/g, ' '))) };
    // The infrastructure layer of the Helm values, as `pulumi stack output ... --json` would give it.
    for (const [chart, output] of [['agent-platform', 'agentPlatformValues'], ['model-server', 'modelServerValues']] as const) {
      if (!valuesFiles.has(chart)) continue;
      const infra = (synthesis.outputs[output] ?? {}) as Record<string, unknown>;
      const file = join(outDir, 'helm', `${chart}.infra.values.json`);
      writeFileSync(file, JSON.stringify(infra, null, 2));
      valuesFiles.get(chart)!.push(file);
      // helm lint takes one set of -f files for all charts it lints: a batch lints copies carrying their own values.
      const copy = join(workDir, 'lint', chart);
      cpSync(chartDir(chart), copy, { recursive: true });
      const customer = parse(readFileSync(valuesFiles.get(chart)![0]!, 'utf8')) as Record<string, unknown>;
      writeFileSync(join(copy, 'values.yaml'), portableYaml(mergeValues(mergeValues(baseValues(chart), customer), infra)));
      lintCharts.set(chart, copy);
    }
    return synthesis;
  });
  return {
    job,
    stages,
    charts,
    valuesFiles,
    namespaces: { 'agent-platform': rendered?.settings?.workloads.platformNamespace ?? 'platform', 'model-server': rendered?.settings?.workloads.modelsNamespace ?? 'models' },
    lintCharts,
    install: checked?.install ?? null,
    settings: rendered?.settings ?? null,
  };
}

/** `helm lint --strict` over every prepared chart copy in one process per Helm version: its start-up dominates its cost. */
async function lintBatch(batch: Prepared[], helm: HelmBinary): Promise<Map<Prepared, { message: string | null; durationMs: number }>> {
  const ready = batch.filter((cell) => cell.lintCharts.size > 0);
  const outcome = new Map<Prepared, { message: string | null; durationMs: number }>();
  if (ready.length === 0) return outcome;
  // A chart copy is the chart plus this cell's merged values.yaml: identical copies lint identically.
  const cache = cacheOf(ready[0]!.job);
  const keyOf = (chart: ChartName, path: string) => HelmCache.key(['lint', helm.path, DEFAULT_KUBE_VERSION, treeHash(chartDir(chart)), readFileSync(join(path, 'values.yaml'))]);
  const keys = new Map(ready.flatMap((cell) => [...cell.lintCharts].map(([chart, path]) => [path, keyOf(chart, path)] as const)));
  const lines = new Map<string, string[] | null>([...keys].map(([path, key]) => [path, cache.get<string[] | null>(key)]));
  const toLint = [...new Set([...keys].filter(([path]) => lines.get(path) === null).map(([path]) => path))];
  let durationMs = 0;
  let failure = '';
  if (toLint.length) {
    const result = await runHelm(helm.path, ['lint', '--strict', '--kube-version', DEFAULT_KUBE_VERSION, ...toLint], { timeoutMs: 300_000 });
    durationMs = result.durationMs;
    failure = `exit ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
    const sections = lintSections(`${result.stdout}\n${result.stderr}`);
    for (const path of toLint) {
      const section = sections.get(path);
      lines.set(path, section ?? null);
      if (section) cache.set(keys.get(path)!, section);
    }
  }
  const share = Math.round(durationMs / ready.length);
  for (const cell of ready) {
    const problems = [...cell.lintCharts].flatMap(([chart, path]) => {
      const section = lines.get(path);
      if (!section) return [`${chart}: helm lint reported nothing (${failure})`];
      return section.filter((line) => /^\[(ERROR|WARNING)\]/.test(line)).map((line) => `${chart}: ${line}`);
    });
    outcome.set(cell, { message: problems.length ? brief(problems) : null, durationMs: share });
  }
  return outcome;
}

/** helm lint output split by chart: the lines under each `==> Linting PATH`. */
export function lintSections(output: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of output.split('\n')) {
    const header = /^==> Linting (.+)$/.exec(line.trim());
    if (header) sections.set(header[1]!, (current = []));
    else if (current && line.trim() && !/chart\(s\) linted/.test(line)) current.push(line.trim());
  }
  return sections;
}

async function finish(cell: Prepared, lints: Array<Map<Prepared, { message: string | null; durationMs: number }>>): Promise<void> {
  const { stages, charts, valuesFiles, namespaces } = cell;
  const manifests: Array<{ chart: ChartName; objects: KubeObject[] }> = [];
  // Values as Helm reads them (parsed, so a header comment naming the cell does not split a cache
  // key), read once for every Helm version.
  const valuesIdentity = new Map(charts.map((chart) => [chart, valuesFiles.get(chart)!.map((file) => JSON.stringify(parse(readFileSync(file, 'utf8'))))]));
  const cache = cacheOf(cell.job);
  for (const [index, helm] of cell.job.helm.entries()) {
    const lint = lints[index]!.get(cell);
    stages.record(`helm${helm.major}-lint`, lint ? { message: lint.message, durationMs: lint.durationMs } : null);
    await stages.run(`helm${helm.major}-template`, async () => {
      for (const chart of charts) {
        const key = HelmCache.key(['template', helm.path, treeHash(chartDir(chart)), chart, namespaces[chart], ...valuesIdentity.get(chart)!]);
        let result = cache.get<{ ok: boolean; stdout: string; stderr: string }>(key);
        if (!result) {
          result = await helmTemplate({ helm: helm.path, chartDir: chartDir(chart), valuesFiles: valuesFiles.get(chart)!, releaseName: chart, namespace: namespaces[chart] });
          cache.set(key, { ok: result.ok, stdout: result.stdout, stderr: result.stderr });
        }
        if (!result.ok) return { fail: `${chart}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}` };
        manifests.push({ chart, objects: parseManifests(result.stdout) });
      }
      return true;
    });
  }
  await stages.run('kube-schema', async () => {
    const problems = (await Promise.all(manifests.map(({ objects }) => validateObjects(objects)))).flat();
    return problems.length ? { fail: brief([...new Set(problems.map((p) => `${p.object}: ${p.message}`))]) } : true;
  });
  await stages.run('manifest-policies', () => {
    const context = manifestContext(cell.install!, cell.settings!);
    // Each chart is its own release: policies such as default-deny egress hold per release.
    const violations = manifests.flatMap(({ chart, objects }) =>
      checkManifests(objects, chart === 'model-server' ? context : { ...context, models: undefined, gpuSelector: undefined }).map((v) => ({ ...v, resource: `${chart} ${v.resource ?? ''}`.trim() })),
    );
    return violations.length ? { fail: brief([...new Set(violations.map((v) => `${v.policy}: ${v.resource ?? ''} ${v.message}`))]) } : true;
  });
}

function cellResult(job: CellJob, stages: Stages, durationMs: number): CellResult {
  const { cell } = job;
  return {
    id: cell.id,
    platform: cell.platform,
    scm: cell.scm,
    models: cell.models,
    network: cell.network,
    status: cell.status,
    result: stages.results.every((stage) => stage.status === 'pass') ? 'pass' : 'fail',
    reasons: cell.reasons.map((reason) => reason.code),
    durationMs: Math.round(durationMs),
    // Tools name files under the run's temporary directory; the report must not change with it.
    stages: stages.results.map((stage) => (stage.message?.includes(job.workDir) ? { ...stage, message: stage.message.split(job.workDir).join('<cell-work-dir>') } : stage)),
  };
}

/**
 * A batch of cells: per-cell stages up to synthesis, one `helm lint` per Helm version for the whole
 * batch, then each cell's template, schema and policy stages. Results come back in job order.
 */
export async function runBatch(jobs: CellJob[]): Promise<CellResult[]> {
  const results = new Map<CellJob, CellResult>();
  const prepared: Array<{ cell: Prepared; started: number; preparedMs: number }> = [];
  for (const job of jobs) {
    const started = performance.now();
    const stages = new Stages();
    if (job.cell.status === 'unsupported') {
      await rejected(job, stages);
      results.set(job, cellResult(job, stages, performance.now() - started));
    } else {
      const cell = await prepare(job, stages);
      prepared.push({ cell, started, preparedMs: performance.now() - started });
    }
  }
  const helm = jobs[0]?.helm ?? [];
  const lints = await Promise.all(helm.map((binary) => lintBatch(prepared.map((entry) => entry.cell), binary)));
  for (const entry of prepared) {
    const started = performance.now();
    await finish(entry.cell, lints);
    const lintMs = lints.reduce((sum, lint) => sum + (lint.get(entry.cell)?.durationMs ?? 0), 0);
    results.set(entry.cell.job, cellResult(entry.cell.job, entry.cell.stages, entry.preparedMs + lintMs + performance.now() - started));
  }
  return jobs.map((job) => results.get(job)!);
}

export async function runCell(job: CellJob): Promise<CellResult> {
  return (await runBatch([job]))[0]!;
}
