/** Relocation maps for tests: a legitimate one for every image the charts name, and a way to break it. */
import type { RelocationMap } from '../../cli/bundle/relocation.js';
import { baseValues, type ChartName } from '../../cli/emit/charts.js';

export const ROOT_DIGEST = `sha256:${'f'.repeat(64)}`;
export const CHARTS: ChartName[] = ['agent-platform', 'model-server'];

/** Every image of both charts' own values, as `registry/repository@digest` with its digest. */
export function chartSources(): Array<{ source: string; repository: string; digest: string }> {
  const out = new Map<string, { source: string; repository: string; digest: string }>();
  for (const chart of CHARTS) {
    for (const image of Object.values(baseValues(chart).images as Record<string, { registry: string; repository: string; digest: string }>)) {
      const source = `${image.registry}/${image.repository}@${image.digest}`;
      out.set(source, { source, repository: image.repository, digest: image.digest });
    }
  }
  return [...out.values()];
}

/** The map bundle push would write for a push to `registry` (HOST[:PORT][/PREFIX]). */
export function legitimateMap(registry = 'registry.acme.internal:5000/site'): RelocationMap {
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'RelocationMap',
    registry,
    rootDigest: ROOT_DIGEST,
    entries: [
      ...chartSources().map(({ source, repository, digest }) => ({ kind: 'image' as const, source, target: `${registry}/${repository}@${digest}`, digest })),
      { kind: 'chart', source: 'agent-platform', target: `${registry}/charts/agent-platform@sha256:${'1'.repeat(64)}`, digest: `sha256:${'1'.repeat(64)}` },
      { kind: 'bundle', source: 'acme-2026.11.0', target: `${registry}/installctl/bundles@${ROOT_DIGEST}`, digest: ROOT_DIGEST },
    ],
  };
}

/** A copy of map with entries[index] changed. */
export function withEntry(map: RelocationMap, index: number, change: Record<string, unknown>): RelocationMap {
  const copy = structuredClone(map);
  copy.entries[index] = { ...copy.entries[index]!, ...change } as RelocationMap['entries'][number];
  return copy;
}
