/**
 * One cell through every stage. Unsupported cells: the starter spec written for the cell must be
 * rejected by validate with each of the cell's reason codes. Supported and conditional cells:
 * init -> validate -> render -> Pulumi mock synthesis + resource policies -> helm lint and template
 * (per Helm version) -> Kubernetes schema validation -> manifest policies -> upgrade (the cell's
 * upgrade edges between consecutive catalogued releases, upgrade-stage.ts). A failed stage skips the
 * stages that need its output.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { portableYaml } from '../lib/yaml-text.js';
import { join } from 'node:path';
import type { Cell } from '../matrix/engine.js';
import { renderTemplate } from '../emit/starter-spec.js';
import { checkedStarterSpec, SCHEMA_URL } from '../emit/starter-spec-check.js';
import { renderFiles } from '../emit/render-files.js';
import { settingsFor } from '../emit/settings.js';
import { writeDirectoryAtomic } from '../emit/output-dir.js';
import { checkSpecText, type LoadedSpec } from '../install-spec/load-spec.js';
import { synthesizeProject } from './pulumi/synthesize.js';
import { checkPolicies } from './pulumi/policies.js';
import { checkRunbookRegistryLogins } from './runbook-registry-login.js';
import { checkRunbookCreatesReferences } from './runbook-creates-references.js';
import { preflightRequirements } from '../preflight/requirements.js';
import { calendarAsOf } from '../matrix/kubernetes-versions.js';
import { writeManifests, writeResources } from './work-dir-artifacts.js';
import { validateStageFailures } from './validate-policies.js';
import { DEFAULT_KUBE_VERSION, helmTemplate, parseManifests, type KubeObject } from './helm/helm.js';
import { validateObjects } from './helm/kube-validate.js';
import { checkManifests, type ManifestContext } from './helm/manifest-policies.js';
import { manifestContext } from './manifest-context.js';
import type { HelmBinary } from './helm/binaries.js';
import { treeHash } from './helm-cache.js';
import { lintBatch, type LintOutcome } from './lint-batch.js';
import { runUpgradeEdges, skippedEdges, upgradeOutcome } from './upgrade-stage.js';
import type { UpgradeEdge } from './upgrade-edges.js';
import { brief, Stages } from './stage-runner.js';
import {
  cacheKeys,
  helmIdentity,
  isPassed,
  keep,
  lookup,
  storesFor,
  isRenderOutputs,
  isSynthesisOutputs,
  isTemplateOutput,
  synthesisKey,
  synthesisOutputs,
  type CacheConfig,
  type RenderOutputs,
  type SynthesisOutputs,
  type TemplateOutput,
} from './result-cache.js';
import { baseValues, chartDir, mergeValues, type ChartName } from '../emit/charts.js';
import type { InstallSettings } from '../../stacks/settings.js';
import type { Synthesis } from './pulumi/types.js';
import type { CellResult, UpgradeEdgeResult } from './types.js';

export interface CellJob {
  cell: Cell;
  helm: HelmBinary[];
  workDir: string;
  /** The --cache-dir result cache; null or absent without one. */
  cache?: CacheConfig | null;
  /** --work-dir: the directory is kept, so the cell's synthesis (resources.json) and manifests are written into it. */
  keepArtifacts?: boolean;
  /** false (--no-upgrade-edges): no upgrade stage. */
  upgradeEdges?: boolean;
  /** The edges to check (default: every pair of consecutive catalogued releases); tests give crafted ones. */
  edges?: readonly UpgradeEdge[];
}

const STARTER = { name: 'acme-prod', customer: 'Example Corp', schemaLocation: SCHEMA_URL };

