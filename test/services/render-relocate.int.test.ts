/**
 * render --relocate: with the relocation map a push wrote, every image the release runs (hooks and
 * init containers included, as Helm renders them) comes from the mirror by digest, images.txt lists
 * those references, and a map that lacks an image is refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { render } from '../../cli/services/render.js';
import { BundleFile } from '../../cli/bundle/reader.js';
import { pushPlan } from '../../cli/bundle/push-plan.js';
import { relocationMap, type RelocationMap } from '../../cli/bundle/relocation.js';
import { synthesizeProject } from '../../cli/conformance/pulumi/synthesize.js';
import { helmBinaries } from '../../cli/conformance/helm/binaries.js';
import { helmTemplate, parseManifests } from '../../cli/conformance/helm/helm.js';
import { containersOf, podTemplates } from '../../cli/conformance/helm/pods.js';
import { checkManifests } from '../../cli/conformance/helm/manifest-policies.js';
import { chartDir } from '../../cli/emit/charts.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { UserError } from '../../cli/lib/errors.js';
import { AIR_GAPPED_SPEC, bundleFixture, makeBundle } from '../helpers/bundles.js';

// The example's own registry.mirror: a map on another registry is refused for an air-gapped spec.
const MIRROR = 'registry.acme-federal.internal/installctl';
let dir: string;
let mapFile: string;
let map: RelocationMap;

beforeAll(async () => {
  const fixture = await bundleFixture({ weightsBytes: 10 });
  const { bundle } = await makeBundle(fixture, 'acme.bundle');
  map = relocationMap({ host: 'registry.acme-federal.internal', prefix: 'installctl' }, new BundleFile(bundle).rootDigest, pushPlan(new BundleFile(bundle)));
  dir = fixture.dir;
  mapFile = join(dir, 'acme.relocation.json');
  writeFileSync(mapFile, JSON.stringify(map));
}, 120_000);

describe('render --relocate', () => {
  it('points every image at the mirror by digest; Helm renders only mirror images', async () => {
    const out = join(dir, 'relocated');
    const result = render({ spec: AIR_GAPPED_SPEC, outDir: out, relocate: mapFile });
    expect(result.valid).toBe(true);
    const images = readFileSync(join(out, 'images.txt'), 'utf8').trim().split('\n');
    const targets = new Set(map.entries.filter((entry) => entry.kind === 'image').map((entry) => entry.target));
    expect(images.length).toBeGreaterThan(8);
    for (const image of images) expect(targets.has(image), image).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { relocation?: { file: string; sha256: string } };
    expect(manifest.relocation?.file).toBe('acme.relocation.json');
    expect(manifest.relocation?.sha256).toBe(createHash('sha256').update(readFileSync(mapFile)).digest('hex'));

    // The Pulumi outputs' values layer, as the runbook has the operator produce it.
    const synthesis = await synthesizeProject(join(out, 'pulumi'));
    const [helm] = await helmBinaries(['3']);
    const rendered: string[] = [];
    for (const [chart, output] of [
      ['agent-platform', 'agentPlatformValues'],
      ['model-server', 'modelServerValues'],
    ] as const) {
      const values = join(out, 'helm', `${chart}.values.yaml`);
      const layer = parse(readFileSync(values, 'utf8')) as { global: { imageRegistry: string } };
      expect(layer.global.imageRegistry).toBe('');
      const infra = join(out, 'helm', `${chart}.infra.values.json`);
      writeFileSync(infra, JSON.stringify(synthesis.outputs[output] ?? {}));
      const template = await helmTemplate({ helm: helm!.path, chartDir: chartDir(chart), valuesFiles: [values, infra], releaseName: chart, namespace: chart });
      expect(template.ok, template.stderr).toBe(true);
      const objects = parseManifests(template.stdout);
      const violations = checkManifests(objects, { network: 'air-gapped', imageRegistry: MIRROR, platform: 'aws', publicHosts: supportMatrix().publicHosts() });
      expect(violations.filter((violation) => /image/i.test(violation.policy))).toEqual([]);
      for (const pod of podTemplates(objects)) for (const { container } of containersOf(pod.spec)) rendered.push(container.image!);
    }
    expect(rendered.length).toBeGreaterThan(8);
    for (const image of rendered) {
      expect(image.startsWith(`${MIRROR}/`), image).toBe(true);
      expect(images, image).toContain(image);
    }
  }, 180_000);

  it('refuses a map that lacks an image the release runs, naming it', () => {
    const partial = join(dir, 'partial.relocation.json');
    const dropped = map.entries.find((entry) => entry.kind === 'image' && entry.source.includes('/portal@'))!;
    writeFileSync(partial, JSON.stringify({ ...map, entries: map.entries.filter((entry) => entry !== dropped) }));
    let error: unknown;
    try {
      render({ spec: AIR_GAPPED_SPEC, outDir: join(dir, 'partial'), relocate: partial });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('RELOCATION_INCOMPLETE');
    expect((error as UserError).message).toContain(dropped.source);
  });

  it('refuses a file that is not a relocation map', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'installctl-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'RelocationMap', entries: [{ kind: 'image', source: 'a/b@sha256:1', target: 'mirror/b:latest' }] }));
    expect(() => render({ spec: AIR_GAPPED_SPEC, outDir: join(dir, 'bad'), relocate: bad })).toThrow(expect.objectContaining({ code: 'RELOCATION_MAP_INVALID' }));
    writeFileSync(bad, JSON.stringify({ ...map, entries: [{ ...map.entries[0]!, target: 'mirror/b:latest' }] }));
    expect(() => render({ spec: AIR_GAPPED_SPEC, outDir: join(dir, 'bad'), relocate: bad })).toThrow(expect.objectContaining({ code: 'RELOCATION_TARGET_INVALID' }));
  });
});
