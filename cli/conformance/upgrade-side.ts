/**
 * The ends of a cell's upgrade edges: the cell at each release an edge starts or ends at (a side).
 * A side is the starter spec with spec.release.version set to the release, rendered as `render`
 * renders it (settingsFor + renderFiles), its Pulumi project mock-synthesized, each chart templated
 * by the run's first Helm version from the chart as the release ships it (release-chart.ts), over
 * the same values layering as the cell (customer layer, then the synthesis's infrastructure layer).
 * The cell's own release is the render the earlier stages made: its render, synthesis and templates
 * are reused, not redone.
 *
 * Renders at other releases stay in memory (writing a render's files cost four times rendering it;
 * --work-dir writes them for review): the synthesis runs the project from memory, and Helm reads
 * the two values layers from files. Everything a side computes is a promise made once, so the
 * templates of one side run while the next side synthesizes (syntheses themselves never overlap).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { portableYaml } from '../lib/yaml-text.js';
import { specDataAtRelease } from '../releases/spec-renames.js';
import type { Release } from '../releases/catalog.js';
import type { ChartName } from '../emit/charts.js';
import { renderFiles } from '../emit/render-files.js';
import { settingsFor } from '../emit/settings.js';
import type { LoadedSpec } from '../install-spec/load-spec.js';
import type { HelmBinary } from './helm/binaries.js';
import { DEFAULT_KUBE_VERSION, helmTemplate, parseManifests, type KubeObject } from './helm/helm.js';
import { immutableKindDocuments } from './helm/immutable-fields.js';
import { filesTreeHash, treeHash } from './helm-cache.js';
import { synthesizeProject, type ProjectSource } from './pulumi/synthesize.js';
import type { Synthesis } from './pulumi/types.js';
import { releaseChart, releaseDocument } from './release-chart.js';
import {
  cacheKeys,
  helmIdentity,
  isReleaseRenderOutputs,
  isSynthesisOutputs,
  isTemplateOutput,
  keep,
  lookup,
  storesFor,
  synthesisKey,
  synthesisOutputs,
  type CacheConfig,
  type ReleaseRenderOutputs,
  type Stores,
  type SynthesisOutputs,
  type TemplateOutput,
} from './result-cache.js';
import { brief } from './stage-runner.js';
import type { ChartManifests } from './upgrade-edges.js';

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

export interface SidesContext {
  workDir: string;
  cache: CacheConfig | null;
  /** The run's first Helm version: the fields compared do not depend on the Helm major. */
  helm: HelmBinary;
  charts: readonly ChartName[];
  namespaces: Record<ChartName, string>;
  /** The key of the cell's own render in --cache-dir (null without one). */
  renderKey: string | null;
  own: OwnRender;
  /** The checked starter spec (a cell prepared from --cache-dir loads it only when a side must be rendered). */
  loadSpec: () => LoadedSpec;
  /** --work-dir: renders at other releases are written to WORKDIR/releases/<version>/ for review. */
  keepArtifacts?: boolean;
}

/** The cell at one release. */
export interface Side {
  release: Release;
  /** Per chart: the customer values text. */
  values: ReadonlyMap<ChartName, string>;
  /** The Pulumi project's hash (treeHash of its files). */
  pulumi: string;
  /** The render's files, when rendered in this run; the own render is on disk instead (outDir). */
  files: ReadonlyMap<string, string | Uint8Array> | null;
  outDir: string | null;
}

/** The starter spec as `version` names it (release.version set, renamed fields moved): render hashes the spec into manifest.json. */
function specTextAt(text: string, version: string): string {
  return portableYaml(specDataAtRelease(parse(text) as { spec: object }, version));
}

/** Memoized promises: each made once, by whoever asks first. */
function once<K, V>(map: Map<K, Promise<V>>, key: K, make: () => Promise<V>): Promise<V> {
  let promise = map.get(key);
  if (!promise) {
    promise = make();
    map.set(key, promise);
  }
  return promise;
}

export class Sides {
  readonly stores: Stores;
  readonly runDir: string;
  private readonly sides = new Map<string, Side>();
  private readonly syntheses = new Map<Side, Promise<Synthesis>>();
  private readonly infras = new Map<Side, Promise<SynthesisOutputs>>();
  private readonly templates = new Map<string, Promise<KubeObject[]>>();
  private loaded: LoadedSpec | null = null;

  constructor(private readonly context: SidesContext) {
    this.stores = storesFor(context.workDir, context.cache);
    this.runDir = dirname(context.workDir);
  }

  private sideDir(release: Release): string {
    return join(this.context.workDir, 'releases', release.version);
  }

  /** The cell rendered at `release`, in memory (and into its directory with --work-dir). */
  private render(release: Release): { files: Map<string, string | Uint8Array>; values: Map<ChartName, string>; pulumi: string } {
    this.loaded ??= this.context.loadSpec();
    const { install, cell, text } = this.loaded;
    if (!install || !cell) throw new Error(`the starter spec does not load: ${this.loaded.issues.map((issue) => issue.code).join(', ')}`);
    const atRelease = structuredClone(install);
    atRelease.spec.release.version = release.version;
    const specFile = join(this.sideDir(release), 'spec.yaml');
    const specText = specTextAt(text ?? '', release.version);
    const files = renderFiles(specFile, specText, atRelease, settingsFor(atRelease, cell), cell.status);
    if (this.context.keepArtifacts) {
      for (const [path, content] of [['spec.yaml', specText] as const, ...[...files].map(([path, content]) => [`out/${path}`, content] as const)]) {
        mkdirSync(dirname(join(this.sideDir(release), path)), { recursive: true });
        writeFileSync(join(this.sideDir(release), path), content);
      }
    }
    const values = new Map(this.context.charts.map((chart) => [chart, String(files.get(`helm/${chart}.values.yaml`) ?? '')]));
    return { files, values, pulumi: filesTreeHash(files, 'pulumi') };
  }

