/** bundle push when things go wrong: a registry killed mid-push, a damaged registry record, a corrupted bundle, 429/503/resets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, openSync, readFileSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { pushBundle, type PushEvent } from '../../cli/services/bundle-push.js';
import { verifyBundle } from '../../cli/services/bundle-verify.js';
import { BundleFile } from '../../cli/bundle/reader.js';
import { pushPlan } from '../../cli/bundle/push-plan.js';
import { UserError } from '../../cli/lib/errors.js';
import { bundleFixture, makeBundle, WEIGHTS_MODEL, type BundleFixture } from '../helpers/bundles.js';
import { expectBundleInRegistry, filesFor, skopeo, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startFlakyProxy } from '../helpers/flaky-proxy.js';

const MiB = 1024 * 1024;

/** The digest of the largest weights layer (the blob the fault tests aim at). */
function weightsBlob(bundle: string): { digest: string; size: number } {
  const file = new BundleFile(bundle);
  const item = pushPlan(file).find((entry) => entry.kind === 'weights' && entry.source === WEIGHTS_MODEL)!;
  return [...item.blobs].sort((a, b) => b.size - a.size)[0]!;
}

let fixture: BundleFixture;
let bundle: string;

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 24 * MiB + 5 });
  bundle = (await makeBundle(fixture, 'big.bundle', { weightsDir: fixture.weightsDir, includeWeights: true })).bundle;
}, 120_000);

