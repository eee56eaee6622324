/** installctl version: what this build carries, checked against the files it was built from. */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { formatVersion, versionReport } from '../../cli/services/version.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { REPO } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';

const dataDigest = (data: unknown) => createHash('sha256').update(JSON.stringify(data)).digest('hex');
const report = versionReport();

describe('versionReport', () => {
  it('has the documented shape', () => {
    expectSchemaDef('cli-output.schema.json', 'version', report);
    expect(report.installctl).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
    expect(report.node).toBe(process.version);
  });

  it.each(readdirSync(join(REPO, 'charts')).filter((name) => readdirSync(join(REPO, 'charts', name)).includes('Chart.yaml')))(
    'names chart %s with the version and appVersion of its Chart.yaml',
    (name) => {
      const chart = parse(readFileSync(join(REPO, 'charts', name, 'Chart.yaml'), 'utf8')) as { version: string; appVersion: string };
      expect(report.charts).toContainEqual({ name, version: chart.version, appVersion: String(chart.appVersion) });
    },
  );

  it.each(readdirSync(join(REPO, 'schemas')).filter((name) => name.endsWith('.json')))('names schemas/%s with its $id and the digest of its data', (file) => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', file), 'utf8')) as { $id: string };
    expect(report.schemas).toContainEqual({ file: `schemas/${file}`, id: schema.$id, sha256: dataDigest(schema) });
  });

  it.each([
    ['matrix', 'matrix/support-matrix.yaml'],
    ['gpuPresets', 'matrix/gpu-presets.yaml'],
  ] as const)('names the %s data with its apiVersion and digest', (key, file) => {
    const data = parse(readFileSync(join(REPO, file), 'utf8')) as { apiVersion: string };
    expect(report[key]).toMatchObject({ file, apiVersion: data.apiVersion, sha256: dataDigest(data) });
  });

  it('counts the matrix cells', () => {
    expect(report.matrix.cells).toBe(supportMatrix().cells().length);
  });

  it('prints every chart, schema and data file with a short digest', () => {
    const text = formatVersion(report);
    expect(text.split('\n')[0]).toBe(`installctl ${report.installctl} (node ${process.version}, ${process.platform}-${process.arch})`);
    for (const chart of report.charts) expect(text).toMatch(new RegExp(`^  ${chart.name} +${chart.version.replace(/\./g, '\\.')} \\(app `, 'm'));
    for (const entry of [...report.schemas, report.matrix, report.gpuPresets]) expect(text).toContain(`sha256:${entry.sha256.slice(0, 12)}`);
  });
});