  /** The cell at `release`: its own render, a render at that release read from --cache-dir, or a fresh one. */
  side(release: Release): Side {
    const known = this.sides.get(release.version);
    if (known) return known;
    const { own, charts, cache, renderKey } = this.context;
    let side: Side;
    if (release.version === own.release) {
      const values = new Map(charts.map((chart) => [chart, readFileSync(own.valuesFiles.get(chart)![0]!, 'utf8')]));
      side = { release, values, pulumi: own.pulumi, files: null, outDir: own.outDir };
      this.infras.set(side, Promise.resolve(own.infra));
      if (own.synthesis) this.syntheses.set(side, Promise.resolve(own.synthesis));
      for (const { chart, objects } of own.manifests) this.templates.set(`${release.version}\0${chart}`, Promise.resolve([...objects]));
    } else {
      const key = cache && renderKey && !cache.keepsWorkDir ? cacheKeys.releaseRender(renderKey, release.version, releaseDocument(release)) : null;
      const hit = key ? this.stores.keep!.get(key, isReleaseRenderOutputs) : null;
      if (hit && charts.every((chart) => hit.values[chart] !== undefined)) {
        side = { release, values: new Map(charts.map((chart) => [chart, hit.values[chart]!])), pulumi: hit.pulumi, files: null, outDir: null };
      } else {
        const rendered = this.render(release);
        side = { release, ...rendered, outDir: null };
        if (key) this.stores.keep!.set(key, { values: Object.fromEntries(rendered.values), pulumi: rendered.pulumi } satisfies ReleaseRenderOutputs);
      }
    }
    this.sides.set(release.version, side);
    return side;
  }

  /** The side's Pulumi project: the own render's directory, or the render's files in memory. */
  private project(side: Side): ProjectSource {
    if (side.outDir) return join(side.outDir, 'pulumi');
    side.files ??= this.render(side.release).files;
    const files = new Map([...side.files].filter(([path]) => path.startsWith('pulumi/')).map(([path, content]) => [path.slice('pulumi/'.length), content]));
    return { files, scratchDir: join(this.sideDir(side.release), 'pulumi') };
  }

  /** The side's synthesis (run here when it did not run yet). */
  synthesis(side: Side): Promise<Synthesis> {
    return once(this.syntheses, side, async () => {
      const synthesis = await synthesizeProject(this.project(side));
      if (synthesis.errors.length) throw new Error(`synthesis at ${side.release.version}: ${brief(synthesis.errors, 2)}`);
      return synthesis;
    });
  }

  /** The side's infrastructure values layer: from a synthesis of the same project (this run or --cache-dir), else its own. */
  infra(side: Side): Promise<SynthesisOutputs> {
    return once(this.infras, side, async () => {
      const { cache, charts } = this.context;
      const key = synthesisKey(cache, side.pulumi);
      const hit = lookup(this.stores, key, isSynthesisOutputs);
      if (hit && charts.every((chart) => hit.value[chart])) return hit.value;
      const infra = synthesisOutputs((await this.synthesis(side)).outputs, charts);
      keep(this.stores, key, infra, Boolean(cache));
      return infra;
    });
  }

  /** The files Helm reads for a chart at this side: the customer layer, then the infrastructure layer. */
  private async valuesFiles(side: Side, chart: ChartName): Promise<string[]> {
    if (side.release.version === this.context.own.release) return this.context.own.valuesFiles.get(chart)!;
    const infra = await this.infra(side);
    const dir = join(this.sideDir(side.release), 'helm');
    mkdirSync(dir, { recursive: true });
    const files = [join(dir, `${chart}.values.yaml`), join(dir, `${chart}.infra.values.json`)];
    writeFileSync(files[0]!, side.values.get(chart)!);
    writeFileSync(files[1]!, JSON.stringify(infra[chart], null, 2));
    return files;
  }

  /** `helm template` of the chart as the side's release ships it, through the Helm caches. */
  manifests(side: Side, chart: ChartName): Promise<KubeObject[]> {
    return once(this.templates, `${side.release.version}\0${chart}`, async () => {
      const { helm, namespaces } = this.context;
      const dir = releaseChart(chart, side.release, this.runDir);
      const files = await this.valuesFiles(side, chart);
      const texts = files.map((file) => readFileSync(file, 'utf8'));
      const key = cacheKeys.template(helmIdentity(helm), DEFAULT_KUBE_VERSION, treeHash(dir), chart, namespaces[chart], texts);
      const hit = lookup(this.stores, key, isTemplateOutput);
      let result: TemplateOutput;
      if (hit) result = hit.value;
      else {
        const ran = await helmTemplate({ helm: helm.path, chartDir: dir, valuesFiles: files, releaseName: chart, namespace: namespaces[chart] });
        result = { ok: ran.ok, stdout: ran.stdout, stderr: ran.stderr };
        keep(this.stores, key, result, result.ok);
      }
      if (!result.ok) throw new Error(`${chart} at ${side.release.version}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
      // The edge compares immutable fields only: the other objects are not parsed.
      return parseManifests(immutableKindDocuments(result.stdout));
    });
  }

  /** Starts every template of the side (and what they need): Helm then runs while the next side synthesizes. */
  prefetch(side: Side): void {
    for (const chart of this.context.charts) this.manifests(side, chart).catch(() => undefined);
  }
}
