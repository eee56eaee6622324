/** The bundle commands as users run them: the built CLI, real files, a real registry, a killed process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli, runCliAsync } from '../helpers/cli.js';
import { AIR_GAPPED_SPEC, bundleFixture, type BundleFixture } from '../helpers/bundles.js';
import { filesFor, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startFlakyProxy } from '../helpers/flaky-proxy.js';
import { startFakeRegistry } from '../helpers/fake-registry.js';
import { expectSchemaDef } from '../helpers/schemas.js';

const MiB = 1024 * 1024;
let fixture: BundleFixture;
let bundle: string;
let registry: TestRegistry;
const auth = { username: 'pusher', password: 'pw-never-written-anywhere' };

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 48 * MiB });
  bundle = join(fixture.dir, 'acme.bundle');
  registry = await startRegistry({ auth });
}, 120_000);
afterAll(async () => registry?.stop());

describe('installctl bundle', () => {
  it('keygen writes an owner-only private key and refuses to overwrite it', () => {
    const prefix = join(fixture.dir, 'release');
    const made = runCli(['bundle', 'keygen', '--out', prefix, '--json']);
    expect(made.status).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'bundleKeygen', made.json());
    expect(made.json()).toEqual({ privateKey: `${prefix}.key`, publicKey: `${prefix}.pub`, keyId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(statSync(`${prefix}.key`).mode & 0o777).toBe(0o600);
    const again = runCli(['bundle', 'keygen', '--out', prefix]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('error[FILE_EXISTS]');
  });

  it('create prints the size report, then writes the bundle and its signature', () => {
    const result = runCli([
      'bundle',
      'create',
      AIR_GAPPED_SPEC,
      '--out',
      bundle,
      '--images-from',
      `oci-layout:${fixture.layout}`,
      '--key',
      fixture.privateKey,
      '--weights-dir',
      fixture.weightsDir,
      '--include-weights',
      '--weights-part-size',
      '32MiB',
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^size: \d+ images, \d+ blobs; .* referenced, .* unique after dedup/m);
    // Progress in CI (no terminal): each phase, then plain lines up to 100% of the bytes written.
    expect(result.stderr).toMatch(/^reading images from the source\.\.\.$/m);
    expect(result.stderr).toMatch(/^images: \d+\/\d+$/m);
    expect(result.stderr).toMatch(/^hashed qwen2\.5-coder-32b\/model\.safetensors \(48\.0 MiB\)$/m);
    expect(result.stderr).toMatch(/^writing the bundle\.\.\.$/m);
    expect(result.stderr).toMatch(/^100%: [\d.]+ MiB of [\d.]+ MiB, blobs (\d+)\/\1, /m);
    expect(result.stderr).not.toMatch(/\r|\x1b/);
    expect(result.stdout).toContain(`wrote ${bundle}`);
    expect(existsSync(`${bundle}.sig`)).toBe(true);
    const json = runCli([
      'bundle',
      'create',
      AIR_GAPPED_SPEC,
      '--out',
      join(fixture.dir, 'small.bundle'),
      '--images-from',
      `oci-layout:${fixture.layout}`,
      '--key',
      fixture.privateKey,
      '--json',
    ]);
    expect(json.status, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    expectSchemaDef('cli-output.schema.json', 'bundleCreate', json.json());
  }, 60_000);

  it('verify exits 0 with the right key and 3 with another', () => {
    const ok = runCli(['bundle', 'verify', bundle, '--key', fixture.publicKey, '--json']);
    expect(ok.status).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, signature: 'valid', missing: [], extra: [], corrupted: [] });
    expectSchemaDef('cli-output.schema.json', 'bundleVerify', ok.json());
    const other = join(fixture.dir, 'other');
    runCli(['bundle', 'keygen', '--out', other]);
    const bad = runCli(['bundle', 'verify', bundle, '--key', `${other}.pub`]);
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(/^signature: INVALID/m);
  }, 30_000);

  it('push, killed mid-upload and rerun, resumes at the journaled offset; the password is never written', async () => {
    // The kill lands between chunks: a proxy holds every PATCH after the sixth, and the process is
    // killed once nothing forwarded is still in flight (the registry and the journal then agree).
    let hold = true;
    let patches = 0;
    const proxy = await startFlakyProxy(registry.host, (request) => {
      if (request.method !== 'PATCH') return null;
      return hold && ++patches > 6 ? 'stall' : null;
    });
    try {
      const args = [
        BIN,
        'bundle',
        'push',
        bundle,
        '--registry',
        `${proxy.host}/site`,
        '--plain-http',
        '--username',
        auth.username,
        '--password-stdin',
        '--chunk-size',
        '1MiB',
        '--concurrency',
        '2',
        '--key',
        fixture.publicKey,
        '--json',
      ];
      const files = filesFor(bundle, `${proxy.host}/site`);
      const journalFile = files.journal;
      const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'ignore'] });
      child.stdin.end(`${auth.password}\n`);
      // ...and once the journal holds the newest session URL the registry handed out for every upload
      // (under load the process may still be writing it when the proxy has finished answering).
      const journalCaughtUp = () => {
        if (!existsSync(journalFile)) return false;
        const text = readFileSync(journalFile, 'utf8');
        return [...proxy.uploadLocations.values()].every((location) => text.includes(new URL(location, 'http://proxy').search.slice(1)) || !location.includes('_state'));
      };
      for (let i = 0; i < 3000 && !(proxy.stalled > 0 && proxy.inFlight === 0 && journalCaughtUp()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      hold = false;
      expect(proxy.stalled).toBeGreaterThan(0);
      const journalText = readFileSync(journalFile, 'utf8');
      const journal = JSON.parse(journalText) as { committed: Record<string, string[]>; uploads: Record<string, { offset: number }> };
      const committed = new Set(Object.values(journal.committed).flat());
      const inProgress = Object.entries(journal.uploads).filter(([, upload]) => upload.offset > 0);
      expect(inProgress.length).toBeGreaterThan(0);

      const rerun = await runCliAsync(args.slice(1), { input: `${auth.password}\n` });
      expect(rerun.status, rerun.stdout + rerun.stderr).toBe(0);
      expectSchemaDef('cli-output.schema.json', 'bundlePush', rerun.json());
      const result = rerun.json<{ sent: Array<{ digest: string; size: number; bytesSent: number; resumedFrom: number | null }>; manifests: { verified: number } }>();
      expect(result.sent.filter((blob) => committed.has(blob.digest))).toEqual([]);
      const resumed = result.sent.filter((blob) => blob.resumedFrom !== null && blob.resumedFrom > 0);
      expect(resumed.map((blob) => blob.digest)).toContain(inProgress[0]![0]);
      for (const blob of resumed) {
        expect(blob.resumedFrom).toBe(journal.uploads[blob.digest]!.offset);
        expect(blob.bytesSent).toBe(blob.size - blob.resumedFrom!);
      }
      for (const file of [files.receipt, files.relocation]) expect(readFileSync(file, 'utf8')).not.toContain(auth.password);
      expect(journalText).not.toContain(auth.password);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('push --dry-run prints the plan and the files a push would write; the registry sees only GET /v2/ and HEADs', async () => {
    const fake = await startFakeRegistry();
    try {
      const files = filesFor(bundle, `${fake.host}/dry`);
      const human = await runCliAsync(['bundle', 'push', bundle, '--registry', `${fake.host}/dry`, '--plain-http', '--key', fixture.publicKey, '--dry-run']);
      expect(human.status, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/^plan: \d+ blobs in \d+ repositories .* 0 already present/m);
      expect(human.stdout).toMatch(/^tags: (\d+) \(0 in place, \1 to set, 0 to move\)$/m);
      expect(human.stdout).toContain(`a push would write ${files.receipt} and ${files.relocation}`);
      const json = await runCliAsync(['bundle', 'push', bundle, '--registry', `${fake.host}/dry`, '--plain-http', '--key', fixture.publicKey, '--dry-run', '--json']);
      expect(json.status, json.stderr).toBe(0);
      expectSchemaDef('cli-output.schema.json', 'bundlePush', json.json());
      expect(json.json()).toMatchObject({ dryRun: true, receipt: null, relocation: null, sent: [] });
      expect(fake.requests.filter((request) => request.method !== 'HEAD').map((request) => `${request.method} ${request.url}`)).toEqual(['GET /v2/', 'GET /v2/']);
      for (const file of Object.values(files)) expect(existsSync(file)).toBe(false);
    } finally {
      await fake.close();
    }
  }, 60_000);

  it('push names bad credentials and a usage mistake with their codes', () => {
    const wrong = runCli(
      ['bundle', 'push', bundle, '--registry', `${registry.host}/site`, '--plain-http', '--username', auth.username, '--password-stdin', '--key', fixture.publicKey, '--json'],
      { input: 'nope\n' },
    );
    expect(wrong.status).toBe(5);
    expect(wrong.json().error.code).toBe('REGISTRY_AUTH_FAILED');
    expectSchemaDef('cli-output.schema.json', 'error', wrong.json());
    const usage = runCli(['bundle', 'push', bundle, '--registry', `${registry.host}/site`, '--password-stdin']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('error[USAGE]');
    const size = runCli(['bundle', 'push', bundle, '--registry', `${registry.host}/site`, '--chunk-size', 'lots']);
    expect(size.status).toBe(2);
    expect(size.stderr).toContain('--chunk-size');
  });

  it.each(['create', 'verify', 'push', 'keygen'])('bundle %s --help shows usage and examples', (command) => {
    const help = runCli(['bundle', command, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`installctl bundle ${command}`);
    expect(help.stdout).toContain('EXAMPLES');
  });
});
