/** bundle verify: offline; names each missing, extra or corrupted blob; exit codes tell a bad signature from bad blobs. */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, createReadStream, createWriteStream, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { verifyBundle } from '../../cli/services/bundle-verify.js';

/** verify exits as push would stop on the same bundle: 3 for the signature, 4 for the blobs. */
const VerifyExit = { ok: 0, badSignature: 3, badBlobs: 4 } as const;
import { BundleFile } from '../../cli/bundle/reader.js';
import { UserError } from '../../cli/lib/errors.js';
import { SIGNATURE_SKIPPED } from '../../cli/bundle/signature-policy.js';
import { bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { runCli } from '../helpers/cli.js';

let fixture: BundleFixture;
let bundle: string;

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 64 * 1024 });
  bundle = (await makeBundle(fixture, 'acme.bundle', { weightsDir: fixture.weightsDir, includeWeights: true })).bundle;
}, 120_000);

/** A copy of the bundle rewritten entry by entry (drop, replace, or add entries). */
async function rewrite(name: string, change: { drop?: string; add?: { name: string; content: Buffer } }): Promise<string> {
  const out = join(fixture.dir, name);
  const extract = tar.extract();
  const pack = tar.pack();
  extract.on('entry', (header, stream, next) => {
    if (header.name === change.drop) {
      stream.resume();
      stream.on('end', next);
      return;
    }
    stream.pipe(pack.entry(header, next));
  });
  extract.on('finish', () => {
    if (change.add) pack.entry({ name: change.add.name }, change.add.content);
    pack.finalize();
  });
  await Promise.all([pipeline(createReadStream(bundle), extract), pipeline(pack, createWriteStream(out))]);
  copyFileSync(`${bundle}.sig`, `${out}.sig`);
  return out;
}

function flipByte(file: string, digest: string): void {
  const entry = new BundleFile(bundle).entryOf(digest)!;
  const bytes = readFileSync(file);
  bytes[entry.offset + 10] = bytes[entry.offset + 10]! ^ 0x01;
  writeFileSync(file, bytes);
}

