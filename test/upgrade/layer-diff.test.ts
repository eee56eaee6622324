/**
 * Images and customer values between two renders (cli/upgrade/layer-diff.ts), from value files made
 * here: a layer of a later release carries the release's images under `images` and its renamed keys
 * under their new names. A renamed key reads as moved (and migrated), not as removed and added; an
 * image is compared per chart and key, a key only one side runs is listed with null on the other.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { imageChanges, valueChanges } from '../../cli/upgrade/layer-diff.js';
import { baseValues } from '../../cli/emit/charts.js';
import { releaseCatalog } from '../../cli/releases/catalog.js';

const catalog = releaseCatalog();
const release = (version: string) => catalog.find((entry) => entry.version === version)!;
const files = (agentPlatform: Record<string, unknown>, modelServer?: Record<string, unknown>) =>
  new Map([
    ['helm/agent-platform.values.yaml', `# header\n${stringify(agentPlatform)}`],
    ...(modelServer ? ([['helm/model-server.values.yaml', stringify(modelServer)]] as const) : []),
  ]);
const ref = (image: { registry: string; repository: string; tag: string; digest: string }) => `${image.registry}/${image.repository}:${image.tag}@${image.digest}`;

describe('imageChanges', () => {
  it('lists each image whose reference differs, per chart and key, from the merged values', () => {
    const next = release('2026.12.0').charts['agent-platform'].images;
    const before = files({ postgres: { mode: 'external' } });
    const after = files({ postgres: { mode: 'external' }, images: { api: next.api, migrations: next.migrations } });
    const base = (baseValues('agent-platform').images as Record<string, any>)!;
    expect(imageChanges(before, after)).toEqual([
      { chart: 'agent-platform', key: 'api', from: ref(base.api), to: ref(next.api!) },
      { chart: 'agent-platform', key: 'migrations', from: ref(base.migrations), to: ref(next.migrations!) },
    ]);
  });

  it('an image only one side runs (a datastore made bundled) has null on the other; identical renders change nothing', () => {
    const before = files({ postgres: { mode: 'external' } });
    const after = files({ postgres: { mode: 'bundled' } });
    expect(imageChanges(before, after)).toEqual([{ chart: 'agent-platform', key: 'postgres', from: null, to: expect.stringContaining('postgres-pgvector') }]);
    expect(imageChanges(before, before)).toEqual([]);
  });
});

describe('valueChanges', () => {
  const layer = (version: string, gitGateway: Record<string, unknown>) => ({ install: { release: version }, gitGateway, ingress: { className: 'nginx' } });

  it("a key the hop's release renames is moved (and migrated); images are left out; the rest is added, removed or changed", () => {
    const before = files(layer('2026.11.0', { replicas: 1, storage: { size: '50Gi' } }));
    const after = files({ ...layer('2026.12.0', { replicas: 1, persistence: { size: '50Gi' } }), images: { api: {} }, scm: { type: 'gitlab' } });
    const { values, renamedValues } = valueChanges(before, after, '2026.11.0', '2026.12.0', catalog);
    expect(values).toEqual([
      { chart: 'agent-platform', change: 'moved', path: 'gitGateway.persistence', movedFrom: 'gitGateway.storage' },
      { chart: 'agent-platform', change: 'changed', path: 'install.release', movedFrom: null },
      { chart: 'agent-platform', change: 'added', path: 'scm', movedFrom: null },
    ]);
    expect(renamedValues).toEqual([{ chart: 'agent-platform', from: 'gitGateway.storage', to: 'gitGateway.persistence', reason: expect.any(String), inLayer: true }]);
  });

  it('a moved key whose value changes too is moved and changed; a rename the layer does not set is listed as not in it', () => {
    const before = files(layer('2026.11.0', { storage: { size: '50Gi' } }));
    const after = files(layer('2026.12.0', { persistence: { size: '100Gi' } }));
    expect(valueChanges(before, after, '2026.11.0', '2026.12.0', catalog).values).toEqual([
      { chart: 'agent-platform', change: 'moved', path: 'gitGateway.persistence', movedFrom: 'gitGateway.storage' },
      { chart: 'agent-platform', change: 'changed', path: 'gitGateway.persistence.size', movedFrom: null },
      { chart: 'agent-platform', change: 'changed', path: 'install.release', movedFrom: null },
    ]);
    const unset = valueChanges(files(layer('2026.11.0', {})), files(layer('2026.12.0', {})), '2026.11.0', '2026.12.0', catalog);
    expect(unset.renamedValues).toEqual([expect.objectContaining({ from: 'gitGateway.storage', inLayer: false })]);
    expect(unset.values.map((value) => value.change)).toEqual(['changed']);
  });

  it('no rename between releases that make none; the model-server layer is compared too', () => {
    const before = files(layer('2026.10.2', { storage: { size: '50Gi' } }), { models: [{ name: 'a' }] });
    const after = files(layer('2026.11.0', { storage: { size: '50Gi' } }), { models: [{ name: 'b' }] });
    const { values, renamedValues } = valueChanges(before, after, '2026.10.2', '2026.11.0', catalog);
    expect(renamedValues).toEqual([]);
    expect(values).toEqual([
      { chart: 'agent-platform', change: 'changed', path: 'install.release', movedFrom: null },
      { chart: 'model-server', change: 'changed', path: 'models', movedFrom: null },
    ]);
  });
});
