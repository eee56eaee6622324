/** What a re-render keeps: the stack file's secrets and encryption keys, and entries the render does not own. */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { holdsPulumiState, linkEntries, mergeStackConfig, operatorEntries, previousRender } from '../../cli/emit/carry-over.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const RENDERED = `# Stack acme: generated.\nconfig:\n  aws:region: us-east-1\n  installctl:install:\n    name: acme\n`;

describe('mergeStackConfig', () => {
  it('keeps secure values of keys the render does not set, and the encryption keys', () => {
    const previous = `secretsprovider: awskms://alias/acme\nencryptedkey: ZZZ\nconfig:\n  aws:region: us-west-2\n  installctl:redisAuthToken:\n    secure: v1:abc\n  installctl:oldPlain: x\n`;
    const merged = parse(mergeStackConfig(previous, RENDERED));
    expect(merged).toEqual({
      config: { 'aws:region': 'us-east-1', 'installctl:install': { name: 'acme' }, 'installctl:redisAuthToken': { secure: 'v1:abc' } },
      secretsprovider: 'awskms://alias/acme',
      encryptedkey: 'ZZZ',
    });
    // Plain values are the render's: the operator's old region and stray keys do not come back.
    expect(mergeStackConfig(previous, RENDERED)).toContain('# Stack acme: generated.');
  });

  it('returns the rendered text unchanged when there is nothing to keep, or the old file is not YAML', () => {
    expect(mergeStackConfig('config:\n  aws:region: us-west-2\n', RENDERED)).toBe(RENDERED);
    expect(mergeStackConfig('config: [unclosed', RENDERED)).toBe(RENDERED);
    expect(mergeStackConfig('', RENDERED)).toBe(RENDERED);
  });

  it('lets a key the render now sets win over an old secure value of the same key', () => {
    const merged = parse(mergeStackConfig('config:\n  aws:region:\n    secure: v1:old\n', RENDERED));
    expect(merged.config['aws:region']).toBe('us-east-1');
  });
});

describe('operatorEntries and linkEntries', () => {
  it('keeps unlisted files and whole unlisted directories, never rendered paths, and links them without copying', () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-carry-'));
    const old = join(dir, 'out');
    mkdirSync(join(old, 'pulumi', 'node_modules', 'x'), { recursive: true });
    mkdirSync(join(old, 'helm'), { recursive: true });
    const listed = ['pulumi/index.ts', 'helm/a.yaml', 'gone.txt'];
    writeFileSync(join(old, 'manifest.json'), JSON.stringify({ kind: 'RenderManifest', files: listed.map((path) => ({ path, sha256: sha256(path), bytes: path.length })) }));
    for (const path of [...listed, 'pulumi/node_modules/x/i.js', 'helm/mine.json', 'password']) writeFileSync(join(old, path), path);
    symlinkSync('password', join(old, 'password-link'));

    const previous = previousRender(old)!;
    // gone.txt was rendered before, untouched, and is not now: it goes. new.txt is rendered now.
    const kept = operatorEntries(previous, new Set(['pulumi/index.ts', 'helm/a.yaml', 'new.txt', 'manifest.json']));
    expect(kept).toEqual(['helm/mine.json', 'password', 'password-link', 'pulumi/node_modules']);

    const staging = join(dir, 'staging');
    mkdirSync(staging);
    linkEntries(old, staging, kept);
    expect(readFileSync(join(staging, 'pulumi', 'node_modules', 'x', 'i.js'), 'utf8')).toBe('pulumi/node_modules/x/i.js');
    expect(readFileSync(join(staging, 'password-link'), 'utf8')).toBe('password');
    // A hard link: the same file, not a copy.
    writeFileSync(join(old, 'password'), 'changed');
    expect(readFileSync(join(staging, 'password'), 'utf8')).toBe('changed');
  });

  it('is null for a directory that is not an earlier render', () => {
    expect(previousRender(mkdtempSync(join(tmpdir(), 'installctl-carry-')))).toBeNull();
  });
});

