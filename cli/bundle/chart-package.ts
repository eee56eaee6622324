/** A chart as Helm packages it (NAME-VERSION.tgz with NAME/ at its root), byte-for-byte reproducible. */
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

export async function packageChart(chartDir: string): Promise<ChartPackage> {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { name: string; version: string; appVersion?: string };
  const tgz = await reproducibleTarGz(files(chartDir).map((file) => ({ name: `${chart.name}/${relative(chartDir, file).split(sep).join('/')}`, content: readFileSync(file) })));
  return {
    name: chart.name,
    version: String(chart.version),
    appVersion: String(chart.appVersion ?? ''),
    config: Buffer.from(JSON.stringify(chart)),
    tgz,
  };
}
