/**
 * The upgrade stage: a cell's upgrade edges (upgrade-edges.ts), each from the cell rendered at one
 * catalogued release to the cell rendered at the next. An end of an edge is the starter spec with
 * spec.release.version set to that release, rendered as `render` writes it (settingsFor +
 * renderFiles); its Pulumi project mock-synthesized; each chart templated by the run's first Helm
 * version from a copy of the chart directory whose Chart.yaml is the release's (chart version,
 * appVersion, kubeVersion: one chart directory serves every release), over the same values layering as the
 * cell (customer layer, then the synthesis's infrastructure layer). The cell's own release is the
 * render the earlier stages made: its render, synthesis and templates are reused, not redone.
 *
 * Everything goes through the run's caches and --cache-dir (result-cache.ts): renders at other
 * releases, syntheses (by Pulumi project), templates (by Helm inputs), an edge's Pulumi diff (by
 * both projects) and the edge itself (by everything it reads), so an unchanged edge is not re-run.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { chartDir, chartYamlFor, type ChartName } from '../emit/charts.js';
import { renderFiles } from '../emit/render-files.js';
import { settingsFor } from '../emit/settings.js';
import type { LoadedSpec } from '../install-spec/load-spec.js';
import type { Release } from '../releases/catalog.js';
import type { HelmBinary } from './helm/binaries.js';
import { DEFAULT_KUBE_VERSION, helmTemplate, parseManifests, type KubeObject } from './helm/helm.js';
import { treeHash } from './helm-cache.js';
import { synthesizeProject } from './pulumi/synthesize.js';
import type { Synthesis, SynthesizedResource } from './pulumi/types.js';
import {
  cacheKeys,
  helmIdentity,
  isPassed,
  isReleaseRenderOutputs,
  isSynthesisOutputs,
  isTemplateOutput,
  keep,
  lookup,
  storesFor,
  synthesisKey,
  synthesisOutputs,
  withoutHeaderComment,
  type CacheConfig,
  type ReleaseRenderOutputs,
  type Stores,
  type SynthesisOutputs,
  type TemplateOutput,
} from './result-cache.js';
import { brief } from './stage-runner.js';
import type { UpgradeEdgeResult } from './types.js';
import {
  edgeName,
  immutableChangeViolations,
  statefulReplacementViolations,
  unmigratedValueViolations,
  upgradeEdges,
  violationsBrief,
  type ChartManifests,
  type UpgradeEdge,
} from './upgrade-edges.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** A release's catalog entry in keys: a change to it (a new declared replacement, a rename) re-runs its edges. */
const releaseDocument = (release: Release) => sha256(JSON.stringify(release));

const releaseCharts = new Map<string, string>();

/**
 * The chart as a release ships it: the chart directory itself when its Chart.yaml is the release's,
 * else a copy in RUNDIR/.release-charts/ with the release's Chart.yaml, made once per run, release
 * and chart content and shared by the workers through the file system (made in a temporary
 * directory, then renamed into place; the loser of a race drops its own, identical copy).
 */
export function releaseChart(chart: ChartName, release: Release, runDir: string): string {
  const id = `${runDir}\0${chart}\0${release.version}`;
  const known = releaseCharts.get(id);
  if (known && existsSync(known)) return known;
  // The chart's Chart.yaml with the release's version, appVersion and kubeVersion (emit/charts.ts); the same bytes for the current release.
  const chartYaml = chartYamlFor(chart, release.version);
  let dir = chartDir(chart);
  if (chartYaml !== readFileSync(join(chartDir(chart), 'Chart.yaml'), 'utf8')) {
    const parent = join(runDir, '.release-charts');
    dir = join(parent, `${chart}-${release.version}-${sha256(`${treeHash(chartDir(chart))}\0${chartYaml}`).slice(0, 16)}`);
    if (!existsSync(dir)) {
      mkdirSync(parent, { recursive: true });
      const staging = mkdtempSync(join(parent, `${chart}-`));
      cpSync(chartDir(chart), staging, { recursive: true });
      writeFileSync(join(staging, 'Chart.yaml'), chartYaml);
      try {
        renameSync(staging, dir);
      } catch {
        // Another worker renamed its copy first: the same bytes.
        rmSync(staging, { recursive: true, force: true });
      }
    }
  }
  releaseCharts.set(id, dir);
  return dir;
}

