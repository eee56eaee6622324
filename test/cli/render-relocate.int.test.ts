/**
 * `installctl render --relocate MAP` end to end (the built CLI): endless and huge maps are refused by
 * their size cap, hostile targets by their code, with exit 2, nothing rendered and nothing raw on the
 * terminal; a legitimate map renders mirror references.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { AIR_GAPPED_SPEC } from '../helpers/bundles.js';
import { legitimateMap, withEntry } from '../helpers/relocation.js';
import { expectSchemaDef } from '../helpers/schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'installctl-render-relocate-'));
// The example's registry.mirror; OTHER is a registry the spec does not name.
const R = 'registry.acme-federal.internal/installctl';
const OTHER = 'registry.acme-federal.internal:5000/site';
const CONNECTED_SPEC = AIR_GAPPED_SPEC.replace('aws-ghes-self-hosted-air-gapped', 'aws-github-saas-connected');

function mapFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function render(map: string, extra: string[] = ['--json'], spec = AIR_GAPPED_SPEC) {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const run = runCli(['render', spec, '--relocate', map, '--out', out, ...extra]);
  return { run, out };
}

const first = legitimateMap(R).entries[0]!;
const hostileTarget = `${first.target}\n      command: [sh, -c, "touch /tmp/owned"]`;

describe('render --relocate (CLI)', () => {
  it.each([
    ['/dev/zero', () => '/dev/zero', 'RELOCATION_MAP_TOO_LARGE'],
    ['a 320 MB map', () => (mapFile('huge.json', '{'), truncateSync(join(dir, 'huge.json'), 320 * 1024 * 1024), join(dir, 'huge.json')), 'RELOCATION_MAP_TOO_LARGE'],
    ['a target with YAML after a newline', () => mapFile('newline.json', withEntry(legitimateMap(R), 0, { target: hostileTarget })), 'RELOCATION_TARGET_INVALID'],
    [
      'a target that swaps the image',
      () => mapFile('swap.json', withEntry(legitimateMap(R), 0, { target: first.target.replace(/@sha256:.*/, `@sha256:${'e'.repeat(64)}`), digest: `sha256:${'e'.repeat(64)}` })),
      'RELOCATION_DIGEST_MISMATCH',
    ],
    ['a public registry', () => mapFile('public.json', legitimateMap('docker.io/acme')), 'RELOCATION_PUBLIC_HOST'],
    ['not JSON', () => mapFile('garbage.json', '\u001b[31mnot json'), 'RELOCATION_MAP_INVALID'],
  ])('refuses %s: exit 2, its code, nothing rendered', (_, make, code) => {
    const started = Date.now();
    const { run, out } = render(make());
    expect(run.status, run.stderr).toBe(2);
    expect(run.json().error.code).toBe(code);
    expect(existsSync(out)).toBe(false);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('prints a hostile value escaped, never raw', () => {
    const { run } = render(mapFile('escape.json', withEntry(legitimateMap(R), 2, { target: `${first.target}\u001b]0;owned\u0007\u001b[2J` })), []);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('RELOCATION_TARGET_INVALID');
    expect(run.stderr).toContain('entries[2].target');
    expect(run.stderr).not.toMatch(/[\u0007\u001b]/);
    const newline = render(mapFile('newline-human.json', withEntry(legitimateMap(R), 0, { target: hostileTarget })), []).run;
    expect(newline.stderr).not.toContain('\n      command:');
  });

  it('renders a legitimate map: values and images.txt name the mirror by digest', () => {
    const { run, out } = render(mapFile('acme.relocation.json', legitimateMap(R)));
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const values = parse(readFileSync(join(out, 'helm', 'agent-platform.values.yaml'), 'utf8')) as { images: Record<string, { registry: string; repository: string }> };
    expect(values.images.api).toMatchObject({ registry: 'registry.acme-federal.internal', repository: 'installctl/agent-platform/api' });
    for (const line of readFileSync(join(out, 'images.txt'), 'utf8').trim().split('\n')) expect(line.startsWith(`${R}/`), line).toBe(true);
    expect(run.json().issues.map((issue: { code: string }) => issue.code)).not.toContain('RELOCATION_PLATFORM_NARROWED');
    expect(run.json().issues.map((issue: { code: string }) => issue.code)).not.toContain('RELOCATION_REGISTRY_MISMATCH');
  });

  it.each([
    ['another port and prefix', OTHER],
    ['another host', 'quay.corp.internal/installctl'],
    ['a prefix below the mirror', `${R}/sub`],
    ['the mirror host without its prefix', 'registry.acme-federal.internal'],
  ])('air-gapped, a map on %s: refused (exit 2, nothing rendered) unless --allow-other-registry, then a warning', (_, registry) => {
    const map = mapFile(`other-${registry.replace(/[^a-z0-9]/g, '-')}.json`, legitimateMap(registry));
    const refused = render(map);
    expect(refused.run.status, refused.run.stdout).toBe(2);
    expect(refused.run.json().error.code).toBe('RELOCATION_REGISTRY_MISMATCH');
    expect(existsSync(refused.out)).toBe(false);
    const { run, out } = render(map, ['--allow-other-registry', '--json']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.json().issues).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'RELOCATION_REGISTRY_MISMATCH' }));
    expectSchemaDef('cli-output.schema.json', 'render', run.json());
    // The RUNBOOK follows the map: pull secret and chart URLs on its host, the spec's mirror nowhere.
    const runbook = readFileSync(join(out, 'RUNBOOK.md'), 'utf8');
    expect(runbook).toContain(`oci://${registry}/charts/agent-platform`);
    expect(new Set([...runbook.matchAll(/oci:\/\/(\S+?)\/charts\//g)].map((match) => match[1]))).toEqual(new Set([registry]));
    expect(runbook).toContain(`--registry ${registry}`);
  });

  it('air-gapped, a map on the mirror with the default port written out: no warning', () => {
    const { run } = render(mapFile('same.json', legitimateMap('registry.acme-federal.internal:443/installctl')));
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.json().issues.map((issue: { code: string }) => issue.code)).not.toContain('RELOCATION_REGISTRY_MISMATCH');
  });

  it('connected spec without a mirror: a map renders with a RELOCATION_REGISTRY_MISMATCH warning', () => {
    const { run, out } = render(mapFile('connected.json', legitimateMap(OTHER)), ['--json'], CONNECTED_SPEC);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.json().issues).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'RELOCATION_REGISTRY_MISMATCH' }));
    expect(readFileSync(join(out, 'RUNBOOK.md'), 'utf8')).toContain(`oci://${OTHER}/charts/agent-platform`);
  });

  it('refuses a platform map that pins platform manifests unless asked, then warns', () => {
    const map = { ...legitimateMap(R), platform: 'linux/amd64' };
    const other = `sha256:${'e'.repeat(64)}`;
    map.entries[0] = { ...map.entries[0]!, target: first.target.replace(/@sha256:.*/, `@${other}`), digest: other };
    // Anyone who edits a map can add "platform": by itself it must not let an image be swapped.
    const refused = render(mapFile('platform.json', map));
    expect(refused.run.status).toBe(2);
    expect(refused.run.json().error.code).toBe('RELOCATION_DIGEST_MISMATCH');
    const { run } = render(mapFile('platform.json', map), ['--allow-platform-narrowed', '--json']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.json().issues).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'RELOCATION_PLATFORM_NARROWED' }));
  });
});
