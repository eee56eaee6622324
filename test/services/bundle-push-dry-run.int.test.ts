/** bundle push --dry-run: the plan from GET /v2/ and HEADs only; nothing sent, put or written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pushBundle } from '../../cli/services/bundle-push.js';
import { BundleFile } from '../../cli/bundle/reader.js';
import { bundleFixture, type BundleFixture, makeBundle } from '../helpers/bundles.js';
import { startFakeRegistry, type FakeRegistry } from '../helpers/fake-registry.js';
import { filesFor } from '../helpers/registry.js';
import { expectSchemaDef } from '../helpers/schemas.js';

let fixture: BundleFixture;

let bundle: string;
let fake: FakeRegistry;

beforeAll(async () => {
  fixture = await bundleFixture();
  bundle = (await makeBundle(fixture, 'acme.bundle', { weightsDir: fixture.weightsDir, includeWeights: true })).bundle;
  fake = await startFakeRegistry();
}, 120_000);
afterAll(async () => fake?.close());

/** What reached the registry since `from`, other than GET /v2/ and HEADs. */
const writes = (from: number) => fake.requests.slice(from).filter((request) => !(request.method === 'HEAD' || (request.method === 'GET' && request.url === '/v2/')));

describe('bundle push --dry-run', () => {
  it('into an empty registry: plans everything, the registry sees only GET /v2/ and HEADs, no file is written', async () => {
    const registry = `${fake.host}/site`;
    const files = filesFor(bundle, registry);
    const from = fake.requests.length;
    const result = await pushBundle({ file: bundle, registry, plainHttp: true, key: fixture.publicKey, dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(writes(from).map((request) => `${request.method} ${request.url}`)).toEqual([]);
    expect(fake.requests.slice(from).filter((request) => request.method === 'HEAD').length).toBe(result.plan.blobs.total + result.plan.tags.total);
    expect(fake.blobs.size).toBe(0);
    expect(result.plan.blobs.present).toBe(0);
    expect(result.plan.blobs.toSend).toBe(result.plan.blobs.unique);
    expect(result.plan.bytes.toSend).toBe(result.plan.bytes.total);
    expect(result.plan.tags).toMatchObject({ total: result.plan.items, present: 0, toSet: result.plan.items, moved: [] });
    expect(result.sent).toEqual([]);
    expect([result.receipt, result.relocation]).toEqual([null, null]);
    for (const file of Object.values(files)) expect(existsSync(file), file).toBe(false);
    expectSchemaDef('cli-output.schema.json', 'bundlePush', result);

    // The real push then does what the dry run planned.
    const pushed = await pushBundle({ file: bundle, registry, plainHttp: true, key: fixture.publicKey });
    expect(pushed.dryRun).toBe(false);
    expect(pushed.plan).toEqual(result.plan);
    expect(pushed.sent.length).toBe(result.plan.blobs.toSend);
    expect(pushed.mounted).toBe(result.plan.blobs.toMount);
  }, 120_000);

  it('after the push: everything present, every tag in place; still nothing written', async () => {
    const registry = `${fake.host}/site`;
    const files = filesFor(bundle, registry);
    const receipt = readFileSync(files.receipt, 'utf8');
    const from = fake.requests.length;
    const blobsBefore = fake.blobs.size;
    const result = await pushBundle({ file: bundle, registry, plainHttp: true, key: fixture.publicKey, dryRun: true });
    expect(writes(from)).toEqual([]);
    expect(fake.blobs.size).toBe(blobsBefore);
    expect(result.plan.blobs.present).toBe(result.plan.blobs.total);
    expect(result.plan.bytes.toSend).toBe(0);
    expect(result.plan.tags).toMatchObject({ present: result.plan.items, toSet: 0, moved: [] });
    expect(readFileSync(files.receipt, 'utf8')).toBe(receipt);
  }, 60_000);

  it('leaves a journal of an interrupted push as it was', async () => {
    const registry = `${fake.host}/resume`;
    const { journal } = filesFor(bundle, registry);
    const text = JSON.stringify({
      apiVersion: 'installctl.dev/v1alpha1',
      kind: 'PushJournal',
      rootDigest: new BundleFile(bundle).rootDigest,
      registry,
      committed: {},
      uploads: {},
      manifests: [],
    });
    writeFileSync(journal, text);
    const from = fake.requests.length;
    await pushBundle({ file: bundle, registry, plainHttp: true, key: fixture.publicKey, dryRun: true });
    expect(writes(from)).toEqual([]);
    expect(readFileSync(journal, 'utf8')).toBe(text);
  }, 60_000);

  it('still refuses offline what a push refuses offline (a bad key, before any request)', async () => {
    const from = fake.requests.length;
    const error = await pushBundle({ file: bundle, registry: `${fake.host}/site`, plainHttp: true, dryRun: true, key: `${bundle}.missing.pub` }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect((error as { code?: string }).code).toMatch(/^BUNDLE_|FILE_/);
    expect(fake.requests.length).toBe(from);
  });
});