/** The cell's own render, from the earlier stages. */
export interface OwnRender {
  /** spec.release.version of the starter spec. */
  release: string;
  /** Per chart: the values files Helm read (customer layer, infrastructure layer). */
  valuesFiles: ReadonlyMap<ChartName, string[]>;
  pulumi: string;
  infra: SynthesisOutputs;
  /** The rendered output directory; null when the render came from --cache-dir (nothing on disk but the values). */
  outDir: string | null;
  /** The synthesis, when it ran in this process. */
  synthesis: Synthesis | null;
  /** Each chart's manifests from the first Helm version, when parsed already. */
  manifests: readonly ChartManifests[];
}

export interface UpgradeContext {
  workDir: string;
  cache: CacheConfig | null;
  /** The run's first Helm version: the fields compared do not depend on the Helm major. */
  helm: HelmBinary;
  charts: readonly ChartName[];
  namespaces: Record<ChartName, string>;
  /** The key of the cell's own render in --cache-dir (null without one). */
  renderKey: string | null;
  own: OwnRender;
  /** The checked starter spec (a cell prepared from --cache-dir loads it only when an end must be rendered). */
  loadSpec: () => LoadedSpec;
  edges?: readonly UpgradeEdge[];
}

/** One end of an edge: the cell at one release. Fields fill in as the edge needs them. */
interface Side {
  release: Release;
  /** Per chart: the customer values text. */
  values: Map<ChartName, string>;
  pulumi: string;
  outDir: string | null;
  valuesFiles: Map<ChartName, string[]> | null;
  infra: SynthesisOutputs | null;
  synthesis: Synthesis | null;
  manifests: Map<ChartName, KubeObject[]>;
}

/** The spec text with another release (render hashes the spec into manifest.json; the file must say what was rendered). */
function withRelease(text: string, version: string): string {
  const document = parseDocument(text);
  document.setIn(['spec', 'release', 'version'], version);
  return document.toString();
}

class EdgeRun {
  private readonly sides = new Map<string, Side>();
  private loaded: LoadedSpec | null = null;
  private readonly stores: Stores;

  constructor(private readonly context: UpgradeContext) {
    this.stores = storesFor(context.workDir, context.cache);
  }

  private get runDir(): string {
    return dirname(this.context.workDir);
  }

  private sideDir(release: Release): string {
    return join(this.context.workDir, 'releases', release.version);
  }

  /** The cell rendered at `release` into its directory: the customer values and the project hash. */
  private render(release: Release): { outDir: string; values: Map<ChartName, string>; pulumi: string } {
    this.loaded ??= this.context.loadSpec();
    const { install, cell, text } = this.loaded;
    if (!install || !cell) throw new Error(`the starter spec does not load: ${this.loaded.issues.map((issue) => issue.code).join(', ')}`);
    const atRelease = structuredClone(install);
    atRelease.spec.release.version = release.version;
    const dir = this.sideDir(release);
    mkdirSync(dir, { recursive: true });
    const specFile = join(dir, 'spec.yaml');
    const specText = withRelease(text ?? '', release.version);
    writeFileSync(specFile, specText);
    const files = renderFiles(specFile, specText, atRelease, settingsFor(atRelease, cell), cell.status);
    const outDir = join(dir, 'out');
    // Scratch files of the cell's work directory, written once and read by this process: no atomic swap, no fsync.
    rmSync(outDir, { recursive: true, force: true });
    for (const [path, content] of files) {
      mkdirSync(dirname(join(outDir, path)), { recursive: true });
      writeFileSync(join(outDir, path), content);
    }
    const values = new Map(this.context.charts.map((chart) => [chart, String(files.get(`helm/${chart}.values.yaml`) ?? '')]));
    return { outDir, values, pulumi: treeHash(join(outDir, 'pulumi')) };
  }