describe('bundle verify', () => {
  it('passes an intact bundle signed by the key', async () => {
    const result = await verifyBundle({ file: bundle, key: fixture.publicKey });
    expect(result).toMatchObject({ ok: true, exitCode: VerifyExit.ok, signature: 'valid', missing: [], extra: [], corrupted: [] });
    expect(result.blobs.checked).toBe(result.blobs.expected + 3);
    expect(result.rootDigest).toBe(new BundleFile(bundle).rootDigest);
  });

  it('fails a bundle signed by another key with exit 3, blobs still checked', async () => {
    const stranger = await bundleFixture({ weightsBytes: 1 });
    const result = await verifyBundle({ file: bundle, key: stranger.publicKey });
    expect(result.exitCode).toBe(VerifyExit.badSignature);
    expect(result.signature).toBe('invalid');
    expect(result.signatureProblem).toMatch(/key/);
    expect(result.corrupted).toEqual([]);
  });

  it('fails with exit 3 when the signature file is missing or names another root', async () => {
    const unsigned = join(fixture.dir, 'unsigned.bundle');
    copyFileSync(bundle, unsigned);
    expect((await verifyBundle({ file: unsigned, key: fixture.publicKey })).signatureProblem).toMatch(/no signature file/);
    const other = await makeBundle(fixture, 'other.bundle', { platform: 'linux/amd64' });
    const swapped = await verifyBundle({ file: bundle, key: fixture.publicKey, signature: `${other.bundle}.sig` });
    expect(swapped.exitCode).toBe(VerifyExit.badSignature);
    // --allow-unsigned: blobs only; the signature is skipped entirely, as push skips it (a file no key vouches for proves nothing).
    expect(await verifyBundle({ file: unsigned, allowUnsigned: true })).toMatchObject({ exitCode: VerifyExit.ok, signature: SIGNATURE_SKIPPED });
    const swappedNoKey = await verifyBundle({ file: bundle, allowUnsigned: true, signature: `${other.bundle}.sig` });
    expect(swappedNoKey).toMatchObject({ exitCode: VerifyExit.ok, signature: SIGNATURE_SKIPPED, signatureProblem: null });
    const garbled = join(fixture.dir, 'garbled.sig');
    writeFileSync(garbled, 'not json');
    expect(await verifyBundle({ file: bundle, key: fixture.publicKey, signature: garbled })).toMatchObject({
      exitCode: VerifyExit.badSignature,
      signatureProblem: expect.stringMatching(/not a signature file/),
    });
  });

  it('names a corrupted blob (exit 4), image manifest included', async () => {
    const file = join(fixture.dir, 'flipped.bundle');
    copyFileSync(bundle, file);
    copyFileSync(`${bundle}.sig`, `${file}.sig`);
    const manifestDigest = new BundleFile(bundle).manifest.images[0]!.digest;
    flipByte(file, manifestDigest);
    const result = await verifyBundle({ file, key: fixture.publicKey });
    expect(result.exitCode).toBe(VerifyExit.badBlobs);
    expect(result.signature).toBe('valid');
    expect(result.corrupted.map((blob) => blob.digest)).toEqual([manifestDigest]);
  });

  it('names a missing blob and an extra one', async () => {
    const victim = new BundleFile(bundle).manifest.blobs.find((blob) => blob.mediaType === 'application/vnd.oci.image.layer.v1.tar')!;
    const missing = await rewrite('missing.bundle', { drop: `blobs/sha256/${victim.digest.slice(7)}` });
    const result = await verifyBundle({ file: missing, allowUnsigned: true });
    expect(result.exitCode).toBe(VerifyExit.badBlobs);
    expect(result.missing).toEqual([
      { digest: victim.digest, size: victim.size, mediaType: victim.mediaType, artifacts: expect.arrayContaining([expect.objectContaining({ kind: 'image' })]) },
    ]);
    expect(result.signature).toBe(SIGNATURE_SKIPPED);

    const extraName = `blobs/sha256/${'ab'.repeat(32)}`;
    const extra = await rewrite('extra.bundle', { add: { name: extraName, content: Buffer.from('smuggled') } });
    const withExtra = await verifyBundle({ file: extra, allowUnsigned: true });
    expect(withExtra.extra).toEqual([extraName]);
    expect(withExtra.corrupted.map((blob) => blob.digest)).toEqual([`sha256:${'ab'.repeat(32)}`]);
  });

  // Each kind of artifact: the blob to damage, and what verify must say it belongs to.
  const owned: Array<[string, (bundle: BundleFile) => { digest: string; owner: { kind: string; name: string; file: string | null } }]> = [
    ['an image index', (b) => ({ digest: b.manifest.images[0]!.digest, owner: { kind: 'image', name: b.manifest.images[0]!.source, file: null } })],
    [
      'an image layer',
      (b) => {
        const image = b.manifest.images[0]!;
        const platform = b.index(image.digest).manifests[0]!;
        return { digest: b.imageManifest(platform.digest).layers.at(-1)!.digest, owner: { kind: 'image', name: image.source, file: null } };
      },
    ],
    [
      'a chart package',
      (b) => {
        const chart = b.manifest.charts[1]!;
        return { digest: b.imageManifest(chart.digest).layers[0]!.digest, owner: { kind: 'chart', name: `${chart.name}:${chart.tag}`, file: null } };
      },
    ],
    [
      'a weights layer',
      (b) => {
        const weights = b.manifest.weightArtifacts[0]!;
        return { digest: b.imageManifest(weights.digest).layers.at(-1)!.digest, owner: { kind: 'weights', name: weights.name, file: 'model.safetensors' } };
      },
    ],
    [
      'the rendered files',
      (b) => ({
        digest: b.imageManifest(b.manifest.render.digest).layers[0]!.digest,
        owner: { kind: 'render', name: b.manifest.render.name, file: `${b.manifest.render.name}.tar` },
      }),
    ],
    ['the plugin list', (b) => ({ digest: b.imageManifest(b.manifest.plugins.artifact.digest).config.digest, owner: { kind: 'plugins', name: 'pulumi-plugins', file: null } })],
  ];

  it.each(owned)('names the artifact a corrupted blob belongs to: %s (text and --json)', async (name, pick) => {
    const file = join(fixture.dir, `owned-${name.replace(/\W+/g, '-')}.bundle`);
    copyFileSync(bundle, file);
    copyFileSync(`${bundle}.sig`, `${file}.sig`);
    const { digest, owner } = pick(new BundleFile(bundle));
    flipByte(file, digest);
    const result = await verifyBundle({ file, key: fixture.publicKey });
    expect(result.exitCode).toBe(VerifyExit.badBlobs);
    const found = result.corrupted.find((blob) => blob.digest === digest);
    expect(found?.artifacts).toContainEqual(owner);
    expectSchemaDef('cli-output.schema.json', 'bundleVerify', result);
    const text = runCli(['bundle', 'verify', file, '--key', fixture.publicKey]);
    expect(text.status).toBe(VerifyExit.badBlobs);
    expect(text.stdout).toContain(`corrupted: ${digest} of `);
    expect(text.stdout).toContain(`${owner.kind} ${owner.name}${owner.file ? ` file ${owner.file}` : ''}`);
  });

  it('reports a truncated copy as a user error with exit 4', async () => {
    const file = join(fixture.dir, 'truncated.bundle');
    copyFileSync(bundle, file);
    truncateSync(file, Math.floor(statSync(bundle).size / 2));
    const error = await verifyBundle({ file, allowUnsigned: true }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('BUNDLE_TRUNCATED');
    expect((error as UserError).exitCode).toBe(4);
    // Cut exactly after a complete entry, too (the tar then parses; only the end marker is missing).
    const entry = [...new BundleFile(bundle).entries.values()].sort((a, b) => a.offset - b.offset)[3]!;
    copyFileSync(bundle, file);
    truncateSync(file, entry.offset + Math.ceil(entry.size / 512) * 512);
    const atBoundary = await verifyBundle({ file, allowUnsigned: true }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect((atBoundary as UserError).code).toBe('BUNDLE_TRUNCATED');
  });

  it('refuses a file that is not a bundle', async () => {
    const file = join(fixture.dir, 'not-a-bundle.tar');
    const pack = tar.pack();
    pack.entry({ name: 'hello.txt' }, 'hi');
    pack.finalize();
    await pipeline(pack, createWriteStream(file));
    const error = await verifyBundle({ file, allowUnsigned: true }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect((error as UserError).code).toBe('BUNDLE_INVALID');
  });
});
