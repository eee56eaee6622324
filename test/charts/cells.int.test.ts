/**
 * Every supported and conditional cell's emitted values through real Helm 3.17 and 4.1 (lint
 * --strict and template), Kubernetes 1.33 schemas and the manifest policies, via the conformance
 * pipeline; golden manifests for representative cells (test/helpers/golden.ts: UPDATE_GOLDEN=1 rewrites them and fails; review the diff).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformance } from '../../cli/services/conformance.js';
import type { ConformanceReport } from '../../cli/conformance/types.js';
import { helmBinaries } from '../../cli/conformance/helm/binaries.js';
import { helmTemplate } from '../../cli/conformance/helm/helm.js';
import { chartDir } from '../../cli/emit/charts.js';
import { REPO } from '../helpers/cli.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { expectGolden } from '../helpers/golden.js';

const GOLDEN = join(REPO, 'test', 'charts', 'golden-cells');
const REPRESENTATIVE = ['aws/github-enterprise-server/self-hosted/air-gapped', 'azure/gitlab-self-managed/cloud-managed/air-gapped', 'onprem/bitbucket-data-center/saas-api/connected'];
const HELM_STAGES = ['helm3-lint', 'helm3-template', 'helm4-lint', 'helm4-template', 'kube-schema', 'manifest-policies', 'upgrade'];

let report: ConformanceReport;
let work: string;

beforeAll(async () => {
  work = join(mkdtempSync(join(tmpdir(), 'installctl-chart-cells-')), 'cells');
  report = await conformance({ only: ['connected', 'air-gapped'], shard: null, helm: ['3', '4'], jobs: 2, reportDir: null, affected: null, workDir: work });
}, 600_000);

describe('charts with every renderable cell\'s emitted values', () => {
  it('covers every supported and conditional cell', () => {
    expect(report.cells.filter((cell) => cell.status !== 'unsupported')).toHaveLength(supportMatrix().cells().filter((cell) => cell.status !== 'unsupported').length);
  });

  it.each(REPRESENTATIVE)('%s renders the same manifests as reviewed (golden)', async (id) => {
    const [helm4] = await helmBinaries(['4']);
    const helmDir = join(work, id.replace(/\//g, '__'), 'out', 'helm');
    const documents: string[] = [];
    for (const chart of ['model-server', 'agent-platform'] as const) {
      const values = join(helmDir, `${chart}.values.yaml`);
      if (!existsSync(values)) continue;
      const result = await helmTemplate({ helm: helm4!.path, chartDir: chartDir(chart), valuesFiles: [values, join(helmDir, `${chart}.infra.values.json`)], releaseName: chart, namespace: `acme-prod-${chart === 'model-server' ? 'models' : 'platform'}` });
      expect(result.ok, result.stderr).toBe(true);
      documents.push(result.stdout);
    }
    expectGolden(join(GOLDEN, `${id.replace(/\//g, '__')}.yaml`), documents.join(''));
  });

  it('passes helm lint and template under Helm 3 and 4, the Kubernetes schemas and the manifest policies in every cell', () => {
    const failures = report.cells
      .filter((cell) => cell.status !== 'unsupported')
      .flatMap((cell) => cell.stages.filter((stage) => stage.status !== 'pass').map((stage) => `${cell.id} ${stage.name}: ${stage.message}`));
    expect(failures).toEqual([]);
    for (const cell of report.cells.filter((c) => c.status !== 'unsupported')) {
      expect(cell.stages.map((stage) => stage.name).filter((name) => HELM_STAGES.includes(name))).toEqual(HELM_STAGES);
    }
  });
});