  /** An end of an edge: the cell's own render, a render at that release from --cache-dir, or a fresh one. */
  side(release: Release): Side {
    const known = this.sides.get(release.version);
    if (known) return known;
    const { own, charts, cache, renderKey } = this.context;
    let side: Side;
    const empty = { synthesis: null, manifests: new Map<ChartName, KubeObject[]>() };
    if (release.version === own.release) {
      const values = new Map(charts.map((chart) => [chart, readFileSync(own.valuesFiles.get(chart)![0]!, 'utf8')]));
      side = { release, values, pulumi: own.pulumi, outDir: own.outDir, valuesFiles: new Map(own.valuesFiles), infra: own.infra, synthesis: own.synthesis, manifests: new Map() };
      for (const { chart, objects } of own.manifests) side.manifests.set(chart, [...objects]);
    } else {
      const key = cache && renderKey && !cache.keepsWorkDir ? cacheKeys.releaseRender(renderKey, release.version, releaseDocument(release)) : null;
      const hit = key ? this.stores.keep!.get(key, isReleaseRenderOutputs) : null;
      if (hit && charts.every((chart) => hit.values[chart] !== undefined)) {
        side = { release, values: new Map(charts.map((chart) => [chart, hit.values[chart]!])), pulumi: hit.pulumi, outDir: null, valuesFiles: null, infra: null, ...empty };
      } else {
        const rendered = this.render(release);
        side = { release, ...rendered, valuesFiles: null, infra: null, ...empty };
        if (key) this.stores.keep!.set(key, { values: Object.fromEntries(rendered.values), pulumi: rendered.pulumi } satisfies ReleaseRenderOutputs);
      }
    }
    this.sides.set(release.version, side);
    return side;
  }

  /** The side's synthesis (run here when it did not run yet), which also gives its infrastructure layer. */
  private async synthesis(side: Side): Promise<Synthesis> {
    if (side.synthesis) return side.synthesis;
    if (!side.outDir) side.outDir = this.render(side.release).outDir;
    const synthesis = await synthesizeProject(join(side.outDir, 'pulumi'));
    if (synthesis.errors.length) throw new Error(`synthesis at ${side.release.version}: ${brief(synthesis.errors, 2)}`);
    side.synthesis = synthesis;
    if (!side.infra) {
      side.infra = synthesisOutputs(synthesis.outputs, this.context.charts);
      keep(this.stores, synthesisKey(this.context.cache, side.pulumi), side.infra, Boolean(this.context.cache));
    }
    return synthesis;
  }

  private async resources(side: Side): Promise<SynthesizedResource[]> {
    return (await this.synthesis(side)).resources;
  }

  private async infra(side: Side): Promise<SynthesisOutputs> {
    if (side.infra) return side.infra;
    const hit = lookup(this.stores, synthesisKey(this.context.cache, side.pulumi), isSynthesisOutputs);
    if (hit && this.context.charts.every((chart) => hit.value[chart])) side.infra = hit.value;
    else await this.synthesis(side);
    return side.infra!;
  }

  /** The files Helm reads for a chart at this side: the customer layer, then the infrastructure layer. */
  private async valuesFiles(side: Side, chart: ChartName): Promise<string[]> {
    if (side.valuesFiles?.has(chart)) return side.valuesFiles.get(chart)!;
    const infra = await this.infra(side);
    const dir = side.outDir ? join(side.outDir, 'helm') : join(this.sideDir(side.release), 'helm');
    mkdirSync(dir, { recursive: true });
    const customer = join(dir, `${chart}.values.yaml`);
    if (!side.outDir) writeFileSync(customer, side.values.get(chart)!);
    const layer = join(dir, `${chart}.infra.values.json`);
    writeFileSync(layer, JSON.stringify(infra[chart], null, 2));
    side.valuesFiles ??= new Map();
    side.valuesFiles.set(chart, [customer, layer]);
    return [customer, layer];
  }

