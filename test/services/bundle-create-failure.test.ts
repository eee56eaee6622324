/**
 * bundle create leaves nothing behind when it fails: a bad --key is refused before anything is
 * written (it once left an unsigned bundle, and the rerun then said FILE_EXISTS), a failure while
 * writing removes only the files this run created, and a file that was there before (--force) is
 * never removed or changed by a failed run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBundle, type BundleCreateOptions } from '../../cli/services/bundle-create.js';
import { UserError } from '../../cli/lib/errors.js';
import { AIR_GAPPED_SPEC, bundleFixture, type BundleFixture } from '../helpers/bundles.js';

let fixture: BundleFixture;
let corruptLayout: string;
let rsaKey: string;

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 4096 });
  corruptLayout = join(fixture.dir, 'corrupt-layout');
  cpSync(fixture.layout, corruptLayout, { recursive: true });
  const blobs = join(corruptLayout, 'blobs', 'sha256');
  const largest = readdirSync(blobs).sort((a, b) => statSync(join(blobs, b)).size - statSync(join(blobs, a)).size)[0]!;
  const bytes = readFileSync(join(blobs, largest));
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
  writeFileSync(join(blobs, largest), bytes);
  rsaKey = join(fixture.dir, 'rsa.key');
  writeFileSync(rsaKey, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
}, 120_000);

const failures: Array<[string, () => Partial<BundleCreateOptions>, string]> = [
  ['a public key as --key', () => ({ key: fixture.publicKey }), 'BUNDLE_KEY_INVALID'],
  ['an RSA key as --key', () => ({ key: rsaKey }), 'BUNDLE_KEY_INVALID'],
  ['a --key that does not exist', () => ({ key: join(fixture.dir, 'absent.key') }), 'BUNDLE_KEY_INVALID'],
  ['--key /dev/zero', () => ({ key: '/dev/zero' }), 'BUNDLE_KEY_INVALID'],
  ['a source blob that fails its digest while the tar is written', () => ({ imagesFrom: `oci-layout:${corruptLayout}` }), 'BUNDLE_SOURCE_CORRUPT'],
];

let run = 0;
function listing(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name)).toString('base64').slice(0, 64) + statSync(join(dir, name)).size]));
}

async function failure(options: BundleCreateOptions): Promise<UserError> {
  const error = await createBundle(options).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('bundle create, failing', () => {
  it.each(failures)(
    'with %s: nothing is left, and the rerun with a good key works',
    async (_name, change, code) => {
      const dir = join(fixture.dir, `fresh-${++run}`);
      mkdirSync(dir);
      const out = join(dir, 'acme.bundle');
      const options = { spec: AIR_GAPPED_SPEC, out, imagesFrom: `oci-layout:${fixture.layout}`, key: fixture.privateKey };
      expect((await failure({ ...options, ...change() })).code).toBe(code);
      expect(readdirSync(dir)).toEqual([]);
      const rerun = await createBundle(options);
      expect(rerun.bundle).toBe(out);
      expect(readdirSync(dir).sort()).toEqual(['acme.bundle', 'acme.bundle.sig']);
    },
    60_000,
  );

  it.each(failures)(
    'with %s and --force over an earlier bundle: the earlier files stay as they were',
    async (_name, change, code) => {
      const dir = join(fixture.dir, `existing-${++run}`);
      mkdirSync(dir);
      const out = join(dir, 'acme.bundle');
      writeFileSync(out, 'an earlier bundle');
      writeFileSync(`${out}.sig`, 'its signature');
      const before = listing(dir);
      expect((await failure({ spec: AIR_GAPPED_SPEC, out, imagesFrom: `oci-layout:${fixture.layout}`, key: fixture.privateKey, force: true, ...change() })).code).toBe(code);
      expect(listing(dir)).toEqual(before);
    },
    60_000,
  );
});

describe('bundle create, --out where nothing can be written', () => {
  it.each([
    ['in a directory that does not exist', () => join(fixture.dir, 'absent-dir', 'acme.bundle')],
    [
      'under a regular file',
      () => {
        const file = join(fixture.dir, `a-file-${++run}`);
        writeFileSync(file, 'x');
        return join(file, 'acme.bundle');
      },
    ],
  ])('%s: OUTPUT_NOT_WRITABLE (exit 2) before any work, never a crash', async (_name, out) => {
    const error = await failure({ spec: AIR_GAPPED_SPEC, out: out(), imagesFrom: `oci-layout:${fixture.layout}`, key: fixture.privateKey });
    expect([error.code, error.exitCode]).toEqual(['OUTPUT_NOT_WRITABLE', 2]);
  });
});

describe('bundle create, directory flags that name no directory', () => {
  it.each([
    ['--plugins-dir', 'pluginsDir', () => join(fixture.dir, 'absent-plugins')],
    [
      '--plugins-dir',
      'pluginsDir',
      () => {
        const file = join(fixture.dir, `plugins-file-${++run}`);
        writeFileSync(file, 'x');
        return file;
      },
    ],
    ['--weights-dir', 'weightsDir', () => join(fixture.dir, 'absent-weights')],
  ] as const)('%s at a missing path or a file: USAGE (exit 2) before any work', async (_flag, option, path) => {
    const dir = join(fixture.dir, `dirflag-${++run}`);
    mkdirSync(dir);
    const error = await failure({ spec: AIR_GAPPED_SPEC, out: join(dir, 'acme.bundle'), imagesFrom: `oci-layout:${fixture.layout}`, key: fixture.privateKey, [option]: path() });
    expect([error.code, error.exitCode]).toEqual(['USAGE', 2]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
