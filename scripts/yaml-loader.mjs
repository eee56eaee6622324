// Loads *.yaml imports as their parsed data, at build time, for esbuild (the CLI bundle) and
// vite/vitest (tests). Shipped data (support matrix, GPU presets) is then compiled into the
// bundle instead of being read and parsed on every start.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export function yamlModule(path) {
  return `export default ${JSON.stringify(parse(readFileSync(path, 'utf8')))};\n`;
}

export const esbuildYamlPlugin = {
  name: 'yaml-data',
  setup(build) {
    build.onLoad({ filter: /\.yaml$/ }, (args) => ({ contents: yamlModule(args.path), loader: 'js' }));
  },
};

export const viteYamlPlugin = {
  name: 'yaml-data',
  transform(_code, id) {
    if (!id.endsWith('.yaml')) return null;
    return { code: yamlModule(id), map: null };
  },
};