async function rejected(job: CellJob, stages: Stages): Promise<void> {
  const { cell } = job;
  const stores = storesFor(job.workDir, job.cache);
  const key = job.cache ? cacheKeys.rejected(job.cache, cell) : null;
  if (key && stores.keep?.get(key, isPassed)) {
    stages.cached('init');
    stages.cached('validate-rejects');
    return;
  }
  const spec = await stages.run('init', () => renderTemplate(cell, { ...STARTER, schemaLocation: 'install.schema.json' }));
  await stages.run('validate-rejects', () => {
    const result = checkSpecText(`${cell.id}.yaml`, spec!);
    const codes = new Set(result.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code));
    const missing = cell.reasons.map((reason) => reason.code).filter((code) => !codes.has(code));
    if (result.exitCode !== 1) return { fail: `validate accepted the spec (exit ${result.exitCode}); expected rejection with ${cell.reasons.map((r) => r.code).join(', ')}` };
    return missing.length ? { fail: `rejected without reason code(s) ${missing.join(', ')} (got ${[...codes].join(', ')})` } : true;
  });
  if (key && stages.passed) stores.keep?.set(key, true);
}

/** A renderable cell between its per-cell stages and the batch's shared `helm lint`. */
interface Prepared {
  job: CellJob;
  stages: Stages;
  charts: ChartName[];
  valuesFiles: Map<ChartName, string[]>;
  namespaces: Record<ChartName, string>;
  /** Per chart: this cell's merged values (base, customer, infrastructure) as lint reads them from a chart copy. */
  lintValues: Map<ChartName, string>;
  context: ManifestContext | null;
  /** The key of its init/validate/render results in --cache-dir (null without one). */
  renderKey: string | null;
  /** The spec's release, its Pulumi project's hash and its infrastructure layer: the cell's own end of its upgrade edges. */
  release: string | null;
  pulumi: string | null;
  infra: SynthesisOutputs | null;
  /** The checked spec, the rendered output and the synthesis, when they ran in this run (not from --cache-dir). */
  loaded: LoadedSpec | null;
  outDir: string | null;
  synthesis: Synthesis | null;
  upgrades: UpgradeEdgeResult[];
}

/** The infrastructure layers, written beside the customer values, and the merged values lint reads. */
function layerInfra(workDir: string, charts: ChartName[], valuesFiles: Map<ChartName, string[]>, infraOf: (chart: ChartName) => Record<string, unknown>): Map<ChartName, string> {
  const lintValues = new Map<ChartName, string>();
  for (const chart of charts) {
    const infra = infraOf(chart);
    const file = join(workDir, 'out', 'helm', `${chart}.infra.values.json`);
    writeFileSync(file, JSON.stringify(infra, null, 2));
    valuesFiles.get(chart)!.push(file);
    const customer = parse(readFileSync(valuesFiles.get(chart)![0]!, 'utf8')) as Record<string, unknown>;
    lintValues.set(chart, portableYaml(mergeValues(mergeValues(baseValues(chart), customer), infra)));
  }
  return lintValues;
}

/** A cell whose init, validate, render and synthesis all come from --cache-dir: their outputs are written back for Helm. */
function preparedFromCache(job: CellJob, stages: Stages, renderKey: string, rendered: RenderOutputs, synthesis: SynthesisOutputs): Prepared {
  for (const name of ['init', 'validate', 'render', 'synthesis']) stages.cached(name);
  const helmDir = join(job.workDir, 'out', 'helm');
  mkdirSync(helmDir, { recursive: true });
  const valuesFiles = new Map<ChartName, string[]>();
  for (const chart of rendered.charts) {
    const file = join(helmDir, `${chart}.values.yaml`);
    writeFileSync(file, rendered.values[chart]!);
    valuesFiles.set(chart, [file]);
  }
  const lintValues = layerInfra(job.workDir, rendered.charts, valuesFiles, (chart) => synthesis[chart]!);
  const own = { release: rendered.release, pulumi: rendered.pulumi, infra: synthesis, loaded: null, outDir: null, synthesis: null, upgrades: [] };
  return { job, stages, charts: rendered.charts, valuesFiles, namespaces: rendered.namespaces, lintValues, context: rendered.context, renderKey, ...own };
}

/**
 * The render stage: the checked spec's files (emit/render-files.ts) written to a fresh DIR, as
 * render --force --allow-placeholders writes them (starter specs hold placeholders; nothing in a
 * cell's work directory is the operator's to carry over).
 */
