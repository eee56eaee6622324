/** bundle push against real registries (docker-registry 2.8), cross-checked with skopeo. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushBundle, type PushEvent } from '../../cli/services/bundle-push.js';
import { SIGNATURE_SKIPPED } from '../../cli/bundle/signature-policy.js';
import { BundleFile } from '../../cli/bundle/reader.js';
import type { RelocationMap } from '../../cli/bundle/relocation.js';
import { UserError } from '../../cli/lib/errors.js';
import { AIR_GAPPED_SPEC, bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { render } from '../../cli/services/render.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { expectBundleInRegistry, filesFor, skopeo, startRegistry, type TestRegistry } from '../helpers/registry.js';

const recordTag = (file: string) => {
  const { manifest } = new BundleFile(file);
  return `${manifest.install}-${manifest.release}`;
};
const sha = (text: string | Buffer) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const MiB = 1024 * 1024;

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

let fixture: BundleFixture;
let bundle: string;

beforeAll(async () => {
  fixture = await bundleFixture();
  bundle = (await makeBundle(fixture, 'acme.bundle', { weightsDir: fixture.weightsDir, includeWeights: true, weightsPartSize: MiB })).bundle;
}, 120_000);

describe('bundle push to a plain-HTTP registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => void (registry = await startRegistry()), 30_000);
  afterAll(async () => registry?.stop());

  it('delivers every item; skopeo reads each manifest back with the bundle digest and copies images whole', async () => {
    const events: PushEvent[] = [];
    const result = await pushBundle({
      file: bundle,
      registry: `${registry.host}/mirror`,
      plainHttp: true,
      key: fixture.publicKey,
      chunkSize: 512 * 1024,
      onEvent: (event) => events.push(event),
    });
    expect(result.signature).toBe('valid');
    expect(result.probe.apiVersion).toBe('registry/2.0');
    // The plan came before any byte, and every unique blob was sent exactly once; the rest were mounts.
    const planAt = events.findIndex((event) => event.type === 'plan');
    expect(planAt).toBeLessThan(events.findIndex((event) => event.type === 'bytes'));
    expect(result.plan.blobs.present).toBe(0);
    expect(result.sent.length).toBe(result.plan.blobs.unique);
    expect(new Set(result.sent.map((blob) => blob.digest)).size).toBe(result.sent.length);
    expect(result.mounted).toBe(result.plan.blobs.toMount);
    expect(result.bytesSent).toBe(result.plan.bytes.toSend);
    // Weights parts of 1 MiB went up in 512 KiB chunks.
    expect(events.some((event) => event.type === 'chunk')).toBe(true);
    expect(result.manifests.put).toBe(result.plan.manifests);
    expectBundleInRegistry(registry, bundle, 'mirror');

    // skopeo copies a multi-arch image (index and both platforms) out of the registry, digests intact.
    const image = new BundleFile(bundle).manifest.images[0]!;
    const out = mkdtempSync(join(tmpdir(), 'installctl-skopeo-'));
    skopeo(registry, ['copy', '--all', '--preserve-digests', `docker://${registry.host}/mirror/${image.repository}@${image.digest}`, `oci:${out}:copied`]);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(index.manifests[0]!.digest).toBe(image.digest);
    const platforms = JSON.parse(readFileSync(join(out, 'blobs', 'sha256', image.digest.slice(7)), 'utf8')) as { manifests: unknown[] };
    expect(platforms.manifests).toHaveLength(2);

    // The root index (the signed digest) is in the registry too, tagged install-release.
    const tagged = skopeo(registry, ['inspect', '--raw', `docker://${registry.host}/mirror/installctl/bundles:${recordTag(bundle)}`]);
    expect(sha(tagged)).toBe(new BundleFile(bundle).rootDigest);

    // Receipt and relocation map; the journal is gone once the push is complete.
    const relocation = JSON.parse(readFileSync(result.relocation!, 'utf8')) as RelocationMap;
    const images = relocation.entries.filter((entry) => entry.kind === 'image');
    expect(images.length).toBe(new BundleFile(bundle).manifest.images.length);
    for (const entry of images) expect(entry.target).toMatch(new RegExp(`^${registry.host.replace('.', '\\.')}/mirror/[a-z0-9/._-]+@sha256:[0-9a-f]{64}$`));
    const receipt = JSON.parse(readFileSync(result.receipt!, 'utf8')) as { kind: string; bundle: { rootDigest: string }; items: unknown[] };
    expect(receipt.kind).toBe('DeliveryReceipt');
    expect(receipt.bundle.rootDigest).toBe(result.rootDigest);
    expect(receipt.items).toHaveLength(result.plan.items);
    expect(existsSync(filesFor(bundle, `${registry.host}/mirror`).journal)).toBe(false);
    expectSchemaDef('bundle.schema.json', 'relocationMap', relocation);
    expectSchemaDef('bundle.schema.json', 'deliveryReceipt', receipt);
    expectSchemaDef('cli-output.schema.json', 'bundlePush', result);
  }, 120_000);

  it('gives render --relocate a map whose every image reference resolves in the registry', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'installctl-relocated-')), 'out');
    // The test registry is not the example's registry.mirror: an air-gapped spec needs allowOtherRegistry.
    const rendered = render({ spec: AIR_GAPPED_SPEC, outDir: out, relocate: filesFor(bundle, `${registry.host}/mirror`).relocation, allowOtherRegistry: true });
    expect(rendered.valid).toBe(true);
    const images = readFileSync(join(out, 'images.txt'), 'utf8').trim().split('\n');
    expect(images.length).toBeGreaterThan(8);
    for (const image of images) {
      expect(image.startsWith(`${registry.host}/mirror/`), image).toBe(true);
      expect(sha(skopeo(registry, ['inspect', '--raw', `docker://${image}`])), image).toBe(image.slice(image.indexOf('@') + 1));
    }
  }, 60_000);

  it('sends nothing the second time: every blob is already there', async () => {
    const result = await pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/mirror`, plainHttp: true });
    expect(result.plan.blobs.present).toBe(result.plan.blobs.total);
    expect(result.plan.bytes.toSend).toBe(0);
    expect(result.sent).toEqual([]);
    expect(result.mounted).toBe(0);
    expect(result.signature).toBe(SIGNATURE_SKIPPED);
  }, 60_000);

  it('mounts from repositories that already hold a blob instead of sending it again', async () => {
    // A different prefix shares no repository with the first push: everything is sent once more.
    const other = await pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/second`, plainHttp: true });
    expect(other.sent.length).toBe(other.plan.blobs.unique);
    expect(other.mounted).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a bundle whose signature does not match --key, before sending anything', async () => {
    const stranger = await bundleFixture({ weightsBytes: 10 });
    const error = await failure(pushBundle({ file: bundle, registry: `${registry.host}/refused`, plainHttp: true, key: stranger.publicKey }));
    expect(error.code).toBe('BUNDLE_SIGNATURE_INVALID');
    expect(error.exitCode).toBe(3);
    expect(skopeoFails(registry, `docker://${registry.host}/refused/installctl/bundles:${recordTag(bundle)}`)).toBe(true);
  }, 60_000);

  it('names a bad --registry value', async () => {
    const error = await failure(pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/Upper Case`, plainHttp: true }));
    expect(error.code).toBe('REGISTRY_TARGET_INVALID');
  });
});

function skopeoFails(registry: TestRegistry, reference: string): boolean {
  try {
    skopeo(registry, ['inspect', '--raw', reference]);
    return false;
  } catch {
    return true;
  }
}

describe('bundle push with basic auth (htpasswd)', () => {
  const auth = { username: 'pusher', password: 's3cret-for-tests' };
  let registry: TestRegistry;
  beforeAll(async () => void (registry = await startRegistry({ auth })), 30_000);
  afterAll(async () => registry?.stop());

  it('pushes with the right credentials', async () => {
    const result = await pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/site`, plainHttp: true, ...auth });
    expect(result.probe.auth).toBe('basic');
    expectBundleInRegistry(registry, bundle, 'site', auth);
  }, 120_000);

  it('says which credentials failed, without a stack', async () => {
    const wrong = await failure(pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/site`, plainHttp: true, username: auth.username, password: 'wrong' }));
    expect(wrong.code).toBe('REGISTRY_AUTH_FAILED');
    const none = await failure(pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/site`, plainHttp: true }));
    // No credentials at all (and no Docker config): the registry wants some, it refused none.
    expect(none.code).toBe('REGISTRY_AUTH_REQUIRED');
    expect(none.hint).toMatch(/--username/);
  }, 60_000);
});

describe('bundle push over TLS with a private CA', () => {
  let registry: TestRegistry;
  beforeAll(async () => void (registry = await startRegistry({ tls: true })), 30_000);
  afterAll(async () => registry?.stop());

  it('pushes when given the CA', async () => {
    const result = await pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/tls`, caFile: registry.caFile! });
    expect(result.probe.tls).toBe(true);
    expectBundleInRegistry(registry, bundle, 'tls');
  }, 120_000);

  it('fails the probe with REGISTRY_TLS_FAILED without the CA, or with --plain-http', async () => {
    const untrusted = await failure(pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/tls` }));
    expect(untrusted.code).toBe('REGISTRY_TLS_FAILED');
    expect(untrusted.hint).toMatch(/--ca-file/);
    const plain = await failure(pushBundle({ allowUnsigned: true, file: bundle, registry: `${registry.host}/tls`, plainHttp: true }));
    expect(plain.code).toBe('REGISTRY_TLS_FAILED');
  }, 60_000);
});
