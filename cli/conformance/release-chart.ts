/** A chart as a catalogued release ships it, for `helm template` in conformance's upgrade edges. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { chartDir, chartYamlFor, type ChartName } from '../emit/charts.js';
import type { Release } from '../releases/catalog.js';
import { treeHash } from './helm-cache.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A release's catalog entry in keys: a change to it (a new declared replacement, a rename) re-runs what read it. */
export const releaseDocument = (release: Release): string => sha256(JSON.stringify(release));

const releaseCharts = new Map<string, string>();

/**
 * The chart as a release ships it: the chart directory itself when its Chart.yaml is the release's
 * (the current release), else a copy in RUNDIR/.release-charts/ whose Chart.yaml is the release's
 * (emit/charts.ts chartYamlFor: version, appVersion, kubeVersion; one chart directory serves every
 * release). Made once per run, release and chart content, and shared by the workers through the
 * file system (made in a temporary directory, then renamed into place; the loser of a race drops
 * its own, identical copy).
 */
export function releaseChart(chart: ChartName, release: Release, runDir: string): string {
  const id = `${runDir}\0${chart}\0${release.version}`;
  const known = releaseCharts.get(id);
  if (known && existsSync(known)) return known;
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
