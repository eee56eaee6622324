/**
 * The stacks build each catalogued release: one starter spec per cloud rendered at every release
 * (the same Kubernetes version, in every release's window) and synthesized under mocks. Between two
 * releases exactly the gated inputs of stacks/release-gates.ts change, nothing else: 2026.10.2 is
 * 2026.11.0 without RDS Performance Insights; 2026.12.0 keeps 30 days of PostgreSQL backups and puts
 * the Azure Managed Redis database on EnterpriseCluster. Every release passes the resource policies.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../cli/services/init.js';
import { render } from '../../cli/services/render.js';
import { synthesizeProject } from '../../cli/conformance/pulumi/synthesize.js';
import { checkPolicies } from '../../cli/conformance/pulumi/policies.js';
import type { Synthesis } from '../../cli/conformance/pulumi/types.js';
import { RELEASES } from '../helpers/releases.js';
import { parse, stringify } from 'yaml';
import { specDataAtRelease } from '../../cli/releases/spec-renames.js';

type Cloud = 'aws' | 'azure' | 'gcp';
const CLOUDS: Cloud[] = ['aws', 'azure', 'gcp'];
/** In every catalogued release's window (2026.10.2: 1.30-1.35, 2026.12.0: from 1.32) and built by every cloud's stack. */
const KUBERNETES = '1.35';

async function synthesizeAt(cloud: Cloud, release: string): Promise<Synthesis> {
  const root = mkdtempSync(join(tmpdir(), `installctl-release-${cloud}-`));
  const starter = init({ platform: cloud, scm: 'github', models: 'saas-api', network: 'connected', name: 'acme-prod', customer: 'Example Corp' }).spec;
  const data = specDataAtRelease(parse(starter) as { spec: { platform: Record<string, unknown> } }, release);
  data.spec.platform.kubernetesVersion = KUBERNETES;
  const spec = stringify(data);
  expect(spec).toContain(`version: ${release}`);
  writeFileSync(join(root, 'spec.yaml'), spec);
  const result = render({ spec: join(root, 'spec.yaml'), outDir: join(root, 'out'), allowPlaceholders: true });
  if (!result.valid) throw new Error(JSON.stringify(result.issues));
  return synthesizeProject(join(root, 'out', 'pulumi'));
}

/** Every input path whose value differs between two syntheses, as `type::name path` (arrays compared whole). */
function inputChanges(before: Synthesis, after: Synthesis): string[] {
  const byKey = (synthesis: Synthesis) => new Map(synthesis.resources.map((resource) => [`${resource.type}::${resource.name}`, resource.inputs]));
  const a = byKey(before);
  const b = byKey(after);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  const changes: string[] = [];
  const walk = (key: string, path: string, x: unknown, y: unknown): void => {
    const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
    if (isMap(x) && isMap(y)) {
      for (const field of new Set([...Object.keys(x), ...Object.keys(y)])) walk(key, path ? `${path}.${field}` : field, x[field], y[field]);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) changes.push(`${key} ${path}`);
  };
  for (const [key, inputs] of a) walk(key, '', inputs, b.get(key));
  return changes.sort();
}

const syntheses = new Map<string, Synthesis>();

describe.each(CLOUDS)('%s', (cloud) => {
  it.each(RELEASES)('synthesizes %s without errors or policy violations', async (release) => {
    const synthesis = await synthesizeAt(cloud, release);
    expect(synthesis.settings.release).toBe(release);
    expect(synthesis.errors).toEqual([]);
    expect(checkPolicies(synthesis)).toEqual([]);
    syntheses.set(`${cloud} ${release}`, synthesis);
  });
});

const RDS = 'aws:rds/instance:Instance::acme-prod-data-postgres';
const FLEXIBLE_SERVER = 'azure-native:dbforpostgresql:Server::acme-prod-data-postgres';
const REDIS_DATABASE = 'azure-native:redisenterprise:Database::acme-prod-data-redis';
const CLOUD_SQL = 'gcp:sql/databaseInstance:DatabaseInstance::acme-prod-data-postgres';

describe('what changes between releases', () => {
  it.each([
    ['aws', '2026.10.2', '2026.11.0', [`${RDS} performanceInsightsEnabled`, `${RDS} performanceInsightsKmsKeyId`]],
    ['azure', '2026.10.2', '2026.11.0', []],
    ['gcp', '2026.10.2', '2026.11.0', []],
    ['aws', '2026.11.0', '2026.12.0', [`${RDS} backupRetentionPeriod`]],
    ['azure', '2026.11.0', '2026.12.0', [`${FLEXIBLE_SERVER} backup.backupRetentionDays`, `${REDIS_DATABASE} clusteringPolicy`]],
    ['gcp', '2026.11.0', '2026.12.0', [`${CLOUD_SQL} settings.backupConfiguration.backupRetentionSettings.retainedBackups`]],
  ] as const)('%s %s -> %s: exactly the gated inputs', (cloud, from, to, expected) => {
    const before = syntheses.get(`${cloud} ${from}`);
    const after = syntheses.get(`${cloud} ${to}`);
    expect(before && after, 'synthesized above').toBeTruthy();
    expect(inputChanges(before!, after!)).toEqual([...expected].sort());
  });

  it('sets the gated values each release builds', () => {
    const inputs = (cloud: Cloud, release: string, key: string) => syntheses.get(`${cloud} ${release}`)!.resources.find((resource) => `${resource.type}::${resource.name}` === key)!.inputs;
    expect(RELEASES.map((release) => inputs('aws', release, RDS).performanceInsightsEnabled)).toEqual([false, true, true]);
    expect(RELEASES.map((release) => inputs('aws', release, RDS).backupRetentionPeriod)).toEqual([14, 14, 30]);
    expect(RELEASES.map((release) => inputs('azure', release, FLEXIBLE_SERVER).backup.backupRetentionDays)).toEqual([14, 14, 30]);
    expect(RELEASES.map((release) => inputs('azure', release, REDIS_DATABASE).clusteringPolicy)).toEqual(['OSSCluster', 'OSSCluster', 'EnterpriseCluster']);
    expect(RELEASES.map((release) => inputs('gcp', release, CLOUD_SQL).settings.backupConfiguration.backupRetentionSettings.retainedBackups)).toEqual([14, 14, 30]);
  });
});
