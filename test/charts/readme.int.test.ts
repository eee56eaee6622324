/**
 * Chart documentation: every values.schema.json property has a description, every key of the
 * vendor values.yaml is in the schema, and each README's values table is the one
 * scripts/chart-readme.mjs generates (fails when stale: run node scripts/chart-readme.mjs).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BEGIN, valuesTable, withTable } from '../../scripts/chart-readme.mjs';
import { REPO } from '../helpers/cli.js';
import { CHART_NAMES, CHARTS } from './helpers.js';

const SCRIPT = join(REPO, 'scripts', 'chart-readme.mjs');
type Schema = Record<string, any>;

function resolve(root: Schema, node: Schema): Schema {
  return node.$ref ? { ...resolve(root, node.$ref.replace(/^#\//, '').split('/').reduce((at: Schema, key: string) => at[key], root)), ...node, $ref: undefined } : node;
}

/** Paths of properties (and array items' properties) without a description. */
function undocumented(root: Schema, node: Schema, path: string): string[] {
  const resolved = resolve(root, node);
  const out: string[] = [];
  for (const [name, child] of Object.entries<Schema>(resolved.properties ?? {})) {
    const childResolved = resolve(root, child);
    if (!child.description && !childResolved.description) out.push(`${path}${name}`);
    out.push(...undocumented(root, child, `${path}${name}.`));
  }
  if (resolved.items) out.push(...undocumented(root, resolved.items, `${path.slice(0, -1)}[].`));
  return out;
}

/** Keys of values.yaml that the schema does not declare. */
function undeclared(root: Schema, node: Schema, value: unknown, path: string): string[] {
  const resolved = resolve(root, node);
  if (Array.isArray(value)) return resolved.items ? value.flatMap((item, index) => undeclared(root, resolved.items, item, `${path}[${index}]`)) : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const declared = resolved.properties?.[key];
    if (declared) return undeclared(root, declared, child, `${path}.${key}`);
    return resolved.additionalProperties === undefined || resolved.additionalProperties === false ? [`${path}.${key}`] : [];
  });
}

describe.each(CHART_NAMES)('%s chart documentation', (chart) => {
  const dir = CHARTS[chart].dir;
  const schema = JSON.parse(readFileSync(join(dir, 'values.schema.json'), 'utf8')) as Schema;

  it('the schema is draft-07, keeps global open and describes every property', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.properties.global).toBeDefined();
    expect(schema.properties.global.additionalProperties).not.toBe(false);
    expect(undocumented(schema, schema, '')).toEqual([]);
  });

  it('declares every key of the vendor values.yaml', () => {
    const values = parse(readFileSync(join(dir, 'values.yaml'), 'utf8'));
    expect(undeclared(schema, schema, values, '')).toEqual([]);
  });

  it('README.md holds the generated values table', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(BEGIN);
    expect(readme, 'stale: run node scripts/chart-readme.mjs').toBe(withTable(readme, valuesTable(dir)));
  });
});

describe('scripts/chart-readme.mjs --check', () => {
  it('passes on the repository and fails on a stale README', () => {
    const ok = spawnSync(process.execPath, [SCRIPT, '--check'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    const copy = join(mkdtempSync(join(tmpdir(), 'chart-readme-')), 'model-server');
    cpSync(CHARTS['model-server'].dir, copy, { recursive: true });
    const schemaFile = join(copy, 'values.schema.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    schema.properties.runtimeClassName.description = 'Changed without regenerating the README.';
    writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
    const stale = spawnSync(process.execPath, [SCRIPT, '--check', '--chart', copy], { encoding: 'utf8' });
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('README.md: the values table is stale; run node scripts/chart-readme.mjs');
    const fixed = spawnSync(process.execPath, [SCRIPT, '--chart', copy], { encoding: 'utf8' });
    expect(fixed.status).toBe(0);
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain('| `runtimeClassName` | string | `""` | Changed without regenerating the README. |');
  });
});
