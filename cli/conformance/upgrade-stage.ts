/**
 * The upgrade-immutable stage: each chart of a cell rendered again as its next version (a copy of
 * the chart whose Chart.yaml version and appVersion are bumped, the same values), and the two
 * renders compared on every immutable field (helm/immutable-fields.ts). One Helm version (the
 * first of the run) keeps the stage cheap: the fields compared do not depend on the Helm major.
 * The bumped copies are made once per run, in the run's work directory, and their `helm template`
 * results go through the same caches as the cell's own (cacheKeys.template), so a cached run and
 * the cells sharing a release render them once.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { chartDir, type ChartName } from '../emit/charts.js';
import type { HelmBinary } from './helm/binaries.js';
import { DEFAULT_KUBE_VERSION, helmTemplate, parseManifests, type KubeObject } from './helm/helm.js';
import { immutableFieldViolations } from './helm/immutable-fields.js';
import { treeHash } from './helm-cache.js';
import { cacheKeys, helmIdentity, isTemplateOutput, keep, lookup, type Stores, type TemplateOutput } from './result-cache.js';
import type { Violation } from './pulumi/types.js';

/** The next version of a chart version: its last number plus one (2026.11.0 -> 2026.11.1, v0.11.0 -> v0.11.1). */
export function bumpVersion(version: string): string {
  const match = /^(.*?)(\d+)([^\d]*)$/.exec(version);
  if (!match) return `${version}.1`;
  return `${match[1]}${Number(match[2]) + 1}${match[3]}`;
}

const bumped = new Map<ChartName, string>();

/**
 * The chart copied to RUNDIR/.upgrade-charts/<chart>-<tree hash> with version and appVersion
 * bumped: made once per run (and per chart content), shared by the workers through the file
 * system (made in a temporary directory, then renamed into place; the loser of a race drops its own).
 */
export function bumpedChart(chart: ChartName, runDir: string): string {
  const known = bumped.get(chart);
  if (known && existsSync(known)) return known;
  const source = chartDir(chart);
  const target = join(runDir, '.upgrade-charts', `${chart}-${treeHash(source).slice(0, 16)}`);
  if (!existsSync(target)) {
    mkdirSync(join(runDir, '.upgrade-charts'), { recursive: true });
    const staging = mkdtempSync(join(runDir, '.upgrade-charts', `${chart}-`));
    cpSync(source, staging, { recursive: true });
    const file = join(staging, 'Chart.yaml');
    const document = parseDocument(readFileSync(file, 'utf8'));
    document.set('version', bumpVersion(String(document.get('version'))));
    document.set('appVersion', bumpVersion(String(document.get('appVersion'))));
    writeFileSync(file, document.toString());
    try {
      renameSync(staging, target);
    } catch {
      // Another worker renamed its copy first: the same bytes.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  bumped.set(chart, target);
  return target;
}

export interface UpgradeInput {
  helm: HelmBinary;
  runDir: string;
  charts: readonly ChartName[];
  valuesFiles: ReadonlyMap<ChartName, string[]>;
  valuesTexts: ReadonlyMap<ChartName, string[]>;
  namespaces: Record<ChartName, string>;
  stores: Stores;
  /** Today's render of each chart with the same Helm binary. */
  current: ReadonlyArray<{ chart: ChartName; objects: KubeObject[] }>;
}

/** Each chart's next version rendered and compared with today's; the violations, or a Helm failure. */
export async function upgradeViolations(input: UpgradeInput): Promise<Violation[] | { fail: string }> {
  const violations: Violation[] = [];
  for (const { chart, objects } of input.current) {
    const dir = bumpedChart(chart, input.runDir);
    const key = cacheKeys.template(helmIdentity(input.helm), DEFAULT_KUBE_VERSION, treeHash(dir), chart, input.namespaces[chart], input.valuesTexts.get(chart)!);
    const hit = lookup(input.stores, key, isTemplateOutput);
    let result: TemplateOutput;
    if (hit) result = hit.value;
    else {
      const ran = await helmTemplate({ helm: input.helm.path, chartDir: dir, valuesFiles: input.valuesFiles.get(chart)!, releaseName: chart, namespace: input.namespaces[chart] });
      result = { ok: ran.ok, stdout: ran.stdout, stderr: ran.stderr };
      keep(input.stores, key, result, result.ok);
    }
    if (!result.ok) return { fail: `${chart} (next version): ${result.stderr.trim().split('\n').slice(-3).join(' ')}` };
    violations.push(
      ...immutableFieldViolations(objects, parseManifests(result.stdout)).map((violation) => ({ ...violation, resource: `${chart} ${violation.resource ?? ''}`.trim() })),
    );
  }
  return violations;
}

/** The stage's outcome: pass, or the violations (or Helm's failure) in one line. */
export async function upgradeStage(input: UpgradeInput, brief: (items: string[]) => string): Promise<true | { fail: string }> {
  const outcome = await upgradeViolations(input);
  if (!Array.isArray(outcome)) return outcome;
  return outcome.length ? { fail: brief([...new Set(outcome.map((v) => `${v.policy}: ${v.resource ?? ''} ${v.message}`))]) } : true;
}
