/**
 * Every bundle error code, triggered for real through the services, leaves as a UserError with the
 * exit code README's "Error codes" table documents (generated from cli/lib/error-catalogue.ts; the
 * frozen numbers below are what people script against). An OciError of the layers below (the tar
 * reader, the layout reader) must have been turned into a UserError by the service boundary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleErrorCode } from '../../cli/bundle/errors.js';
import { UserError } from '../../cli/lib/errors.js';
import { verifyBundle } from '../../cli/services/bundle-verify.js';
import { pushBundle } from '../../cli/services/bundle-push.js';
import { createBundle } from '../../cli/services/bundle-create.js';
import { AIR_GAPPED_SPEC, bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { BundleCraft, blobPath } from '../helpers/bundle-craft.js';
import { tarBytes } from '../helpers/tar-writer.js';

/** Exhaustive: a bundle code added to the catalogue fails to compile here until it has an exit and a trigger. */
const EXITS: Record<BundleErrorCode, number> = {
  BUNDLE_INVALID: 4,
  BUNDLE_TRUNCATED: 4,
  BUNDLE_BLOB_MISSING: 4,
  BUNDLE_BLOB_CORRUPT: 4,
  BUNDLE_BLOB_EXTRA: 4,
  BUNDLE_SIGNATURE_INVALID: 3,
  BUNDLE_KEY_INVALID: 2,
  BUNDLE_KEY_REQUIRED: 2,
  BUNDLE_SOURCE_INVALID: 2,
  BUNDLE_SOURCE_CORRUPT: 2,
  BUNDLE_IMAGE_MISSING: 2,
};

describe('bundle error codes and their exit codes', () => {
  describe('each code, triggered', () => {
    let fixture: BundleFixture;
    let good: string;
    beforeAll(async () => {
      fixture = await bundleFixture({ weightsBytes: 4096 });
      good = (await makeBundle(fixture, 'good.bundle', { weightsDir: fixture.weightsDir, includeWeights: true })).bundle;
    }, 120_000);

    const file = (name: string, bytes: Buffer) => {
      const path = join(fixture.dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    // Push stops before its first request for all of these; the registry address is never dialled.
    const push = (path: string, key?: string) => pushBundle({ file: path, registry: '127.0.0.1:9/x', plainHttp: true, key, allowUnsigned: !key });
    const create = (extra: Record<string, unknown>) =>
      createBundle({
        spec: AIR_GAPPED_SPEC,
        out: join(fixture.dir, `created-${Math.random()}.bundle`),
        imagesFrom: `oci-layout:${fixture.layout}`,
        key: fixture.privateKey,
        ...extra,
      });
    const craft = () => new BundleCraft(good);
    const layer = () => craft().manifest.blobs.find((blob: { mediaType: string }) => blob.mediaType.includes('weights.v1.part')) as { digest: string; size: number };

    const triggers: Record<BundleErrorCode, () => Promise<unknown>> = {
      BUNDLE_INVALID: () => verifyBundle({ allowUnsigned: true, file: file('invalid.bundle', tarBytes([{ name: '../evil', data: Buffer.from('x') }])) }),
      BUNDLE_TRUNCATED: () => verifyBundle({ allowUnsigned: true, file: file('truncated.bundle', craft().tar({ end: false })) }),
      BUNDLE_BLOB_MISSING: () => push(file('missing.bundle', craft().drop(blobPath(layer().digest)).tar())),
      BUNDLE_BLOB_CORRUPT: () =>
        push(
          file(
            'resized.bundle',
            craft()
              .set(blobPath(layer().digest), Buffer.alloc(layer().size + 1))
              .tar(),
          ),
        ),
      BUNDLE_BLOB_EXTRA: () => {
        const bundle = craft();
        bundle.addBlob('smuggled', 'application/octet-stream');
        return push(file('extra.bundle', bundle.tar()));
      },
      BUNDLE_SIGNATURE_INVALID: () => push(file('unsigned.bundle', readFileSync(good)), fixture.publicKey),
      BUNDLE_KEY_INVALID: () => create({ key: fixture.publicKey }),
      BUNDLE_KEY_REQUIRED: () => verifyBundle({ file: good }),
      BUNDLE_SOURCE_INVALID: () => create({ imagesFrom: `oci-layout:${fixture.weightsDir}` }),
      BUNDLE_SOURCE_CORRUPT: () => {
        const layout = join(fixture.dir, 'corrupt-layout');
        cpSync(fixture.layout, layout, { recursive: true });
        const blobs = join(layout, 'blobs', 'sha256');
        const largest = readdirSync(blobs).sort((a, b) => statSync(join(blobs, b)).size - statSync(join(blobs, a)).size)[0]!;
        const bytes = readFileSync(join(blobs, largest));
        bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
        writeFileSync(join(blobs, largest), bytes);
        return create({ imagesFrom: `oci-layout:${layout}` });
      },
      BUNDLE_IMAGE_MISSING: () => {
        const empty = join(fixture.dir, 'empty-layout');
        mkdirSync(empty, { recursive: true });
        writeFileSync(join(empty, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
        writeFileSync(join(empty, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
        return create({ imagesFrom: `oci-layout:${empty}` });
      },
    };

    it.each(Object.keys(EXITS) as BundleErrorCode[])('%s exits as README says', async (code) => {
      const error = await triggers[code]().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe(code);
      expect((error as UserError).exitCode).toBe(EXITS[code]);
    });
  });
});