function renderCell(specFile: string, loaded: LoadedSpec, outDir: string): { settings: InstallSettings; paths: string[] } | { fail: string } {
  if (!loaded.install || !loaded.cell) return { fail: brief(loaded.issues.map((issue) => issue.code)) };
  const settings = settingsFor(loaded.install, loaded.cell);
  const files = renderFiles(specFile, loaded.text ?? '', loaded.install, settings, loaded.cell.status);
  writeDirectoryAtomic(outDir, files);
  // The runbook policies read the RUNBOOK as the operator pastes it.
  const runbookText = files.get('RUNBOOK.md')?.toString() ?? '';
  const references = preflightRequirements(loaded.install, loaded.cell, { now: calendarAsOf() });
  const runbook = [...checkRunbookRegistryLogins(runbookText), ...checkRunbookCreatesReferences(runbookText, references)];
  if (runbook.length) return { fail: brief(runbook.map((v) => `${v.policy}: ${v.resource ?? ''} ${v.message}`)) };
  return { settings, paths: [...files.keys()] };
}

async function prepare(job: CellJob, stages: Stages): Promise<Prepared> {
  const { cell, workDir } = job;
  const stores = storesFor(job.workDir, job.cache);
  const renderKey = job.cache ? cacheKeys.render(job.cache, cell) : null;
  // With --work-dir the person wants the cell's files (spec, Pulumi project, RUNBOOK): render runs.
  if (renderKey && !job.cache!.keepsWorkDir) {
    const hit = stores.keep!.get(renderKey, isRenderOutputs);
    const synthesis = hit ? stores.keep!.get(cacheKeys.synthesis(job.cache!, hit.pulumi), isSynthesisOutputs) : null;
    if (hit && synthesis && hit.charts.every((chart) => synthesis[chart] && hit.values[chart] !== undefined)) return preparedFromCache(job, stages, renderKey, hit, synthesis);
  }
  mkdirSync(workDir, { recursive: true });
  const specFile = join(workDir, 'spec.yaml');
  const spec = await stages.run('init', () => {
    const starter = checkedStarterSpec(cell, STARTER, '<init>');
    writeFileSync(specFile, starter.spec);
    return starter.spec;
  });
  const checked = await stages.run('validate', () => {
    const result = checkSpecText(specFile, spec!);
    const failures = validateStageFailures(result.issues);
    return failures.length ? { fail: brief(failures) } : result;
  });
  const outDir = join(workDir, 'out');
  const rendered = await stages.run('render', () => renderCell(specFile, checked!, outDir));
  const charts: ChartName[] = rendered?.paths.includes('helm/model-server.values.yaml') ? ['model-server', 'agent-platform'] : ['agent-platform'];
  const valuesFiles = new Map<ChartName, string[]>(charts.map((chart) => [chart, [join(outDir, 'helm', `${chart}.values.yaml`)]]));
  const namespaces = { 'agent-platform': rendered?.settings?.workloads.platformNamespace ?? 'platform', 'model-server': rendered?.settings?.workloads.modelsNamespace ?? 'models' };
  // The synthesis of an identical Pulumi project (here or in an earlier run) is reused.
  const pulumiProject = rendered ? treeHash(join(outDir, 'pulumi')) : null;
  const ownSynthesisKey = synthesisKey(job.cache, pulumiProject ?? '');
  // A kept work directory shows every resource: only a synthesis that runs has them (the cache keeps the values layer).
  const reused = rendered && !job.keepArtifacts ? lookup(stores, ownSynthesisKey, isSynthesisOutputs) : null;
  let infra: SynthesisOutputs | null = null;
  let synthesized: Synthesis | null = null;
  if (reused && charts.every((chart) => reused.value[chart])) {
    infra = reused.value;
    stages.record('synthesis', { message: null, durationMs: 0, cached: reused.cached });
  } else {
    await stages.run('synthesis', async () => {
      const synthesis = await synthesizeProject(join(outDir, 'pulumi'));
      if (job.keepArtifacts) writeResources(workDir, synthesis.resources);
      const violations = checkPolicies(synthesis);
      if (violations.length) return { fail: brief(violations.map((v) => `${v.policy}: ${v.resource ?? ''} ${v.message}`.replace(/\s+/g, ' '))) };
      // The infrastructure layer of the Helm values, as `pulumi stack output ... --json` would give it.
      infra = synthesisOutputs(synthesis.outputs, charts);
      keep(stores, ownSynthesisKey, infra, Boolean(job.cache));
      // Kept for the upgrade edges, whose Pulumi diff starts or ends at this release.
      synthesized = synthesis;
      return synthesis;
    });
  }
  const lintValues = infra ? layerInfra(workDir, charts, valuesFiles, (chart) => infra![chart]!) : new Map<ChartName, string>();
  // The endpoints the workloads are wired to need the infrastructure outputs (datastore hosts and ports).
  const context = checked?.install && rendered?.settings && infra ? manifestContext(checked.install, rendered.settings, infra) : null;
  if (renderKey && context && pulumiProject && stages.passed) {
    const values = Object.fromEntries(charts.map((chart) => [chart, readFileSync(valuesFiles.get(chart)![0]!, 'utf8')]));
    const release = checked!.install!.spec.release.version;
    stores.keep!.set(renderKey, {
      charts,
      values,
      namespaces,
      context: JSON.parse(JSON.stringify(context)) as ManifestContext,
      pulumi: pulumiProject,
      release,
    } satisfies RenderOutputs);
  }
  const own = {
    release: checked?.install?.spec.release.version ?? null,
    pulumi: pulumiProject,
    infra,
    loaded: checked,
    outDir: rendered ? outDir : null,
    synthesis: synthesized,
    upgrades: [],
  };
  return { job, stages, charts, valuesFiles, namespaces, lintValues, context, renderKey, ...own };
}

