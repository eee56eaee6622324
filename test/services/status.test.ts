/**
 * installctl status, in process: a real render of an example spec, then each way it can drift (the
 * spec, a file, a missing file, Pulumi's stack file, another installctl, an older manifest without
 * `release`) and each way DIR can be hostile (paths leaving DIR, links, an oversized or malformed
 * manifest, no render at all). status reads only: DIR is byte for byte the same afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '../../cli/services/render.js';
import { compareInstallctlVersions, status, type StatusOptions } from '../../cli/services/status.js';
import { pathProblem } from '../../cli/services/status-manifest.js';
import { packageVersion } from '../../cli/lib/package-root.js';
import { SIZE_CAPS } from '../../cli/lib/read-capped.js';
import { refusal } from '../helpers/user-error.js';
import { REPO } from '../helpers/cli.js';

const EXAMPLE = join(REPO, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml');
const STACK = 'pulumi/Pulumi.acme-gov.yaml';
const VALUES = 'helm/agent-platform.values.yaml';

let root: string;
let pristine: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'installctl-status-'));
  mkdirSync(join(root, 'pristine'));
  writeFileSync(join(root, 'pristine', 'acme.yaml'), readFileSync(EXAMPLE));
  pristine = join(root, 'pristine');
  expect(render({ spec: join(pristine, 'acme.yaml'), outDir: join(pristine, 'deploy') }).exitCode).toBe(0);
}, 60_000);

let cases = 0;
/** A fresh copy of the render: CASE/acme.yaml beside CASE/deploy, and an empty CASE/cwd to look up the spec from. */
function fresh(): { base: string; dir: string; spec: string; cwd: string } {
  const base = join(root, `case-${++cases}`);
  cpSync(pristine, base, { recursive: true });
  mkdirSync(join(base, 'cwd'));
  return { base, dir: join(base, 'deploy'), spec: join(base, 'acme.yaml'), cwd: join(base, 'cwd') };
}

