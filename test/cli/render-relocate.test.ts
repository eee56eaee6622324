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

const dir = mkdtempSync(join(tmpdir(), 'installctl-render-relocate-'));
const R = 'registry.acme-federal.internal:5000/site';

function mapFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function render(map: string, extra: string[] = ['--json']) {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const run = runCli(['render', AIR_GAPPED_SPEC, '--relocate', map, '--out', out, ...extra]);
  return { run, out };
}

const first = legitimateMap(R).entries[0]!;
const hostileTarget = `${first.target}\n      command: [sh, -c, "touch /tmp/owned"]`;

describe('render --relocate (CLI)', () => {
  it.each([
    ['/dev/zero', () => '/dev/zero', 'RELOCATION_MAP_TOO_LARGE'],
    ['a 320 MB map', () => (mapFile('huge.json', '{'), truncateSync(join(dir, 'huge.json'), 320 * 1024 * 1024), join(dir, 'huge.json')), 'RELOCATION_MAP_TOO_LARGE'],
    ['a target with YAML after a newline', () => mapFile('newline.json', withEntry(legitimateMap(R), 0, { target: hostileTarget })), 'RELOCATION_TARGET_INVALID'],
    ['a target that swaps the image', () => mapFile('swap.json', withEntry(legitimateMap(R), 0, { target: first.target.replace(/@sha256:.*/, `@sha256:${'e'.repeat(64)}`), digest: `sha256:${'e'.repeat(64)}` })), 'RELOCATION_DIGEST_MISMATCH'],
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
    expect(values.images.api).toMatchObject({ registry: 'registry.acme-federal.internal:5000', repository: 'site/agent-platform/api' });
    for (const line of readFileSync(join(out, 'images.txt'), 'utf8').trim().split('\n')) expect(line.startsWith(`${R}/`), line).toBe(true);
    expect(run.json().issues.map((issue: { code: string }) => issue.code)).not.toContain('RELOCATION_PLATFORM_NARROWED');
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
