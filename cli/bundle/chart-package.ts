/** A chart as Helm packages it (NAME-VERSION.tgz with NAME/ at its root), byte-for-byte reproducible. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import tar from 'tar-stream';
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
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const file of files(chartDir)) {
    const name = `${chart.name}/${relative(chartDir, file).split(sep).join('/')}`;
    pack.entry({ name, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' }, readFileSync(file));
  }
  pack.finalize();
  await done;
  return {
    name: chart.name,
    version: String(chart.version),
    appVersion: String(chart.appVersion ?? ''),
    config: Buffer.from(JSON.stringify(chart)),
    tgz: gzipSync(Buffer.concat(chunks), { level: 9 }),
  };
}
