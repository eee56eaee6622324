/**
 * A chart as Helm packages it (NAME-VERSION.tgz with NAME/ at its root), byte-for-byte reproducible.
 * The chart directory serves every catalogued release: chartYaml, when given, replaces its
 * Chart.yaml (the release's version, appVersion and kubeVersion: emit/charts.ts chartYamlFor).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { reproducibleTarGz } from '../lib/reproducible-tar.js';
import { compareText } from '../lib/compare.js';

export interface ChartPackage {
  name: string;
  version: string;
  appVersion: string;
  /** Chart.yaml as JSON: the config blob of a Helm OCI artifact. */
  config: Buffer;
  tgz: Buffer;
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? files(path) : [path];
    })
    .sort(compareText);
}

export async function packageChart(chartDir: string, chartYaml?: string): Promise<ChartPackage> {
  const chartFile = join(chartDir, 'Chart.yaml');
  const chartText = chartYaml ?? readFileSync(chartFile, 'utf8');
  const chart = parse(chartText) as { name: string; version: string; appVersion?: string };
  const content = (file: string) => (file === chartFile ? Buffer.from(chartText) : readFileSync(file));
  const tgz = await reproducibleTarGz(files(chartDir).map((file) => ({ name: `${chart.name}/${relative(chartDir, file).split(sep).join('/')}`, content: content(file) })));
  return {
    name: chart.name,
    version: String(chart.version),
    appVersion: String(chart.appVersion ?? ''),
    config: Buffer.from(JSON.stringify(chart)),
    tgz,
  };
}
