/**
 * One registry source for a render: every registry reference in RUNBOOK.md and the values layers is
 * the effective registry (the relocation map's, else spec.registry.mirror, else the vendor's), for
 * every example, without a map, with a map on the mirror, and with a map on another registry.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { planRender } from '../../cli/services/render.js';
import { init } from '../../cli/services/init.js';
import { checkMapRegistry, normalizeRegistry, registrySource, sameRegistry, VENDOR_REGISTRY } from '../../cli/emit/registry-source.js';
import { REPO } from '../helpers/cli.js';
import { legitimateMap } from '../helpers/relocation.js';

const dir = mkdtempSync(join(tmpdir(), 'installctl-registry-source-'));
const OTHER = 'mirror.other-site.internal:5000/team';
const EXAMPLES = readdirSync(join(REPO, 'examples'))
  .filter((name) => name.endsWith('.yaml'))
  .sort();

describe('sameRegistry', () => {
  it.each([
    ['registry.acme.internal/installctl', 'registry.acme.internal/installctl', true],
    ['Registry.ACME.internal/installctl', 'registry.acme.internal/installctl', true],
    ['registry.acme.internal:443/installctl', 'registry.acme.internal/installctl', true],
    ['registry.acme.internal/installctl/', 'registry.acme.internal//installctl', true],
    ['https://registry.acme.internal/installctl', 'registry.acme.internal/installctl', true],
    ['registry.acme.internal:5000/installctl', 'registry.acme.internal/installctl', false],
    ['registry.acme.internal/installctl/sub', 'registry.acme.internal/installctl', false],
    ['registry.acme.internal/install', 'registry.acme.internal/installctl', false],
    ['registry.acme.internal', 'registry.acme.internal/installctl', false],
    ['other.acme.internal/installctl', 'registry.acme.internal/installctl', false],
    ['[fd00::1]:5000/x', '[FD00::1]:5000/x', true],
  ])('%s vs %s: %s', (a, b, same) => {
    expect(sameRegistry(a, b)).toBe(same);
    expect(sameRegistry(b, a)).toBe(same);
  });

  it('keeps the path case (repositories are lowercase by the grammar; a host is not case-sensitive)', () => {
    expect(normalizeRegistry('HOST.example/Team')).toEqual({ host: 'host.example', path: ['Team'] });
  });
});

describe('checkMapRegistry', () => {
  it.each([
    ['connected, same', false, false, 'registry.acme.internal/x', []],
    ['connected, other', false, false, OTHER, ['warning']],
    ['connected, no mirror', false, false, null, ['warning']],
    ['air-gapped, same', true, false, 'registry.acme.internal/x', []],
    ['air-gapped, other, allowed', true, true, OTHER, ['warning']],
  ] as const)('%s', (_, airGapped, allow, mirror, severities) => {
    const issues = checkMapRegistry('map.json', 'registry.acme.internal/x', mirror, airGapped, allow);
    expect(issues.map((issue) => issue.severity)).toEqual(severities);
    for (const issue of issues) expect(issue.code).toBe('RELOCATION_REGISTRY_MISMATCH');
  });

  it('refuses another registry for an air-gapped spec (exit 2)', () => {
    expect(() => checkMapRegistry('map.json', OTHER, 'registry.acme.internal/x', true, false)).toThrow(
      expect.objectContaining({ code: 'RELOCATION_REGISTRY_MISMATCH', exitCode: 2 }),
    );
  });

  it('the nodes pull with their cloud identity only from the mirror the stack creates', () => {
    expect(registrySource('1.dkr.ecr.us-east-1.amazonaws.com/x', null, true).nodeIdentity).toBe(true);
    expect(registrySource('1.dkr.ecr.us-east-1.amazonaws.com/x', OTHER, true).nodeIdentity).toBe(false);
    expect(registrySource(null, null, false)).toMatchObject({ registry: VENDOR_REGISTRY, host: VENDOR_REGISTRY, mirrored: false });
  });
});

/** Every registry host RUNBOOK.md writes, by the shapes it writes them in. */
function runbookRegistryHosts(runbook: string): string[] {
  const shapes = [
    /oci:\/\/([^\s/'"`]+)/g,
    /--registry '?([^\s/'"`]+)/g,
    /'\{"auths":\{"%s":\{"auth":"%s"\}\}\}\\n' '?([^\s/'"`]+)/g,
    /(?:user|password or token) for ([^\s/'"`:]+(?::\d+)?)/g,
    /trust it for ([^\s/'"`]+)/g,
    /oras pull '?([^\s/'"`]+)/g,
    /image\.repository=([^\s/'"`]+)/g,
    /images are pulled from ([^\s/'"`]+)/g,
    /# ([^\s/'"`]+): the nodes pull from the install's/g,
  ];
  return shapes.flatMap((shape) => [...runbook.matchAll(shape)].map((match) => match[1]!));
}

const hostOf = (registry: string) => registry.split('/')[0]!;

const cases = EXAMPLES.flatMap((example) => {
  const spec = parse(readFileSync(join(REPO, 'examples', example), 'utf8')) as { spec: { registry?: { mirror: string } } };
  const mirror = spec.spec.registry?.mirror ?? null;
  return [
    { name: `${example}, no map`, example, mirror, map: null as string | null },
    ...(mirror ? [{ name: `${example}, map on the mirror`, example, mirror, map: mirror }] : []),
    { name: `${example}, map on another registry`, example, mirror, map: OTHER },
  ];
});

describe('every registry reference of a render comes from the effective registry', () => {
  it.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_, { example, mirror, map }) => {
    let relocate: string | null = null;
    if (map) {
      relocate = join(dir, `${example}.${map.replace(/[^a-z0-9]/g, '-')}.relocation.json`);
      writeFileSync(relocate, JSON.stringify(legitimateMap(map)));
    }
    const { rendered } = planRender({ spec: join(REPO, 'examples', example), outDir: join(dir, 'never-written'), relocate, allowOtherRegistry: true });
    expect(rendered).not.toBeNull();
    const effective = map ?? mirror ?? VENDOR_REGISTRY;
    const host = hostOf(effective);
    const runbook = rendered!.files.get('RUNBOOK.md')!;
    const hosts = runbookRegistryHosts(runbook);
    expect(hosts.length).toBeGreaterThan(0);
    expect(new Set(hosts)).toEqual(new Set([host]));
    // No other registry's host anywhere in the runbook: not the spec's mirror, not the vendor's.
    for (const other of [mirror, VENDOR_REGISTRY]) if (other && hostOf(other) !== host) expect(runbook).not.toContain(hostOf(other));

    for (const chart of ['agent-platform', 'model-server']) {
      const text = rendered!.files.get(`helm/${chart}.values.yaml`);
      if (!text) continue;
      const values = parse(text) as { global: { imageRegistry: string }; images?: Record<string, { registry: string }> };
      expect([map ? '' : mirror ? effective : '']).toContain(values.global.imageRegistry);
      for (const image of Object.values(values.images ?? {})) expect(image.registry).toBe(host);
    }
    if (map) for (const image of rendered!.files.get('images.txt')!.trim().split('\n')) expect(image.startsWith(`${effective}/`), image).toBe(true);
  });
});

describe('a map on another registry and what it does not move', () => {
  const ON_MIRROR = 'registry.acme.internal/x/weights/qwen@sha256:' + 'a'.repeat(64);
  const ELSEWHERE = 'models.acme.internal/qwen@sha256:' + 'b'.repeat(64);

  it.each([
    ['air-gapped, allowed', true],
    ['connected', false],
  ] as const)('%s: the warning names each spec weights reference left on the mirror host', (_, airGapped) => {
    const [issue] = checkMapRegistry('map.json', OTHER, 'registry.acme.internal/x', airGapped, true, [ON_MIRROR, ELSEWHERE]);
    expect(issue!.code).toBe('RELOCATION_REGISTRY_MISMATCH');
    expect(issue!.message).toContain(ON_MIRROR);
    expect(issue!.message).not.toContain(ELSEWHERE);
  });

  it('air-gapped without the flag: refused, the references in its details', () => {
    expect(() => checkMapRegistry('map.json', OTHER, 'registry.acme.internal/x', true, false, [ON_MIRROR])).toThrow(
      expect.objectContaining({ code: 'RELOCATION_REGISTRY_MISMATCH', details: expect.objectContaining({ specReferences: [ON_MIRROR] }) }),
    );
  });

  it('a spec without a mirror, rendered with a map: pvc weights load from the map registry, not from this host', () => {
    const spec = join(dir, 'onprem-connected-self-hosted.yaml');
    writeFileSync(spec, init({ platform: 'onprem', scm: 'gitlab-self-managed', models: 'self-hosted', network: 'connected', name: 'acme-prod', customer: 'Example Corp' }).spec);
    const relocate = join(dir, 'no-mirror.relocation.json');
    writeFileSync(relocate, JSON.stringify(legitimateMap(OTHER)));
    const { rendered } = planRender({ spec, outDir: join(dir, 'never-written'), relocate, allowOtherRegistry: true, allowPlaceholders: true });
    const runbook = rendered!.files.get('RUNBOOK.md')!;
    expect(runbook).toContain(`${OTHER}/models/<model>:weights`);
    expect(runbook).toContain('kind: Job');
    expect(runbook).not.toContain('kubectl cp');
  });
});