const editManifest = (dir: string, edit: (manifest: Record<string, any>) => void) => {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  edit(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
};

/** Renders forged consistently at another release: the values layer's install.release, its SHA-256 and size, and the manifest's release. */
function setRelease(dir: string, version: string): void {
  const values = join(dir, VALUES);
  const text = readFileSync(values, 'utf8').replace(/^( +release:) "2026\.11\.0"$/m, `$1 "${version}"`);
  writeFileSync(values, text);
  editManifest(dir, (manifest) => {
    manifest.release = version;
    const entry = manifest.files.find((file: { path: string }) => file.path === VALUES);
    entry.sha256 = createHash('sha256').update(text).digest('hex');
    entry.bytes = Buffer.byteLength(text);
  });
}

/** Every entry below dir with its type, mode, mtime and content hash: what status must leave as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stat = lstatSync(join(dir, path));
      if (stat.isDirectory()) walk(path);
      const content = stat.isFile()
        ? createHash('sha256')
            .update(readFileSync(join(dir, path)))
            .digest('hex')
        : '';
      out[path] = `${stat.mode} ${stat.mtimeMs} ${content}`;
    }
  };
  walk('');
  return out;
}

const run = (c: { dir: string; cwd: string }, extra: Partial<StatusOptions> = {}) => status({ dir: c.dir, cwd: c.cwd, ...extra });

interface DriftCase {
  name: string;
  mutate: (c: ReturnType<typeof fresh>) => void;
  exitCode: number;
  expected: Record<string, unknown>;
  states?: Record<string, string>;
}

const DRIFT: DriftCase[] = [
  {
    name: 'an untouched render',
    mutate: () => {},
    exitCode: 0,
    expected: { inSync: true, spec: { state: 'unchanged', foundBy: 'beside-dir' }, files: { drifted: 0 }, installctl: { state: 'same' } },
  },
  {
    name: 'the spec edited',
    mutate: (c) => appendFileSync(c.spec, '# a comment is a change\n'),
    exitCode: 1,
    expected: { inSync: false, spec: { state: 'changed' }, files: { drifted: 0 } },
  },
  {
    name: 'a values file edited',
    mutate: (c) => appendFileSync(join(c.dir, VALUES), 'extra: true\n'),
    exitCode: 1,
    expected: { inSync: false, spec: { state: 'unchanged' }, files: { drifted: 1 } },
    states: { [VALUES]: 'changed' },
  },
  {
    name: 'a file edited to the same size',
    mutate: (c) => {
      const text = readFileSync(join(c.dir, 'images.txt'), 'utf8');
      writeFileSync(
        join(c.dir, 'images.txt'),
        text.replace(/[0-9a-f](?=\n)/, (digit) => (digit === '0' ? '1' : '0')),
      );
    },
    exitCode: 1,
    expected: { inSync: false, files: { drifted: 1 } },
    states: { 'images.txt': 'changed' },
  },
  {
    name: 'a file deleted',
    mutate: (c) => rmSync(join(c.dir, 'images.txt')),
    exitCode: 1,
    expected: { inSync: false, files: { drifted: 1 } },
    states: { 'images.txt': 'missing' },
  },
  {
    name: "Pulumi's stack file changed by Pulumi (expected)",
    mutate: (c) => appendFileSync(join(c.dir, STACK), 'encryptionsalt: v1:abcdefgh:v1:ijklmnop:qrstuvwx\n'),
    exitCode: 0,
    expected: { inSync: true, files: { drifted: 0 } },
    states: { [STACK]: 'changed-by-pulumi' },
  },
  {
    name: "the stack file deleted (drift: Pulumi's secrets are gone)",
    mutate: (c) => rmSync(join(c.dir, STACK)),
    exitCode: 1,
    expected: { inSync: false, files: { drifted: 1 } },
    states: { [STACK]: 'missing' },
  },
  {
    name: 'rendered by an older installctl',
    mutate: (c) => editManifest(c.dir, (manifest) => (manifest.installctl = '0.0.9')),
    exitCode: 1,
    expected: { inSync: false, installctl: { rendered: '0.0.9', running: packageVersion(), state: 'older' } },
  },
  {
    name: 'rendered by a newer installctl',
    mutate: (c) => editManifest(c.dir, (manifest) => (manifest.installctl = '99.0.0')),
    exitCode: 1,
    expected: { inSync: false, installctl: { state: 'newer' } },
  },
  {
    name: 'a file replaced by a link to an identical copy outside DIR (never followed)',
    mutate: (c) => {
      cpSync(join(c.dir, 'images.txt'), join(c.base, 'outside.txt'));
      rmSync(join(c.dir, 'images.txt'));
      symlinkSync(join(c.base, 'outside.txt'), join(c.dir, 'images.txt'));
    },
    exitCode: 1,
    expected: { inSync: false, files: { drifted: 1 } },
    states: { 'images.txt': 'not-a-file' },
  },
  {
    name: 'a directory replaced by a link to an identical copy outside DIR',
    mutate: (c) => {
      cpSync(join(c.dir, 'helm'), join(c.base, 'helm-outside'), { recursive: true });
      rmSync(join(c.dir, 'helm'), { recursive: true });
      symlinkSync(join(c.base, 'helm-outside'), join(c.dir, 'helm'));
    },
    exitCode: 1,
    expected: { inSync: false, files: { drifted: 2 } },
    states: { [VALUES]: 'not-a-file', 'helm/model-server.values.yaml': 'not-a-file' },
  },
  {
    name: 'a directory where a file was',
    mutate: (c) => {
      rmSync(join(c.dir, 'images.txt'));
      mkdirSync(join(c.dir, 'images.txt'));
    },
    exitCode: 1,
    expected: { files: { drifted: 1 } },
    states: { 'images.txt': 'not-a-file' },
  },
];

describe('installctl status: drift', () => {
  it.each(DRIFT.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const made = fresh();
    c.mutate(made);
    const before = snapshot(made.base);
    const result = run(made);
    expect(snapshot(made.base)).toEqual(before);
    expect(result.exitCode).toBe(c.exitCode);
    expect(result).toMatchObject(c.expected);
    const states = Object.fromEntries(result.files.entries.filter((entry) => entry.state !== 'unchanged').map((entry) => [entry.path, entry.state]));
    expect(states).toEqual(c.states ?? {});
    expect(result.files.total).toBeGreaterThan(30);
    expect(result.files.entries.map((entry) => entry.path)).toEqual(result.files.entries.map((entry) => entry.path).sort());
    // Drift proposes a diff, then the re-render; in sync proposes neither.
    const renders = result.next.filter((step) => step.command.startsWith('installctl render'));
    expect(renders.map((step) => step.command)).toEqual(
      result.inSync ? [] : [`installctl render ${made.spec} --out ${made.dir} --diff`, `installctl render ${made.spec} --out ${made.dir}`],
    );
  });
});

describe('installctl status: the spec', () => {
  it('compares --spec when given, and the spec file in the current directory before the one beside DIR', () => {
    const c = fresh();
    writeFileSync(join(c.base, 'other.yaml'), 'kind: Install\n');
    expect(run(c, { spec: join(c.base, 'other.yaml') }).spec).toMatchObject({ state: 'changed', foundBy: 'flag', compared: join(c.base, 'other.yaml') });
    writeFileSync(join(c.cwd, 'acme.yaml'), 'kind: Install\n');
    expect(run(c).spec).toMatchObject({ state: 'changed', foundBy: 'current-directory', compared: join(c.cwd, 'acme.yaml'), searched: [join(c.cwd, 'acme.yaml')] });
  });

  it('reports a spec found nowhere as not compared (not drift), with the command to compare one', () => {
    const c = fresh();
    rmSync(c.spec);
    const result = run(c);
    expect(result.exitCode).toBe(0);
    expect(result.spec).toEqual({
      file: 'acme.yaml',
      recordedSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      state: 'not-found',
      compared: null,
      foundBy: null,
      sha256: null,
      searched: [join(c.cwd, 'acme.yaml'), join(c.base, 'acme.yaml')],
    });
    expect(result.next[0]!.command).toBe(`installctl status ${c.dir} --spec acme.yaml`);
  });

  it('skips what is not a regular file where the spec is looked up (a FIFO would block)', () => {
    const c = fresh();
    execFileSync('mkfifo', [join(c.cwd, 'acme.yaml')]);
    expect(run(c).spec).toMatchObject({ state: 'unchanged', foundBy: 'beside-dir', searched: [join(c.cwd, 'acme.yaml'), c.spec] });
  });

  it('never reads standard input for a spec rendered from it (spec.file -)', () => {
    const c = fresh();
    editManifest(c.dir, (manifest) => (manifest.spec.file = '-'));
    writeFileSync(join(c.cwd, '-'), readFileSync(c.spec));
    const result = run(c);
    expect(result.spec).toMatchObject({ file: '-', state: 'not-found', searched: [] });
    expect(result.next[0]).toEqual({ command: `installctl status ${c.dir} --spec SPEC`, why: 'compare the spec: DIR was rendered from standard input' });
  });

  it.each([
    ['a spec name that reads as an option', { file: '--help' }, (c: ReturnType<typeof fresh>) => `installctl status ${c.dir} --spec=--help`],
    ['a spec name with a space', { file: 'my spec.yaml' }, (c: ReturnType<typeof fresh>) => `installctl status ${c.dir} --spec 'my spec.yaml'`],
  ])('quotes %s in the commands it prints', (_, spec, expected) => {
    const c = fresh();
    editManifest(c.dir, (manifest) => (manifest.spec.file = spec.file));
    expect(run(c).next[0]!.command).toBe(expected(c));
  });

  it('puts a spec name that reads as an option after -- in the render and plan commands', () => {
    const c = fresh();
    editManifest(c.dir, (manifest) => (manifest.spec.file = '-acme.yaml'));
    appendFileSync(join(c.dir, 'images.txt'), 'drift\n');
    expect(run(c).next.map((step) => step.command)).toEqual([
      `installctl status ${c.dir} --spec=-acme.yaml`,
      `installctl render --out ${c.dir} --diff -- -acme.yaml`,
      `installctl render --out ${c.dir} -- -acme.yaml`,
      'installctl upgrade plan --to 2026.12.0 -- -acme.yaml',
    ]);
  });

  it('hashes the spec as render reads it (a UTF-8 BOM is not a change), and a file render could not read as a change', () => {
    const c = fresh();
    writeFileSync(c.spec, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(EXAMPLE)]));
    expect(run(c).spec.state).toBe('unchanged');
    writeFileSync(c.spec, Buffer.from([0xff, 0xfe, 0x41, 0x00]));
    expect(run(c).spec).toMatchObject({ state: 'changed', sha256: null });
  });

  it.each([
    ['a missing --spec', (c: ReturnType<typeof fresh>) => join(c.base, 'nope.yaml'), 'FILE_NOT_FOUND'],
    ['a directory as --spec', (c: ReturnType<typeof fresh>) => c.cwd, 'FILE_IS_DIRECTORY'],
  ])('refuses %s (exit 2)', (_, spec, code) => {
    const c = fresh();
    const error = refusal(() => run(c, { spec: spec(c) }));
    expect([error.code, error.exitCode]).toEqual([code, 2]);
  });
});

describe('installctl status: the release', () => {
  it.each([
    ['recorded in the manifest', () => {}, { version: '2026.11.0', source: 'manifest', status: 'current', newer: ['2026.12.0'], upgradeTo: '2026.12.0' }],
    [
      'absent from an older manifest: from the values layer',
      (c: ReturnType<typeof fresh>) => editManifest(c.dir, (manifest) => delete manifest.release),
      { version: '2026.11.0', source: 'values', status: 'current', newer: ['2026.12.0'], upgradeTo: '2026.12.0' },
    ],
    [
      'absent from the manifest, an older release in the values',
      (c: ReturnType<typeof fresh>) => {
        editManifest(c.dir, (manifest) => delete manifest.release);
        const values = join(c.dir, VALUES);
        writeFileSync(values, readFileSync(values, 'utf8').replace(/^( +release:) "2026\.11\.0"$/m, '$1 "2026.10.2"'));
      },
      { version: '2026.10.2', source: 'values', status: 'supported', newer: ['2026.11.0', '2026.12.0'], upgradeTo: '2026.11.0' },
    ],
    [
      'absent from the manifest and the values',
      (c: ReturnType<typeof fresh>) => {
        editManifest(c.dir, (manifest) => delete manifest.release);
        rmSync(join(c.dir, VALUES));
      },
      { version: 'unknown', source: 'unknown', status: null, newer: [], upgradeTo: null },
    ],
    [
      'a release this installctl does not catalogue',
      (c: ReturnType<typeof fresh>) => setRelease(c.dir, '2026.9.0'),
      { version: '2026.9.0', source: 'manifest', status: 'not-catalogued', newer: ['2026.10.2', '2026.11.0', '2026.12.0'], upgradeTo: null },
    ],
    [
      'the newest catalogued release',
      (c: ReturnType<typeof fresh>) => setRelease(c.dir, '2026.12.0'),
      { version: '2026.12.0', source: 'manifest', status: 'preview', newer: [], upgradeTo: null },
    ],
  ])('%s', (_, mutate, expected) => {
    const c = fresh();
    mutate(c);
    const result = run(c);
    expect({ ...result.release, newer: result.release.newer.map((release) => release.version) }).toEqual({ ...expected, mismatch: null });
    const plan = result.next.find((step) => step.command.startsWith('installctl upgrade plan'));
    expect(plan?.command ?? null).toBe(result.release.upgradeTo ? `installctl upgrade plan ${c.spec} --to ${result.release.upgradeTo}` : null);
  });

  // The manifest's release is one line anyone can edit; the values layer's is in a file the manifest hashes.
  it.each([
    [
      'the manifest’s release edited alone',
      (c: ReturnType<typeof fresh>) => editManifest(c.dir, (m) => (m.release = '2026.10.2')),
      { manifest: '2026.10.2', values: '2026.11.0' },
      '2026.11.0',
      'values',
    ],
    [
      'the values layer’s release edited (and its file changed)',
      (c: ReturnType<typeof fresh>) => writeFileSync(join(c.dir, VALUES), readFileSync(join(c.dir, VALUES), 'utf8').replace(/^( +release:) "2026\.11\.0"$/m, '$1 "2026.12.0"')),
      { manifest: '2026.11.0', values: '2026.12.0' },
      '2026.12.0',
      'values',
    ],
    ['the values layer gone', (c: ReturnType<typeof fresh>) => rmSync(join(c.dir, VALUES)), { manifest: '2026.11.0', values: null }, '2026.11.0', 'manifest'],
  ])('a disagreement is drift: %s', (_, mutate, mismatch, version, source) => {
    const c = fresh();
    mutate(c);
    const result = run(c);
    expect(result.release).toMatchObject({ version, source, mismatch });
    expect([result.inSync, result.exitCode]).toEqual([false, 1]);
    expect(result.next.map((step) => step.command)).toContain(`installctl render ${c.spec} --out ${c.dir}`);
  });

  it('writes release into every new manifest', () => {
    expect(JSON.parse(readFileSync(join(pristine, 'deploy', 'manifest.json'), 'utf8'))).toMatchObject({ installctl: packageVersion(), release: '2026.11.0' });
  });
});

type Refusal = [string, (c: ReturnType<typeof fresh>) => void, string];

const HOSTILE: Refusal[] = [
  ['a path leaving DIR (../x)', (c) => editManifest(c.dir, (m) => m.files.push({ ...m.files[0], path: '../x' })), 'STATUS_MANIFEST_INVALID'],
  ['a path leaving DIR further down (a/../../x)', (c) => editManifest(c.dir, (m) => (m.files[0].path = 'helm/../../x')), 'STATUS_MANIFEST_INVALID'],
  ['an absolute path', (c) => editManifest(c.dir, (m) => (m.files[0].path = '/etc/passwd')), 'STATUS_MANIFEST_INVALID'],
  ['a drive path', (c) => editManifest(c.dir, (m) => (m.files[0].path = 'C:/x')), 'STATUS_MANIFEST_INVALID'],
  ['a backslash path', (c) => editManifest(c.dir, (m) => (m.files[0].path = '..\\x')), 'STATUS_MANIFEST_INVALID'],
  ['a path with a control character', (c) => editManifest(c.dir, (m) => (m.files[0].path = 'x\u001b[2Jy')), 'STATUS_MANIFEST_INVALID'],
  ['a path listed twice', (c) => editManifest(c.dir, (m) => m.files.push(m.files[0])), 'STATUS_MANIFEST_INVALID'],
  ['a spec file that is a path', (c) => editManifest(c.dir, (m) => (m.spec.file = '../../etc/passwd')), 'STATUS_MANIFEST_INVALID'],
  ['a spec file ..', (c) => editManifest(c.dir, (m) => (m.spec.file = '..')), 'STATUS_MANIFEST_INVALID'],
  ['a malformed hash', (c) => editManifest(c.dir, (m) => (m.files[0].sha256 = 'abc')), 'STATUS_MANIFEST_INVALID'],
  ['a negative size', (c) => editManifest(c.dir, (m) => (m.files[0].bytes = -1)), 'STATUS_MANIFEST_INVALID'],
  ['a release that is no version', (c) => editManifest(c.dir, (m) => (m.release = 'latest')), 'STATUS_MANIFEST_INVALID'],
  ['an installctl that is no version', (c) => editManifest(c.dir, (m) => (m.installctl = '\u001b]0;pwned\u0007')), 'STATUS_MANIFEST_INVALID'],
  ['files not a list', (c) => editManifest(c.dir, (m) => (m.files = {})), 'STATUS_MANIFEST_INVALID'],
  ['no spec', (c) => editManifest(c.dir, (m) => delete m.spec), 'STATUS_MANIFEST_INVALID'],
  ['not JSON', (c) => writeFileSync(join(c.dir, 'manifest.json'), '{"kind": "RenderManifest",'), 'STATUS_MANIFEST_INVALID'],
  ['a JSON list', (c) => writeFileSync(join(c.dir, 'manifest.json'), '[]'), 'STATUS_MANIFEST_INVALID'],
  ['over 16 MiB', (c) => truncateSync(join(c.dir, 'manifest.json'), SIZE_CAPS.renderState + 1), 'STATUS_MANIFEST_INVALID'],
  [
    'a link to a manifest outside DIR',
    (c) => {
      cpSync(join(c.dir, 'manifest.json'), join(c.base, 'manifest.json'));
      rmSync(join(c.dir, 'manifest.json'));
      symlinkSync(join(c.base, 'manifest.json'), join(c.dir, 'manifest.json'));
    },
    'STATUS_MANIFEST_INVALID',
  ],
  ['a manifest of another kind', (c) => editManifest(c.dir, (m) => (m.kind = 'Manifest')), 'STATUS_NOT_A_RENDER'],
  ['no manifest', (c) => rmSync(join(c.dir, 'manifest.json')), 'STATUS_NOT_A_RENDER'],
  ['no directory', (c) => rmSync(c.dir, { recursive: true }), 'STATUS_NOT_A_RENDER'],
  [
    'a file',
    (c) => {
      rmSync(c.dir, { recursive: true });
      writeFileSync(c.dir, '{}');
    },
    'STATUS_NOT_A_RENDER',
  ],
];

describe('installctl status: a directory it cannot trust', () => {
  it.each(HOSTILE)('refuses %s (exit 2), reading nothing outside DIR', (_, mutate, code) => {
    const c = fresh();
    mutate(c);
    const before = snapshot(c.base);
    const error = refusal(() => run(c));
    expect([error.code, error.exitCode]).toEqual([code, 2]);
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(snapshot(c.base)).toEqual(before);
  });

  it.each([
    ['pulumi/index.ts', null],
    ['a/b.c', null],
    ['../x', 'leaves DIR'],
    ['a/./b', 'empty or . component'],
    ['a//b', 'empty or . component'],
    ['', 'not a non-empty string'],
    ['manifest.json', 'the manifest itself'],
  ])('pathProblem(%j)', (path, problem) => {
    const found = pathProblem(path);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});

describe('installctl status: versions and output', () => {
  it.each([
    ['0.1.0', '0.1.0', 0],
    ['0.0.9', '0.1.0', -1],
    ['0.10.0', '0.9.0', 1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0', '1.0.0+build.5', 0],
  ])('%s against %s', (a, b, sign) => {
    expect(Math.sign(compareInstallctlVersions(a, b))).toBe(sign);
  });
});
