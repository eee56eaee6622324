/**
 * The charts render any catalogued release's values with the real Helm 3.17 and 4.1: the pods run
 * the release's image digests, and 2026.12.0's gitGateway.persistence (its name for 2026.11.0's
 * gitGateway.storage) gives the git gateway the same volumeClaimTemplates as the older name does.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../cli/conformance/helm/helm.js';
import { baseValues, chartImageKeys, mergeValues, type Values } from '../../cli/emit/charts.js';
import { currentRelease, findRelease } from '../../cli/releases/catalog.js';
import { RELEASES, renderAt } from '../helpers/releases.js';
import { CHART_NAMES, helmBinaries, overrideFile, render, type ChartName } from './helpers.js';

/** On-prem, bundled datastores: no infrastructure layer, so the customer layer is all Helm needs. */
const EXAMPLE = 'onprem-bitbucket-self-hosted-air-gapped.yaml';
const dir = mkdtempSync(join(tmpdir(), 'installctl-release-values-'));

function valuesFile(release: string, chart: ChartName): string {
  const file = join(dir, `${release}-${chart}.values.yaml`);
  writeFileSync(file, renderAt(EXAMPLE, release).get(`helm/${chart}.values.yaml`)!);
  return file;
}

const gitGatewayClaims = (objects: KubeObject[]) => {
  const statefulSet = objects.find((object) => object.kind === 'StatefulSet' && String(object.metadata?.name).endsWith('git-gateway'));
  expect(statefulSet, 'the git gateway StatefulSet').toBeDefined();
  return (statefulSet!.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates;
};

const digestsIn = (objects: KubeObject[]) => new Set([...JSON.stringify(objects).matchAll(/@(sha256:[0-9a-f]{64})/g)].map((match) => match[1]!));

describe.each(RELEASES)('the charts with the values of a render at %s', (release) => {
  it.each(CHART_NAMES)("%s: runs the release's images and no other (Helm 3 and 4)", async (chart) => {
    const file = valuesFile(release, chart);
    const merged = mergeValues(baseValues(chart), parse(renderAt(EXAMPLE, release).get(`helm/${chart}.values.yaml`)!) as Values);
    const images = findRelease(release)!.charts[chart].images;
    // The fetcher of a pvc model from a mirror runs in the RUNBOOK's Job, not in the chart.
    const used = chartImageKeys(chart, merged);
    const inChart = used.filter((key) => key !== 'fetcher').map((key) => images[key]!.digest);
    for (const binary of await helmBinaries()) {
      const { result, objects } = await render(chart, binary.helm, [file]);
      expect(result.ok, `${binary.name}: ${result.stderr}`).toBe(true);
      const digests = digestsIn(objects);
      expect([...digests].filter((digest) => !used.some((key) => images[key]!.digest === digest)), binary.name).toEqual([]);
      expect(inChart.filter((digest) => !digests.has(digest)), binary.name).toEqual([]);
    }
  });

  it("agent-platform: the git gateway's claim is the current release's (persistence and storage name the same cache)", async () => {
    for (const binary of await helmBinaries()) {
      const now = await render('agent-platform', binary.helm, [valuesFile(currentRelease().version, 'agent-platform')]);
      const then = await render('agent-platform', binary.helm, [valuesFile(release, 'agent-platform')]);
      expect(then.result.ok, then.result.stderr).toBe(true);
      expect(gitGatewayClaims(then.objects), binary.name).toEqual(gitGatewayClaims(now.objects));
    }
  });
});

describe('gitGateway.persistence', () => {
  it('is read instead of gitGateway.storage when both are set, and storage alone still works', async () => {
    const base = valuesFile(currentRelease().version, 'agent-platform');
    const both = overrideFile('persistence-and-storage', { gitGateway: { storage: { size: '10Gi', storageClass: 'old' }, persistence: { size: '99Gi', storageClass: 'fast-ssd' } } });
    const storage = overrideFile('storage-only', { gitGateway: { storage: { size: '10Gi', storageClass: 'old' } } });
    for (const binary of await helmBinaries()) {
      const claim = async (files: string[]) => {
        const { result, objects } = await render('agent-platform', binary.helm, files);
        expect(result.ok, result.stderr).toBe(true);
        return (gitGatewayClaims(objects)[0] as { spec: { storageClassName: string; resources: { requests: { storage: string } } } }).spec;
      };
      expect(await claim([base, both])).toMatchObject({ storageClassName: 'fast-ssd', resources: { requests: { storage: '99Gi' } } });
      expect(await claim([base, storage])).toMatchObject({ storageClassName: 'old', resources: { requests: { storage: '10Gi' } } });
    }
  });

  it('has the shape of storage in values.schema.json (a size is required)', async () => {
    const bad = overrideFile('persistence-without-size', { gitGateway: { persistence: { storageClass: 'fast-ssd' } } });
    const [binary] = await helmBinaries();
    const { result } = await render('agent-platform', binary!.helm, [valuesFile(currentRelease().version, 'agent-platform'), bad]);
    expect(result.ok).toBe(false);
    expect(result.stderr).toMatch(/persistence/);
  });
});