async function finish(cell: Prepared, lints: Array<Map<Prepared, LintOutcome>>): Promise<void> {
  const { stages, charts, valuesFiles, namespaces } = cell;
  const manifests: Array<{ chart: ChartName; objects: KubeObject[] }> = [];
  // The values bytes Helm reads, read once for every Helm version.
  const valuesTexts = new Map(charts.map((chart) => [chart, valuesFiles.get(chart)!.map((file) => readFileSync(file, 'utf8'))]));
  const stores = storesFor(cell.job.workDir, cell.job.cache);
  const templateKey = (helm: HelmBinary, chart: ChartName) =>
    cacheKeys.template(helmIdentity(helm), DEFAULT_KUBE_VERSION, treeHash(chartDir(chart)), chart, namespaces[chart], valuesTexts.get(chart)!);
  // The checks read the manifests, which the template keys determine: with a hit, nothing is parsed.
  const checksKey =
    cell.job.cache && cell.renderKey
      ? cacheKeys.checks(
          cell.job.cache,
          cell.renderKey,
          cell.job.helm.flatMap((helm) => charts.map((chart) => templateKey(helm, chart))),
        )
      : null;
  const checksCached = checksKey !== null && stores.keep!.get(checksKey, isPassed) !== null;
  for (const [index, helm] of cell.job.helm.entries()) {
    const lint = lints[index]!.get(cell);
    stages.record(`helm${helm.major}-lint`, lint ?? null);
    let allCached = true;
    await stages.run(`helm${helm.major}-template`, async () => {
      for (const chart of charts) {
        const key = templateKey(helm, chart);
        const hit = lookup(stores, key, isTemplateOutput);
        let result: TemplateOutput;
        if (hit) result = hit.value;
        else {
          const ran = await helmTemplate({ helm: helm.path, chartDir: chartDir(chart), valuesFiles: valuesFiles.get(chart)!, releaseName: chart, namespace: namespaces[chart] });
          result = { ok: ran.ok, stdout: ran.stdout, stderr: ran.stderr };
          keep(stores, key, result, result.ok);
        }
        allCached &&= hit?.cached ?? false;
        if (cell.job.keepArtifacts) writeManifests(cell.job.workDir, chart, helm.major, result.ok ? result.stdout : result.stderr);
        if (!result.ok) return { fail: `${chart}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}` };
        if (!checksCached) manifests.push({ chart, objects: parseManifests(result.stdout) });
      }
      return true;
    });
    if (allCached) stages.markLastCached();
  }
  if (checksCached && stages.passed) {
    stages.cached('kube-schema');
    stages.cached('manifest-policies');
    return upgradeStage(cell, []);
  }
  await stages.run('kube-schema', async () => {
    const problems = (await Promise.all(manifests.map(({ objects }) => validateObjects(objects)))).flat();
    return problems.length ? { fail: brief([...new Set(problems.map((p) => `${p.object}: ${p.message}`))]) } : true;
  });
  await stages.run('manifest-policies', () => {
    const context = cell.context!;
    // Each chart is its own release: policies such as default-deny egress hold per release.
    const violations = manifests.flatMap(({ chart, objects }) =>
      checkManifests(objects, {
        ...(chart === 'model-server' ? context : { ...context, models: undefined, gpuSelector: undefined }),
        endpoints: (context.endpoints ?? []).filter((endpoint) => endpoint.chart === chart),
      }).map((v) => ({
        ...v,
        resource: `${chart} ${v.resource ?? ''}`.trim(),
      })),
    );
    return violations.length ? { fail: brief([...new Set(violations.map((v) => `${v.policy}: ${v.resource ?? ''} ${v.message}`))]) } : true;
  });
  if (checksKey && stages.passed) stores.keep!.set(checksKey, true);
  // The first Helm version's manifests come first: the edges compare with that version only.
  await upgradeStage(cell, manifests.slice(0, charts.length));
}

