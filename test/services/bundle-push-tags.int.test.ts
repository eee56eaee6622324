/**
 * bundle push tags every item (so registry retention keeps it) and keeps one receipt and relocation
 * map per registry; against docker-registry 2.8, cross-checked with skopeo list-tags.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { pushBundle } from '../../cli/services/bundle-push.js';
import { BundleFile } from '../../cli/bundle/reader.js';
import type { RelocationMap } from '../../cli/bundle/relocation.js';
import type { DeliveryReceipt } from '../../cli/generated/bundle.js';
import { UserError } from '../../cli/lib/errors.js';
import { bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { filesFor, skopeo, startRegistry, type TestRegistry } from '../helpers/registry.js';

const sha = (text: string | Buffer) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

let fixture: BundleFixture;
let bundle: string;
/** The same spec and release, images narrowed to one platform: other digests under the same tags. */
let narrowed: string;
let registry: TestRegistry;

beforeAll(async () => {
  fixture = await bundleFixture();
  bundle = (await makeBundle(fixture, 'acme.bundle')).bundle;
  narrowed = (await makeBundle(fixture, 'acme-amd64.bundle', { platform: 'linux/amd64' })).bundle;
  registry = await startRegistry();
}, 120_000);
afterAll(async () => registry?.stop());

const tagsOf = (repository: string) => (JSON.parse(skopeo(registry, ['list-tags', `docker://${registry.host}/${repository}`])) as { Tags: string[] }).Tags;
const digestOf = (reference: string) => sha(skopeo(registry, ['inspect', '--raw', `docker://${registry.host}/${reference}`]));

describe('bundle push tags', () => {
  it('tags every image with the release (images.txt pins by digest only), charts with their version, the root with INSTALL-RELEASE', async () => {
    const result = await pushBundle({ file: bundle, registry: `${registry.host}/mirror`, plainHttp: true, key: fixture.publicKey });
    const { manifest, rootDigest } = new BundleFile(bundle);
    expect(manifest.images.length).toBeGreaterThan(3);
    for (const image of manifest.images) {
      expect(image.tag).toBeNull();
      expect(tagsOf(`mirror/${image.repository}`), image.repository).toEqual([manifest.release]);
      expect(digestOf(`mirror/${image.repository}:${manifest.release}`)).toBe(image.digest);
    }
    for (const chart of manifest.charts) expect(tagsOf(`mirror/${chart.repository}`)).toEqual([chart.tag]);
    expect(tagsOf('mirror/installctl/bundles')).toEqual([`${manifest.install}-${manifest.release}`]);
    expect(digestOf(`mirror/installctl/bundles:${manifest.install}-${manifest.release}`)).toBe(rootDigest);

    // The receipt lists the tags per item; the map records them beside targets that stay pinned by digest.
    const receipt = JSON.parse(readFileSync(result.receipt!, 'utf8')) as DeliveryReceipt;
    for (const item of receipt.items.filter((entry) => entry.kind === 'image')) expect(item.tags).toEqual([manifest.release]);
    expect(receipt.items.every((item) => item.tags.length === 1)).toBe(true);
    const map = JSON.parse(readFileSync(result.relocation!, 'utf8')) as RelocationMap;
    for (const entry of map.entries) {
      expect(entry.tag, entry.source).toBeTruthy();
      expect(entry.target).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
    expectSchemaDef('bundle.schema.json', 'deliveryReceipt', receipt);
    expectSchemaDef('bundle.schema.json', 'relocationMap', map);
    expect(result.plan.tags).toEqual({ total: result.plan.items, present: 0, toSet: result.plan.items, moved: [] });
  }, 120_000);

  it('a second push of the same bundle finds every tag in place and moves none', async () => {
    const result = await pushBundle({ file: bundle, registry: `${registry.host}/mirror`, plainHttp: true, key: fixture.publicKey });
    expect(result.plan.tags).toEqual({ total: result.plan.items, present: result.plan.items, toSet: 0, moved: [] });
  }, 60_000);

  it('with --keep-existing-tags, refuses a bundle whose tags name other digests, before sending anything', async () => {
    const { manifest } = new BundleFile(bundle);
    const image = manifest.images[0]!;
    const error = await pushBundle({ file: narrowed, registry: `${registry.host}/mirror`, plainHttp: true, key: fixture.publicKey, keepExistingTags: true }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('PUSH_TAG_CONFLICT');
    expect((error as UserError).exitCode).toBe(6);
    // Nothing moved, and the narrowed bundle's platform manifests were not put as the tag.
    expect(digestOf(`mirror/${image.repository}:${manifest.release}`)).toBe(image.digest);
    expect(existsSync(filesFor(narrowed, `${registry.host}/mirror`).receipt)).toBe(false);
  }, 60_000);

  it('by default moves them, as crane copy does, and names every move in the plan', async () => {
    const { manifest } = new BundleFile(bundle);
    const other = new BundleFile(narrowed).manifest;
    const result = await pushBundle({ file: narrowed, registry: `${registry.host}/mirror`, plainHttp: true, key: fixture.publicKey });
    const movedImages = result.plan.tags.moved.filter((move) => manifest.images.some((image) => `mirror/${image.repository}` === move.repository));
    expect(movedImages.length).toBe(manifest.images.length);
    for (const image of other.images) expect(digestOf(`mirror/${image.repository}:${other.release}`)).toBe(image.digest);
    // The digests the tags named before are still there, by digest.
    for (const image of manifest.images) expect(digestOf(`mirror/${image.repository}@${image.digest}`)).toBe(image.digest);
  }, 120_000);
});

describe('bundle push keeps one receipt and relocation map per registry', () => {
  it('a push into a second registry leaves the first one files as they were', async () => {
    const first = filesFor(bundle, `${registry.host}/mirror`);
    const before = { receipt: readFileSync(first.receipt, 'utf8'), relocation: readFileSync(first.relocation, 'utf8') };
    const second = await pushBundle({ file: bundle, registry: `${registry.host}/mirror/prod`, plainHttp: true, key: fixture.publicKey });
    expect(second.receipt).toBe(filesFor(bundle, `${registry.host}/mirror/prod`).receipt);
    expect(second.receipt).not.toBe(first.receipt);
    expect(second.relocation).not.toBe(first.relocation);
    expect(readFileSync(first.receipt, 'utf8')).toBe(before.receipt);
    expect(readFileSync(first.relocation, 'utf8')).toBe(before.relocation);
    expect((JSON.parse(readFileSync(second.relocation!, 'utf8')) as RelocationMap).registry).toBe(`${registry.host}/mirror/prod`);
    expect((JSON.parse(before.relocation) as RelocationMap).registry).toBe(`${registry.host}/mirror`);
  }, 120_000);
});
