/**
 * The upgrade stage over real cells (cli/conformance/upgrade-stage.ts): a cell of each platform
 * rendered, synthesized and templated at every catalogued release, every edge passing; and the same
 * real renders failing when the catalog is changed under them: the newest release without its
 * declared Redis replacement (the Pulumi diff of two real syntheses finds the replaced database),
 * and with a renamed value that render does not move.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmBinaries } from '../../cli/conformance/helm/binaries.js';
import type { HelmBinary } from '../../cli/conformance/helm/binaries.js';
import { runBatch, type CellJob } from '../../cli/conformance/stages.js';
import type { CellResult } from '../../cli/conformance/types.js';
import { upgradeEdges, type UpgradeEdge } from '../../cli/conformance/upgrade-edges.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { releaseCatalog, type Release } from '../../cli/releases/catalog.js';

const CELLS = [
  'onprem/gitlab-self-managed/saas-api/connected',
  'aws/github/cloud-managed/connected',
  'azure/bitbucket-data-center/cloud-managed/connected',
  'gcp/github/self-hosted/connected',
];
const AZURE = CELLS[2]!;

let helm: HelmBinary[];
let results: CellResult[];
let work: string;

const jobs = (ids: string[], extra: Partial<CellJob> = {}): CellJob[] =>
  ids.map((id) => ({ cell: supportMatrix().cell(id)!, helm, workDir: join(work, `${id.replace(/\//g, '__')}${extra.edges ? '-crafted' : ''}`), ...extra }));

/** The catalog's edges with the newest release changed by `change`. */
function craftedEdges(change: (release: Release) => Release): UpgradeEdge[] {
  const newest = releaseCatalog().at(-1)!.version;
  return upgradeEdges().map((edge) => (edge.to.version === newest ? { from: edge.from, to: change(structuredClone(edge.to)) } : edge));
}

beforeAll(async () => {
  helm = await helmBinaries(['4']);
  work = mkdtempSync(join(tmpdir(), 'installctl-upgrade-stage-'));
  results = await runBatch(jobs(CELLS));
}, 300_000);

describe('the upgrade stage over real cells', () => {
  it('runs last, and passes every edge between consecutive catalogued releases on every platform', () => {
    const versions = releaseCatalog().map((release) => release.version);
    for (const result of results) {
      expect(result.stages.at(-1), result.id).toMatchObject({ name: 'upgrade', status: 'pass', message: null });
      expect(result.result, result.id).toBe('pass');
      expect(
        result.upgrades.map((edge) => [edge.from, edge.to, edge.status, edge.violations]),
        result.id,
      ).toEqual(versions.slice(1).map((to, index) => [versions[index], to, 'pass', []]));
    }
  });

  it('renders the other releases in memory: nothing of them in the work directory without --work-dir', () => {
    const dir = join(work, AZURE.replace(/\//g, '__'), 'releases', '2026.10.2');
    expect(existsSync(join(dir, 'out', 'RUNBOOK.md'))).toBe(false);
    expect(existsSync(join(dir, 'helm', 'agent-platform.infra.values.json'))).toBe(true);
  });

  it('fails an edge whose newer release does not declare the replacement its real synthesis makes', async () => {
    const edges = craftedEdges((release) => ({ ...release, infrastructure: { replacements: [] } }));
    const [result] = await runBatch(jobs([AZURE], { edges }));
    const [older, newer] = result!.upgrades;
    expect(older!.status).toBe('pass');
    expect(newer).toMatchObject({
      status: 'fail',
      violations: [expect.objectContaining({ policy: 'upgrade-stateful-replacement', resource: expect.stringMatching(/^azure-native:redisenterprise:Database::/) })],
    });
    expect(newer!.violations[0]!.message).toMatch(/replace this cache \(clusteringPolicy changed\)/);
    expect(result!.stages.at(-1)).toMatchObject({ name: 'upgrade', status: 'fail', message: expect.stringMatching(/^2026\.11\.0 -> 2026\.12\.0: upgrade-stateful-replacement: /) });
    expect(result!.result).toBe('fail');
  }, 300_000);

  it('fails an edge whose newer release renamed a value the render still writes under its old key', async () => {
    const rename = { chart: 'agent-platform' as const, from: 'gitGateway.replicas', to: 'gitGateway.replicaCount' };
    const edges = craftedEdges((release) => ({ ...release, values: { renamed: [...release.values.renamed, rename] } }));
    const [result] = await runBatch(jobs([CELLS[0]!], { edges }));
    expect(result!.upgrades[1]!.violations).toEqual([
      {
        policy: 'upgrade-unmigrated-value',
        resource: 'agent-platform gitGateway.replicas',
        message: 'the customer values of 2026.12.0 still set gitGateway.replicas, which 2026.12.0 renamed to gitGateway.replicaCount: the chart ignores it',
      },
    ]);
  }, 300_000);

  it('skips every edge, saying why, when an earlier stage failed', async () => {
    const broken = [{ ...helm[0]!, path: '/bin/false' }];
    const [result] = await runBatch(jobs([CELLS[0]!]).map((job) => ({ ...job, helm: broken, workDir: `${job.workDir}-broken` })));
    expect(result!.stages.at(-1)).toMatchObject({ name: 'upgrade', status: 'skip' });
    expect(result!.upgrades.map((edge) => edge.status)).toEqual(upgradeEdges().map(() => 'skip'));
    expect(result!.upgrades[0]!.message).toMatch(/^skipped: helm4-lint failed/);
  }, 300_000);

  it('has no upgrade stage with upgradeEdges: false (--no-upgrade-edges)', async () => {
    const [result] = await runBatch(jobs([CELLS[0]!], { upgradeEdges: false }).map((job) => ({ ...job, workDir: `${job.workDir}-off` })));
    expect(result!.stages.map((stage) => stage.name)).not.toContain('upgrade');
    expect(result!.upgrades).toEqual([]);
    expect(result!.result).toBe('pass');
  }, 300_000);
});
