/**
 * Every bundle error code exits with the code README's "Error codes" table documents: the table in
 * cli/bundle/errors.ts is the single source in code, this test holds it to the README, holds the
 * code to the table (no BUNDLE_* error built by hand), and triggers each code for real.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_ERROR_EXITS, type BundleErrorCode } from '../../cli/bundle/errors.js';
import { UserError } from '../../cli/lib/errors.js';
import { verifyBundle } from '../../cli/services/bundle-verify.js';
import { pushBundle } from '../../cli/services/bundle-push.js';
import { createBundle } from '../../cli/services/bundle-create.js';
import { REPO } from '../helpers/cli.js';
import { AIR_GAPPED_SPEC, bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { BundleCraft, blobPath } from '../helpers/bundle-craft.js';
import { tarBytes } from '../helpers/tar-writer.js';

const WARNINGS = new Set(['BUNDLE_WEIGHTS_UNDESCRIBED']);

/** README "Error codes" rows: each code of the first cell -> the "(exit N" of the second. */
function documentedExits(): Map<string, number | null> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('\n## ', readme.indexOf('## Error codes') + 1));
  const exits = new Map<string, number | null>();
  for (const line of section.split('\n').filter((row) => row.startsWith('| `'))) {
    const [, codes = '', meaning = ''] = line.split('|');
    const exit = /\bexit (\d+)/.exec(meaning);
    for (const [, code] of codes.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) exits.set(code!, exit ? Number(exit[1]) : null);
  }
  return exits;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('bundle error codes and their exit codes', () => {
  const documented = documentedExits();

  it.each(Object.entries(BUNDLE_ERROR_EXITS))('README documents %s with exit %i', (code, exit) => {
    expect(documented.has(code), `${code} has no README row`).toBe(true);
    expect(documented.get(code), `README row of ${code}`).toBe(exit);
  });

  it('the table knows every BUNDLE_* error README documents and the code uses; none is built by hand', () => {
    const readmeCodes = [...documented.keys()].filter((code) => code.startsWith('BUNDLE_') && !WARNINGS.has(code));
    expect(readmeCodes.filter((code) => !(code in BUNDLE_ERROR_EXITS))).toEqual([]);
    const files = sources(join(REPO, 'cli'));
    const used = new Set(files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'(BUNDLE_[A-Z_]+)'/g)].map((match) => match[1]!)));
    expect([...used].filter((code) => !(code in BUNDLE_ERROR_EXITS) && !WARNINGS.has(code))).toEqual([]);
    // A hand-built UserError could carry any exit code; bundleError takes it from the table.
    const handBuilt = files.filter((file) => /code: 'BUNDLE_(?!WEIGHTS_UNDESCRIBED)/.test(readFileSync(file, 'utf8')));
    expect(handBuilt).toEqual([]);
  });

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
    const create = (extra: Record<string, unknown>) => createBundle({ spec: AIR_GAPPED_SPEC, out: join(fixture.dir, `created-${Math.random()}.bundle`), imagesFrom: `oci-layout:${fixture.layout}`, key: fixture.privateKey, ...extra });
    const craft = () => new BundleCraft(good);
    const layer = () => craft().manifest.blobs.find((blob: { mediaType: string }) => blob.mediaType.includes('weights.v1.part')) as { digest: string; size: number };

    const triggers: Record<BundleErrorCode, () => Promise<unknown>> = {
      BUNDLE_INVALID: () => verifyBundle({ allowUnsigned: true, file: file('invalid.bundle', tarBytes([{ name: '../evil', data: Buffer.from('x') }])) }),
      BUNDLE_TRUNCATED: () => verifyBundle({ allowUnsigned: true, file: file('truncated.bundle', craft().tar({ end: false })) }),
      BUNDLE_BLOB_MISSING: () => push(file('missing.bundle', craft().drop(blobPath(layer().digest)).tar())),
      BUNDLE_BLOB_CORRUPT: () => push(file('resized.bundle', craft().set(blobPath(layer().digest), Buffer.alloc(layer().size + 1)).tar())),
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

    it.each(Object.keys(BUNDLE_ERROR_EXITS) as BundleErrorCode[])('%s exits as README says', async (code) => {
      const error = await triggers[code]().then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe(code);
      expect((error as UserError).exitCode).toBe(documented.get(code));
    });
  });
});