/** A starter spec checked again, for a cell whose init and validate came from --cache-dir. */
function loadStarter(job: CellJob): LoadedSpec {
  const dir = join(job.workDir, 'releases');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'spec.yaml');
  const starter = checkedStarterSpec(job.cell, STARTER, '<init>');
  writeFileSync(file, starter.spec);
  return checkSpecText(file, starter.spec);
}

/** The upgrade stage (unless --no-upgrade-edges): every edge of the cell; skipped, with its edges, after a failed stage. */
async function upgradeStage(cell: Prepared, manifests: Array<{ chart: ChartName; objects: KubeObject[] }>): Promise<void> {
  const { job, stages } = cell;
  if (job.upgradeEdges === false) return;
  await stages.run('upgrade', async () => {
    const own = { release: cell.release!, valuesFiles: cell.valuesFiles, pulumi: cell.pulumi!, infra: cell.infra!, outDir: cell.outDir, synthesis: cell.synthesis, manifests };
    const context = { workDir: job.workDir, cache: job.cache ?? null, helm: job.helm[0]!, charts: cell.charts, namespaces: cell.namespaces, renderKey: cell.renderKey, own };
    // With --work-dir the renders at other releases are written too (WORKDIR/<cell>/releases/<version>/).
    const keepArtifacts = job.keepArtifacts === true;
    cell.upgrades = await runUpgradeEdges({ ...context, keepArtifacts, edges: job.edges, loadSpec: () => cell.loaded ?? loadStarter(job) });
    return upgradeOutcome(cell.upgrades);
  });
  if (stages.results.at(-1)?.status === 'skip') cell.upgrades = skippedEdges(`skipped: ${stages.failedStage ?? 'an earlier stage'} failed`, job.edges);
  else if (cell.upgrades.length > 0 && cell.upgrades.every((edge) => edge.cached)) stages.markLastCached();
}

function cellResult(job: CellJob, stages: Stages, durationMs: number, upgrades: UpgradeEdgeResult[] = []): CellResult {
  const { cell } = job;
  // Tools name files under the run's temporary directory; the report must not change with it.
  const portable = <T extends { message: string | null }>(entry: T): T =>
    entry.message?.includes(job.workDir) ? { ...entry, message: entry.message.split(job.workDir).join('<cell-work-dir>') } : entry;
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
    stages: stages.results.map(portable),
    upgrades: upgrades.map(portable),
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
  const lints = await Promise.all(
    helm.map((binary) =>
      lintBatch(
        prepared.map((entry) => entry.cell),
        binary,
      ),
    ),
  );
  for (const entry of prepared) {
    const started = performance.now();
    await finish(entry.cell, lints);
    const lintMs = lints.reduce((sum, lint) => sum + (lint.get(entry.cell)?.durationMs ?? 0), 0);
    results.set(entry.cell.job, cellResult(entry.cell.job, entry.cell.stages, entry.preparedMs + lintMs + performance.now() - started, entry.cell.upgrades));
  }
  return jobs.map((job) => results.get(job)!);
}

export async function runCell(job: CellJob): Promise<CellResult> {
  return (await runBatch([job]))[0]!;
}
