/**
 * Ctrl-C during a push: a real child process, mid-upload against a slow registry, gets SIGINT (or
 * SIGTERM). It prints exactly one line, "interrupted; rerun the same command to resume", exits 130
 * (143), leaves the journal on disk, and the same command run again resumes from it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { BIN, runCliAsync } from '../helpers/cli.js';
import { bundleFixture, makeBundle, type BundleFixture } from '../helpers/bundles.js';
import { startFakeRegistry, type FakeRegistry } from '../helpers/fake-registry.js';
import { filesFor } from '../helpers/registry.js';

const MiB = 1024 * 1024;
let fixture: BundleFixture;
let bundle: string;
let slow = true;

beforeAll(async () => {
  fixture = await bundleFixture({ weightsBytes: 6 * MiB });
  bundle = (await makeBundle(fixture, 'acme.bundle', { weightsDir: fixture.weightsDir, includeWeights: true })).bundle;
}, 120_000);

/** A registry (one per case: its blob store is shared by all repositories) where every upload request waits while `slow`. */
const slowRegistry = (): Promise<FakeRegistry> =>
  startFakeRegistry({ delay: (request) => (slow && request.method !== 'HEAD' && /\/blobs\/uploads\//.test(request.url ?? '') ? 150 : 0) });

const journalOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { committed: Record<string, string[]> };

describe('bundle push interrupted', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s mid-upload: one line, exit %i, journal kept; the rerun resumes',
    async (signal, exit) => {
      slow = true;
      const fake = await slowRegistry();
      const prefix = `interrupted-${signal.toLowerCase()}`;
      const journalFile = filesFor(bundle, `${fake.host}/${prefix}`).journal;
      rmSync(journalFile, { force: true });
      const args = ['bundle', 'push', bundle, '--registry', `${fake.host}/${prefix}`, '--plain-http', '--key', fixture.publicKey, '--chunk-size', '256KiB', '--concurrency', '2'];
      for (const json of [false, true]) {
        rmSync(journalFile, { force: true });
        const child = spawn(process.execPath, [BIN, ...args, ...(json ? ['--json'] : [])], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, NO_COLOR: '1', DOCKER_CONFIG: fixture.dir },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('close', (status) => resolve(status)));
        // Mid-push: some blobs committed (in the journal), others still going.
        const committed = () => existsSync(journalFile) && Object.values(journalOf(journalFile).committed).flat().length >= 2;
        for (let i = 0; i < 3000 && !committed(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(committed(), stderr).toBe(true);
        const before = stderr;
        child.kill(signal);
        const status = await exited;
        expect(status, stderr).toBe(exit);
        const after = stderr.slice(before.length).split('\n').filter(Boolean);
        expect(after.filter((line) => /interrupted/.test(line))).toEqual(['installctl: interrupted; rerun the same command to resume']);
        expect(stderr).not.toMatch(/this is a bug|\n\s+at |Error:/);
        if (json) {
          expect(stderr).toBe('installctl: interrupted; rerun the same command to resume\n');
          expect(JSON.parse(stdout).error.code).toBe('INTERRUPTED');
        }
        expect(journalOf(journalFile).committed).toBeTypeOf('object');
      }
      const kept = new Set(Object.values(journalOf(journalFile).committed).flat());
      slow = false;
      const rerun = await runCliAsync([...args, '--json'], { env: { DOCKER_CONFIG: fixture.dir } });
      expect(rerun.status, rerun.stdout + rerun.stderr).toBe(0);
      const result = rerun.json<{ sent: Array<{ digest: string }>; plan: { blobs: { present: number } } }>();
      expect(result.sent.filter((blob) => kept.has(blob.digest))).toEqual([]);
      expect(result.plan.blobs.present).toBeGreaterThanOrEqual(kept.size);
      expect(existsSync(journalFile)).toBe(false);
      await fake.close();
    },
    120_000,
  );
});