describe('a registry killed mid-push', () => {
  let registry: TestRegistry;
  beforeAll(async () => void (registry = await startRegistry()), 30_000);
  afterAll(async () => registry?.stop());

  it('fails with PUSH_INTERRUPTED; the rerun resumes, resends no committed blob, and ends with identical digests', async () => {
    const big = weightsBlob(bundle);
    const committedFirst = new Set<string>();
    let killed = false;
    const onEvent = (event: PushEvent) => {
      if (event.type === 'blob' && event.action === 'sent') committedFirst.add(event.digest);
      // Kill once small blobs are committed and the big one is partway through its chunks.
      if (!killed && event.type === 'chunk' && event.digest === big.digest && event.offset >= 6 * MiB && committedFirst.size >= 3) {
        killed = true;
        registry.kill();
      }
    };
    const options = { allowUnsigned: true, file: bundle, registry: `${registry.host}/site`, plainHttp: true, chunkSize: MiB, concurrency: 2, retries: 1, backoffMs: 20 };
    const error = await pushBundle({ ...options, onEvent }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(killed).toBe(true);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('PUSH_INTERRUPTED');
    expect((error as UserError).hint).toMatch(/push-journal/);
    expect(committedFirst.has(big.digest)).toBe(false);
    const journal = JSON.parse(readFileSync(filesFor(bundle, options.registry).journal, 'utf8')) as {
      committed: Record<string, string[]>;
      uploads: Record<string, { offset: number }>;
    };
    expect(Object.values(journal.committed).flat().length).toBeGreaterThanOrEqual(committedFirst.size);
    expect(journal.uploads[big.digest]?.offset).toBeGreaterThanOrEqual(6 * MiB);

    await registry.restart();
    const events: PushEvent[] = [];
    const result = await pushBundle({ ...options, onEvent: (event) => events.push(event) });
    const resent = result.sent.filter((blob) => committedFirst.has(blob.digest));
    expect(resent).toEqual([]);
    expect(result.plan.blobs.present).toBeGreaterThanOrEqual(committedFirst.size);
    // The big blob's session survived the restart: it resumed at the journaled offset, not at zero.
    const resumed = result.sent.find((blob) => blob.digest === big.digest)!;
    expect(resumed.resumedFrom).toBeGreaterThanOrEqual(6 * MiB);
    expect(resumed.bytesSent).toBe(big.size - resumed.resumedFrom!);
    expect(events.some((event) => event.type === 'resume' && event.digest === big.digest)).toBe(true);
    expectBundleInRegistry(registry, bundle, 'site');
    expect(existsSync(filesFor(bundle, options.registry).journal)).toBe(false);
  }, 180_000);
});

describe('a registry with a damaged record of one blob (HEAD answers 500 for good)', () => {
  let registry: TestRegistry;
  beforeAll(async () => void (registry = await startRegistry()), 30_000);
  afterAll(async () => registry?.stop());

  it('treats the blob as absent, sends it (a PUT rewrites the record), and completes instead of failing', async () => {
    const damaged = weightsBlob(bundle).digest;
    const proxy = await startFlakyProxy(registry.host, (request) => (request.method === 'HEAD' && request.url?.endsWith(`/blobs/${damaged}`) ? 500 : null));
    try {
      const result = await pushBundle({ allowUnsigned: true, file: bundle, registry: `${proxy.host}/damaged`, plainHttp: true, chunkSize: 4 * MiB, retries: 1, backoffMs: 5 });
      expect(proxy.injected.get(500)).toBeGreaterThanOrEqual(2);
      expect(result.sent.map((blob) => blob.digest)).toContain(damaged);
      expectBundleInRegistry(registry, bundle, 'damaged');
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('a flipped byte in a bundle blob', () => {
  let registry: TestRegistry;
  let corrupt: string;
  let target: { digest: string; size: number };
  beforeAll(async () => {
    registry = await startRegistry();
    target = weightsBlob(bundle);
    corrupt = join(fixture.dir, 'corrupt.bundle');
    copyFileSync(bundle, corrupt);
    copyFileSync(`${bundle}.sig`, `${corrupt}.sig`);
    const entry = new BundleFile(corrupt).entryOf(target.digest)!;
    const fd = openSync(corrupt, 'r+');
    const byte = Buffer.alloc(1);
    const at = entry.offset + Math.floor(entry.size / 2);
    readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    writeSync(fd, byte, 0, 1, at);
    closeSync(fd);
  }, 30_000);
  afterAll(async () => registry?.stop());

  it('is named by verify (exit 4), and push refuses it without committing the blob or its manifest', async () => {
    const verified = await verifyBundle({ file: corrupt, key: fixture.publicKey });
    expect(verified.exitCode).toBe(4);
    expect(verified.signature).toBe('valid');
    expect(verified.corrupted.map((blob) => blob.digest)).toEqual([target.digest]);

    const error = await pushBundle({ allowUnsigned: true, file: corrupt, registry: `${registry.host}/site`, plainHttp: true, chunkSize: 4 * MiB }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('BUNDLE_BLOB_CORRUPT');
    expect((error as UserError).exitCode).toBe(4);
    expect((error as UserError).message).toContain(target.digest);
    const weights = pushPlan(new BundleFile(corrupt)).find((entry) => entry.kind === 'weights')!;
    expect(() => skopeo(registry, ['inspect', '--raw', `docker://${registry.host}/site/${weights.repository}@${weights.digest}`])).toThrow(/manifest unknown/);
  }, 60_000);

  it('is refused in monolithic uploads too (blob smaller than a chunk)', async () => {
    const error = await pushBundle({ allowUnsigned: true, file: corrupt, registry: `${registry.host}/mono`, plainHttp: true, chunkSize: 64 * MiB }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect((error as UserError).code).toBe('BUNDLE_BLOB_CORRUPT');
    const status = await fetch(`http://${registry.host}/v2/mono/models/${WEIGHTS_MODEL}/blobs/${target.digest}`, { method: 'HEAD' });
    expect(status.status).toBe(404);
  }, 60_000);
});

describe('a registry answering 429 before succeeding', () => {
  let registry: TestRegistry;
  beforeAll(async () => void (registry = await startRegistry()), 30_000);
  afterAll(async () => registry?.stop());

  it('completes the push after backing off', async () => {
    // Every third request is refused with 429 (Retry-After: 0) on its first try.
    const refused = new Set<string>();
    const proxy = await startFlakyProxy(registry.host, (request, seen) => {
      const key = `${request.method} ${request.url}`;
      if (seen % 3 !== 1 || refused.has(key)) return null;
      refused.add(key);
      return 429;
    });
    try {
      const retries: PushEvent[] = [];
      const result = await pushBundle({
        allowUnsigned: true,
        file: bundle,
        registry: `${proxy.host}/site`,
        plainHttp: true,
        chunkSize: 4 * MiB,
        backoffMs: 5,
        onEvent: (event) => event.type === 'retry' && retries.push(event),
      });
      expect(proxy.injected.get(429)).toBeGreaterThan(10);
      expect(retries.length).toBe(proxy.injected.get(429));
      expect(result.manifests.verified).toBeGreaterThanOrEqual(result.plan.manifests);
      expectBundleInRegistry(registry, bundle, 'site');
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('completes the push through 503 answers and dropped connections, mid-upload ones included', async () => {
    // Every fourth request fails once: alternately a 503 and a connection reset (a PATCH's body then
    // breaks off half-sent, and the client must ask the registry where the upload stands).
    const failed = new Set<string>();
    let turn = 0;
    const proxy = await startFlakyProxy(registry.host, (request, seen) => {
      const key = `${request.method} ${request.url}`;
      if (seen % 4 !== 2 || failed.has(key)) return null;
      failed.add(key);
      return turn++ % 2 ? 'reset' : 503;
    });
    try {
      const retries: Array<PushEvent & { type: 'retry' }> = [];
      const result = await pushBundle({
        allowUnsigned: true,
        file: bundle,
        registry: `${proxy.host}/elsewhere`,
        plainHttp: true,
        chunkSize: 4 * MiB,
        backoffMs: 5,
        onEvent: (event) => event.type === 'retry' && retries.push(event),
      });
      expect(proxy.injected.get(503)).toBeGreaterThan(3);
      expect(proxy.resets).toBeGreaterThan(3);
      expect(retries.length).toBeGreaterThanOrEqual(proxy.injected.get(503)! + proxy.resets);
      expect(retries.some((event) => /503/.test(event.reason))).toBe(true);
      expect(retries.some((event) => /ECONNRESET|socket hang up|reset|EPIPE/i.test(event.reason))).toBe(true);
      expect(result.manifests.verified).toBeGreaterThanOrEqual(result.plan.manifests);
      expectBundleInRegistry(registry, bundle, 'elsewhere');
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
