/**
 * The relocation map on both sides: bundle push makes only maps that read back (refusing, before
 * anything is sent, a registry or repository that would break one), render --relocate reads a map
 * once under its size cap and hashes the bytes it checked, and the schema's patterns are the
 * reference grammar of cli/oci/reference.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRelocationMap, relocationMap } from '../../cli/bundle/relocation.js';
import { checkRelocationMap } from '../../cli/bundle/relocation-check.js';
import type { PushItem } from '../../cli/bundle/push-plan.js';
import { parseTarget } from '../../cli/bundle/push-target.js';
import { PINNED_REFERENCE_LENGTH_MAX, PINNED_REFERENCE_PATTERN, PINNED_REGISTRY_PATTERN } from '../../cli/oci/reference.js';
import { pushBundle } from '../../cli/services/bundle-push.js';
import { UserError } from '../../cli/lib/errors.js';
import { REPO } from '../helpers/cli.js';
import { bundleFixture, makeBundle } from '../helpers/bundles.js';
import { legitimateMap, ROOT_DIGEST } from '../helpers/relocation.js';
import { userErrorCode } from '../helpers/user-error.js';
const codeOf = (run: () => unknown) => userErrorCode(run) ?? 'accepted';

const D = `sha256:${'a'.repeat(64)}`;
const CONTEXT = { origin: 'map', hint: null };

function item(kind: PushItem['kind'], source: string, repository: string, digest = D): PushItem {
  return { kind, source, repository, digest, blobs: [], manifests: [] };
}

const ITEMS: PushItem[] = [
  item('image', `registry.installctl.dev/agent-platform/api@${D}`, 'agent-platform/api'),
  item('chart', 'agent-platform', 'charts/agent-platform'),
  item('bundle', 'acme-2026.11.0', 'installctl/bundles', ROOT_DIGEST),
];

describe('schemas/bundle.schema.json#/$defs/relocationMap', () => {
  it('uses the reference grammar of cli/oci/reference.ts for registry, targets and image sources', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'bundle.schema.json'), 'utf8')).$defs.relocationMap;
    expect(schema.properties.registry.pattern).toBe(PINNED_REGISTRY_PATTERN);
    expect(schema.properties.entries.items.properties.target.pattern).toBe(PINNED_REFERENCE_PATTERN);
    expect(schema.properties.entries.items.properties.target.maxLength).toBe(PINNED_REFERENCE_LENGTH_MAX);
    expect(schema.properties.entries.items.then.properties.source.pattern).toBe(PINNED_REFERENCE_PATTERN);
  });
});

describe('relocationMap (bundle push)', () => {
  it.each(['registry.acme.internal:5000/installctl', 'registry.acme.internal', '[fd00::1]:5000/a/b', 'localhost:5000', '127.0.0.1:5000/mirror'])(
    'makes a map for %s that reads back',
    (registry) => {
      const map = relocationMap(parseTarget(registry), ROOT_DIGEST, ITEMS);
      expect(map.registry).toBe(registry);
      const checked = checkRelocationMap(JSON.parse(JSON.stringify(map)), CONTEXT);
      expect(checked.images.get(ITEMS[0]!.source)).toEqual({
        registry: registry.split('/')[0],
        repository: `${registry.includes('/') ? `${registry.slice(registry.indexOf('/') + 1)}/` : ''}agent-platform/api`,
        digest: D,
      });
    },
  );

  it.each([
    ['a --registry without a dot or port (Docker Hub would serve it)', 'mirror', ITEMS, 'REGISTRY_TARGET_INVALID'],
    ['a public --registry', 'ghcr.io/acme', ITEMS, 'RELOCATION_PUBLIC_HOST'],
    ['a bundle repository with a space', 'registry.acme.internal', [item('image', ITEMS[0]!.source, 'agent platform/api')], 'RELOCATION_TARGET_INVALID'],
    ['a bundle repository with a newline', 'registry.acme.internal', [item('chart', 'x', 'charts/x\n  command: [sh]')], 'RELOCATION_TARGET_INVALID'],
    ['a bundle repository in upper case', 'registry.acme.internal', [item('chart', 'x', 'Charts/X')], 'RELOCATION_TARGET_INVALID'],
    ['an empty bundle repository', 'registry.acme.internal', [item('chart', 'x', '')], 'RELOCATION_TARGET_INVALID'],
    ['a bundle image source with a tag', 'registry.acme.internal', [item('image', `registry.installctl.dev/a:1@${D}`, 'a')], 'RELOCATION_SOURCE_INVALID'],
    ['a bundle image whose digest is not its source', 'registry.acme.internal', [item('image', ITEMS[0]!.source, 'a', `sha256:${'b'.repeat(64)}`)], 'RELOCATION_DIGEST_MISMATCH'],
  ])('refuses %s', (_, registry, items, code) => {
    expect(codeOf(() => relocationMap(parseTarget(registry), ROOT_DIGEST, items))).toBe(code);
  });

  it('records --platform, so image entries may pin the platform manifest (accepted only on request)', () => {
    const narrowed = [item('image', ITEMS[0]!.source, 'agent-platform/api', `sha256:${'b'.repeat(64)}`)];
    const map = relocationMap(parseTarget('registry.acme.internal'), ROOT_DIGEST, narrowed, 'linux/amd64');
    expect(map.platform).toBe('linux/amd64');
    expect(codeOf(() => checkRelocationMap(map, CONTEXT))).toBe('RELOCATION_DIGEST_MISMATCH');
    expect(checkRelocationMap(map, { ...CONTEXT, allowPlatformNarrowed: true }).narrowed).toEqual([ITEMS[0]!.source]);
    expect('platform' in relocationMap(parseTarget('registry.acme.internal'), ROOT_DIGEST, ITEMS)).toBe(false);
  });
});

describe('bundle push refuses a registry no map could name before it sends anything', () => {
  let server: Server;
  let requests = 0;
  let bundle: string;

  beforeAll(async () => {
    server = createServer((_, response) => {
      requests++;
      response.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    bundle = (await makeBundle(await bundleFixture({ weightsBytes: 10 }), 'acme.bundle')).bundle;
  }, 120_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a bare word as the host (Docker Hub would serve it) is refused with no request', async () => {
    const error = await pushBundle({ allowUnsigned: true, file: bundle, registry: 'mirror/site', plainHttp: true }).catch((caught: unknown) => caught);
    expect((error as UserError).code).toBe('REGISTRY_TARGET_INVALID');
    expect(requests).toBe(0);
  });

  it('an upper-case host names the same registry: the map it would write is in lower case', () => {
    expect(relocationMap(parseTarget('REGISTRY.Acme.Internal:5000/site'), ROOT_DIGEST, ITEMS).registry).toBe('registry.acme.internal:5000/site');
  });
});

describe('readRelocationMap (render --relocate)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-relocation-'));

  it('hashes exactly the bytes it checked', () => {
    const file = join(dir, 'acme.relocation.json');
    writeFileSync(file, JSON.stringify(legitimateMap(), null, 2));
    const read = readRelocationMap(file);
    expect(read.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(read.images.size).toBeGreaterThan(5);
  });

  it('reads the file once (a FIFO can be read only once)', async () => {
    const fifo = join(dir, 'fifo.relocation.json');
    execFileSync('mkfifo', [fifo]);
    const text = JSON.stringify(legitimateMap());
    const writer = spawn('sh', ['-c', `printf '%s' "$MAP" > ${fifo}`], { env: { ...process.env, MAP: text } });
    const read = readRelocationMap(fifo);
    expect(read.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    await new Promise((resolve) => writer.on('close', resolve));
  });

  it.each([
    ['/dev/zero', () => '/dev/zero', 'RELOCATION_MAP_TOO_LARGE'],
    ['a missing file', () => join(dir, 'missing.json'), 'FILE_NOT_FOUND'],
    ['a directory', () => dir, 'FILE_IS_DIRECTORY'],
  ])('refuses %s with a code', (_, file, code) => {
    expect(codeOf(() => readRelocationMap(file()))).toBe(code);
  });
});
