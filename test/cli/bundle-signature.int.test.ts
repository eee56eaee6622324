/**
 * Verify and push require the signer's key: without --key they refuse (BUNDLE_KEY_REQUIRED, exit 2)
 * before reading the bundle or dialling the registry; --allow-unsigned skips the check and says so
 * on stderr, in --json and in the receipt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { startFakeRegistry, type FakeRegistry } from '../helpers/fake-registry.js';
import { filesFor } from '../helpers/registry.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { SIGNATURE_SKIPPED } from '../../cli/bundle/signature-policy.js';

let fixture: BundleFixture;
let bundle: string;
let fake: FakeRegistry;

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 1024 });
  bundle = (await makeBundle(fixture, 'acme.bundle')).bundle;
  fake = await startFakeRegistry();
}, 120_000);
afterAll(async () => fake?.close());

const commands = {
  verify: (extra: string[]) => ['bundle', 'verify', bundle, ...extra],
  push: (extra: string[]) => ['bundle', 'push', bundle, '--registry', `${fake.host}/site`, '--plain-http', '--retries', '0', ...extra],
};

describe.each(Object.entries(commands))('bundle %s and the signer key', (command, args) => {
  it('refuses without --key or --allow-unsigned, before any request: BUNDLE_KEY_REQUIRED, exit 2, a hint naming both flags', async () => {
    const before = fake.requests.length;
    for (const json of [[], ['--json']]) {
      const run = await runCliAsync(args(json));
      expect(run.status, run.stderr).toBe(2);
      const error = json.length ? run.json().error : { code: /error\[(\w+)\]/.exec(run.stderr)?.[1], hint: run.stderr };
      expect(error.code).toBe('BUNDLE_KEY_REQUIRED');
      expect(error.hint).toContain('--key PUB');
      expect(error.hint).toContain('--allow-unsigned');
    }
    expect(fake.requests.length).toBe(before);
  }, 60_000);

  it('refuses --key together with --allow-unsigned (USAGE, exit 2)', async () => {
    const run = await runCliAsync(args(['--key', fixture.publicKey, '--allow-unsigned', '--json']));
    expect(run.status).toBe(2);
    expect(run.json().error.code).toBe('USAGE');
  }, 60_000);

  it('--allow-unsigned goes on, with a warning on stderr and the skipped signature in --json', async () => {
    rmSync(filesFor(bundle, `${fake.host}/site`).receipt, { force: true });
    const run = await runCliAsync(args(['--allow-unsigned', '--json']));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^installctl: warning: --allow-unsigned: .*not checked/m);
    expect(run.json().signature).toBe(SIGNATURE_SKIPPED);
    expectSchemaDef('cli-output.schema.json', command === 'verify' ? 'bundleVerify' : 'bundlePush', run.json());
    if (command === 'push') {
      const receipt = JSON.parse(readFileSync(filesFor(bundle, `${fake.host}/site`).receipt, 'utf8'));
      expect(receipt.bundle.signature).toBe(SIGNATURE_SKIPPED);
      expectSchemaDef('bundle.schema.json', 'deliveryReceipt', receipt);
    }
    const text = await runCliAsync(args(['--allow-unsigned']));
    expect(text.status, text.stderr).toBe(0);
    if (command === 'verify') expect(text.stdout).toMatch(/^signature: SKIPPED \(--allow-unsigned\)/m);
  }, 60_000);

  it('with --key: valid, no warning', async () => {
    const run = await runCliAsync(args(['--key', fixture.publicKey, '--json']));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('warning');
    expect(run.json().signature).toBe('valid');
  }, 60_000);
});

describe('--allow-unsigned skips the signature entirely, in verify and push alike: FILE.sig is not read', () => {
  const garbled: Array<[string, (sig: string, good: string) => void]> = [
    ['FILE.sig is not JSON', (sig) => writeFileSync(sig, 'not json')],
    ['FILE.sig names another root', (sig, good) => writeFileSync(sig, good.replace(/sha256:[0-9a-f]{64}/, `sha256:${'0'.repeat(64)}`))],
    ['FILE.sig is a directory', (sig) => mkdirSync(sig)],
    ['FILE.sig is absent', () => undefined],
  ];
  const runs = Object.entries({
    verify: (file: string) => ['bundle', 'verify', file],
    push: (file: string) => ['bundle', 'push', file, '--registry', `${fake.host}/unsigned`, '--plain-http', '--retries', '0'],
  });

  it.each(garbled.flatMap(([name, make]) => runs.map(([command, args]) => [command, name, make, args] as const)))(
    '%s: %s -> signature skipped, exit 0',
    async (command, name, make, args) => {
      const file = join(dirname(bundle), `${command}-${name.replace(/\W+/g, '-')}.bundle`);
      copyFileSync(bundle, file);
      rmSync(`${file}.sig`, { recursive: true, force: true });
      make(`${file}.sig`, readFileSync(`${bundle}.sig`, 'utf8'));
      const run = await runCliAsync([...args(file), '--allow-unsigned', '--json']);
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.json()).toMatchObject({ signature: SIGNATURE_SKIPPED });
      expect(run.stderr).toMatch(/^installctl: warning: --allow-unsigned: /m);
    },
    60_000,
  );

  it('verify --signature with --allow-unsigned is a usage error (a signature that would not be read)', async () => {
    const run = await runCliAsync(['bundle', 'verify', bundle, '--allow-unsigned', '--signature', `${bundle}.sig`, '--json']);
    expect(run.status).toBe(2);
    expect(run.json().error.code).toBe('USAGE');
  }, 60_000);
});
