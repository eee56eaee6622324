/** Example specs as data, and checks of (mutated) spec data, for table-driven tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { checkSpecText, type LoadedSpec } from '../../cli/install-spec/load-spec.js';
import { REPO } from './cli.js';

export const EXAMPLES_DIR = join(REPO, 'examples');

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => join(EXAMPLES_DIR, file));
}

export function loadExample(name: string): any {
  return parse(readFileSync(join(EXAMPLES_DIR, name), 'utf8'));
}

export function checkData(data: unknown): LoadedSpec {
  return checkSpecText('test.yaml', stringify(data));
}

export function codes(result: LoadedSpec, severity: 'error' | 'warning' | 'any' = 'error'): string[] {
  return result.issues.filter((issue) => severity === 'any' || issue.severity === severity).map((issue) => issue.code);
}

/** Sets a value at a dotted path (numbers index arrays) in a deep copy. */
export function withValue(data: unknown, path: string, value: unknown): any {
  const copy = structuredClone(data) as any;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[/^\d+$/.test(key) ? Number(key) : key];
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[/^\d+$/.test(last) ? Number(last) : last] = value;
  return copy;
}