  /** `helm template` of the chart as the side's release ships it, through the Helm caches. */
  private async manifests(side: Side, chart: ChartName): Promise<KubeObject[]> {
    const known = side.manifests.get(chart);
    if (known) return known;
    const { helm, namespaces } = this.context;
    const dir = releaseChart(chart, side.release, this.runDir);
    const files = await this.valuesFiles(side, chart);
    const key = cacheKeys.template(
      helmIdentity(helm),
      DEFAULT_KUBE_VERSION,
      treeHash(dir),
      chart,
      namespaces[chart],
      files.map((file) => readFileSync(file, 'utf8')),
    );
    const hit = lookup(this.stores, key, isTemplateOutput);
    let result: TemplateOutput;
    if (hit) result = hit.value;
    else {
      const ran = await helmTemplate({ helm: helm.path, chartDir: dir, valuesFiles: files, releaseName: chart, namespace: namespaces[chart] });
      result = { ok: ran.ok, stdout: ran.stdout, stderr: ran.stderr };
      keep(this.stores, key, result, result.ok);
    }
    if (!result.ok) throw new Error(`${chart} at ${side.release.version}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    const objects = parseManifests(result.stdout);
    side.manifests.set(chart, objects);
    return objects;
  }

  /** Everything an edge reads, as a --cache-dir key. */
  private edgeKey(from: Side, to: Side): string | null {
    const { cache, charts, namespaces, helm } = this.context;
    if (!cache) return null;
    const parts = (side: Side) => [
      side.release.version,
      releaseDocument(side.release),
      side.pulumi,
      ...charts.flatMap((chart) => [chart, namespaces[chart], treeHash(releaseChart(chart, side.release, this.runDir)), withoutHeaderComment(side.values.get(chart)!)]),
    ];
    return cacheKeys.upgradeEdge(cache, helmIdentity(helm), DEFAULT_KUBE_VERSION, [...parts(from), ...parts(to)]);
  }

  /** upgrade-stateful-replacement: identical projects change nothing; a diff that passed before is read from --cache-dir. */
  private async pulumiViolations(from: Side, to: Side) {
    if (from.pulumi === to.pulumi) return [];
    const { cache } = this.context;
    const key = cache ? cacheKeys.upgradeDiff(cache, from.pulumi, to.pulumi, JSON.stringify(to.release.infrastructure.replacements)) : null;
    if (key && this.stores.keep!.get(key, isPassed)) return [];
    const violations = statefulReplacementViolations(await this.resources(from), await this.resources(to), to.release);
    if (key && violations.length === 0) this.stores.keep!.set(key, true);
    return violations;
  }

  private async helmViolations(from: Side, to: Side) {
    const before: ChartManifests[] = [];
    const after: ChartManifests[] = [];
    for (const chart of this.context.charts) {
      before.push({ chart, objects: await this.manifests(from, chart) });
      after.push({ chart, objects: await this.manifests(to, chart) });
    }
    return immutableChangeViolations(before, after);
  }

  private async valueViolations(to: Side) {
    const infra = await this.infra(to);
    const layers = this.context.charts.flatMap((chart) => [
      { chart, layer: 'customer' as const, values: (parse(to.values.get(chart)!) ?? {}) as Record<string, unknown> },
      { chart, layer: 'infrastructure' as const, values: infra[chart] ?? {} },
    ]);
    return unmigratedValueViolations(layers, to.release);
  }

  async edge(edge: UpgradeEdge): Promise<UpgradeEdgeResult> {
    const started = performance.now();
    const ends = { from: edge.from.version, to: edge.to.version };
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const from = this.side(edge.from);
      const to = this.side(edge.to);
      const key = this.edgeKey(from, to);
      if (key && this.stores.keep!.get(key, isPassed)) return { ...ends, status: 'pass', durationMs: 0, message: null, cached: true, violations: [] };
      const violations = [...(await this.pulumiViolations(from, to)), ...(await this.helmViolations(from, to)), ...(await this.valueViolations(to))];
      if (key && violations.length === 0) this.stores.keep!.set(key, true);
      return { ...ends, status: violations.length ? 'fail' : 'pass', durationMs: elapsed(), message: violations.length ? violationsBrief(violations) : null, violations };
    } catch (error) {
      return { ...ends, status: 'fail', durationMs: elapsed(), message: error instanceof Error ? error.message : String(error), violations: [] };
    }
  }
}

/** Every upgrade edge of the cell, in catalog order. */
export async function runUpgradeEdges(context: UpgradeContext): Promise<UpgradeEdgeResult[]> {
  const run = new EdgeRun(context);
  const results: UpgradeEdgeResult[] = [];
  for (const edge of context.edges ?? upgradeEdges()) results.push(await run.edge(edge));
  return results;
}

/** The edges of a cell whose upgrade stage did not run, each saying why. */
export function skippedEdges(message: string, edges: readonly UpgradeEdge[] = upgradeEdges()): UpgradeEdgeResult[] {
  return edges.map((edge) => ({ from: edge.from.version, to: edge.to.version, status: 'skip', durationMs: 0, message, violations: [] }));
}

/** The stage's outcome: pass, or the failing edges with their first violations in one line. */
export function upgradeOutcome(results: readonly UpgradeEdgeResult[]): true | { fail: string } {
  const failed = results.filter((result) => result.status === 'fail');
  return failed.length ? { fail: brief(failed.map((result) => `${edgeName(result)}: ${result.message ?? 'failed'}`)) } : true;
}
