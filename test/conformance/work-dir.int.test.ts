/**
 * conformance --work-dir keeps, per cell, what a reviewer reads: the Pulumi mock synthesis
 * (resources.json: type, name, properties of every resource, in a deterministic order and bytes)
 * and the rendered manifests (manifests/<chart>.helm<major>.yaml). Without --work-dir nothing is kept.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { conformance } from '../../cli/services/conformance.js';

const CELL = 'aws/github/self-hosted/connected';
const cellDir = (work: string) => join(work, CELL.replace(/\//g, '__'));

let first: string;
let second: string;
beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'installctl-work-dir-'));
  [first, second] = [join(base, 'one'), join(base, 'two')];
  for (const workDir of [first, second]) {
    const report = await conformance({ only: [CELL], shard: null, helm: ['3'], jobs: 1, reportDir: null, affected: null, workDir });
    expect(report.ok).toBe(true);
  }
}, 600_000);

describe('conformance --work-dir artefacts', () => {
  it('keeps resources.json with the type, name and properties of every resource', () => {
    const resources = JSON.parse(readFileSync(join(cellDir(first), 'resources.json'), 'utf8')) as Array<{ type: string; name: string; properties: Record<string, unknown> }>;
    expect(resources.length).toBeGreaterThan(10);
    for (const resource of resources) expect(Object.keys(resource)).toEqual(['type', 'name', 'properties']);
    expect(resources.some((resource) => resource.type === 'aws:eks/cluster:Cluster')).toBe(true);
    const keys = resources.map((resource) => `${resource.type} ${resource.name}`);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('keeps the rendered manifests of each chart', () => {
    expect(readdirSync(join(cellDir(first), 'manifests')).sort()).toEqual(['agent-platform.helm3.yaml', 'model-server.helm3.yaml']);
    const objects = parseAllDocuments(readFileSync(join(cellDir(first), 'manifests', 'model-server.helm3.yaml'), 'utf8')).map((doc) => doc.toJS());
    expect(objects.some((object) => object?.kind === 'Deployment')).toBe(true);
  });

  it('writes the same bytes on every run', () => {
    for (const file of ['resources.json', 'manifests/agent-platform.helm3.yaml', 'manifests/model-server.helm3.yaml']) {
      expect(readFileSync(join(cellDir(second), file), 'utf8'), file).toBe(readFileSync(join(cellDir(first), file), 'utf8'));
    }
  });

  it('beside the spec and the rendered output', () => {
    expect(existsSync(join(cellDir(first), 'spec.yaml'))).toBe(true);
    expect(existsSync(join(cellDir(first), 'out', 'RUNBOOK.md'))).toBe(true);
  });
});