/** An earlier render in a fresh directory: `written` as installctl wrote it (listed with hashes), then the operator's `changes`. */
function earlierRender(written: Record<string, string>, changes: (dir: string) => void = () => {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'installctl-carry-')), 'out');
  mkdirSync(dir);
  for (const [path, content] of Object.entries(written)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const files = Object.entries(written).map(([path, content]) => ({ path, sha256: sha256(content), bytes: Buffer.byteLength(content) }));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ kind: 'RenderManifest', files }));
  changes(dir);
  return dir;
}

const OLD_STACK = 'pulumi/Pulumi.acme.yaml';
const STACK = '# generated\nconfig:\n  aws:region: us-east-1\n';
const MERGED_STACK = `encryptionsalt: v1:salt\n${STACK}  installctl:redisAuthToken:\n    secure: v1:AAAA\n`;
const MODEL_VALUES = 'helm/model-server.values.yaml';
const append = (path: string, text: string) => (dir: string) => writeFileSync(join(dir, path), readFileSync(join(dir, path), 'utf8') + text);

describe('files the earlier render wrote and this one does not', () => {
  // The new render writes Pulumi.acme2.yaml and no model-server values (metadata.name changed; models now saas-api).
  const produced = new Set(['manifest.json', 'pulumi/Pulumi.acme2.yaml', 'helm/agent-platform.values.yaml']);
  const cases: Array<{ name: string; written: Record<string, string>; changes?: (dir: string) => void; kept: string[] }> = [
    { name: 'old stack file, untouched, without Pulumi state: it goes', written: { [OLD_STACK]: STACK }, kept: [] },
    {
      name: 'old stack file with the encryption salt and a secure value pulumi wrote: kept',
      written: { [OLD_STACK]: STACK },
      changes: append(OLD_STACK, 'encryptionsalt: v1:salt\n'),
      kept: [OLD_STACK],
    },
    { name: 'old stack file an earlier re-render merged secrets into, untouched since (hash matches): kept', written: { [OLD_STACK]: MERGED_STACK }, kept: [OLD_STACK] },
    { name: 'old stack file with only secretsprovider (flow style): kept', written: { [OLD_STACK]: '{secretsprovider: "awskms://x", config: {}}\n' }, kept: [OLD_STACK] },
    { name: 'old stack file the operator edited (plain value): kept', written: { [OLD_STACK]: STACK }, changes: append(OLD_STACK, '  aws:profile: ops\n'), kept: [OLD_STACK] },
    { name: 'model-server values no longer produced, untouched: it goes', written: { [MODEL_VALUES]: 'a: 1\n' }, kept: [] },
    {
      name: 'model-server values no longer produced, edited (same size): kept',
      written: { [MODEL_VALUES]: 'a: 1\n' },
      changes: (dir) => writeFileSync(join(dir, MODEL_VALUES), 'a: 2\n'),
      kept: [MODEL_VALUES],
    },
    { name: 'model-server values no longer produced, edited (longer): kept', written: { [MODEL_VALUES]: 'a: 1\n' }, changes: append(MODEL_VALUES, 'b: 2\n'), kept: [MODEL_VALUES] },
    {
      name: 'a listed file replaced by a directory: kept whole',
      written: { [MODEL_VALUES]: 'a: 1\n' },
      changes: (dir) => {
        rmSync(join(dir, MODEL_VALUES));
        mkdirSync(join(dir, MODEL_VALUES));
        writeFileSync(join(dir, MODEL_VALUES, 'x'), 'x');
      },
      kept: [MODEL_VALUES],
    },
    {
      name: 'a listed file replaced by a symbolic link: kept',
      written: { [MODEL_VALUES]: 'a: 1\n' },
      changes: (dir) => {
        rmSync(join(dir, MODEL_VALUES));
        symlinkSync('/etc/hostname', join(dir, MODEL_VALUES));
      },
      kept: [MODEL_VALUES],
    },
    { name: 'a listed file gone from disk: nothing to keep', written: { [MODEL_VALUES]: 'a: 1\n' }, changes: (dir) => rmSync(join(dir, MODEL_VALUES)), kept: [] },
    {
      name: "a produced file the operator edited: the render's, not kept",
      written: { 'helm/agent-platform.values.yaml': 'a: 1\n' },
      changes: append('helm/agent-platform.values.yaml', 'mine: true\n'),
      kept: [],
    },
  ];
  it.each(cases)('$name', ({ written, changes, kept }) => {
    const dir = earlierRender(written, changes);
    expect(operatorEntries(previousRender(dir)!, produced)).toEqual(kept);
  });

  it("keeps a listed file whose manifest entry has no usable hash (it cannot be shown to be installctl's)", () => {
    const dir = earlierRender({ [MODEL_VALUES]: 'a: 1\n' });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ kind: 'RenderManifest', files: [{ path: MODEL_VALUES, sha256: 'not-a-hash', bytes: 5 }] }));
    expect(operatorEntries(previousRender(dir)!, produced)).toEqual([MODEL_VALUES]);
  });
});

describe('holdsPulumiState', () => {
  it.each([
    ['encryptionsalt: v1:x\nconfig: {}\n', true],
    ['config:\n  a:b:\n    secure: v1:x\n', true],
    ['config: {a:b: {secure: v1:x}}\n', true],
    ['"secretsprovider": "hashivault://k"\n', true],
    ['encryptedkey: abc\n', true],
    ['# Stack acme: set secrets with pulumi config set --secret installctl:x\nconfig:\n  aws:region: us-east-1\n', false],
    ['config:\n  installctl:insecure: true\n', false],
  ])('%j -> %s', (text, expected) => {
    expect(holdsPulumiState(text)).toBe(expected);
  });
});

describe('linkEntries when a hard link is refused', () => {
  it.each(['EPERM', 'EXDEV', 'EMLINK'])('%s: copies the file with its mode and times, the old one untouched', (code) => {
    const old = earlierRender({}, (dir) => {
      mkdirSync(join(dir, 'secrets'));
      writeFileSync(join(dir, 'secrets', 'password'), 's3cr3t', { mode: 0o600 });
      chmodSync(join(dir, 'secrets', 'password'), 0o640);
    });
    const staging = join(dirname(old), 'staging');
    mkdirSync(staging);
    linkEntries(old, staging, ['secrets'], () => {
      throw Object.assign(new Error(code), { code });
    });
    const copy = join(staging, 'secrets', 'password');
    expect(readFileSync(copy, 'utf8')).toBe('s3cr3t');
    expect(statSync(copy).mode & 0o7777).toBe(0o640);
    expect(Math.abs(statSync(copy).mtimeMs - statSync(join(old, 'secrets', 'password')).mtimeMs)).toBeLessThan(1);
    expect(statSync(copy).ino).not.toBe(statSync(join(old, 'secrets', 'password')).ino);
  });

  it('recreates read-only directories with their mode, after filling them', () => {
    const old = earlierRender({}, (dir) => {
      mkdirSync(join(dir, 'cache', 'pkg'), { recursive: true });
      writeFileSync(join(dir, 'cache', 'pkg', 'mod.go'), 'package x');
      chmodSync(join(dir, 'cache', 'pkg'), 0o555);
      chmodSync(join(dir, 'cache'), 0o555);
    });
    const staging = join(dirname(old), 'staging');
    mkdirSync(staging);
    linkEntries(old, staging, ['cache']);
    expect(readFileSync(join(staging, 'cache', 'pkg', 'mod.go'), 'utf8')).toBe('package x');
    expect(statSync(join(staging, 'cache')).mode & 0o7777).toBe(0o555);
    expect(statSync(join(staging, 'cache', 'pkg')).mode & 0o7777).toBe(0o555);
  });

  it('is a bug, not a silent copy, for any other failure', () => {
    const old = earlierRender({}, (dir) => writeFileSync(join(dir, 'f'), 'x'));
    const staging = join(dirname(old), 'staging');
    mkdirSync(staging);
    expect(() =>
      linkEntries(old, staging, ['f'], () => {
        throw Object.assign(new Error('EIO'), { code: 'EIO' });
      }),
    ).toThrow('EIO');
  });
});
