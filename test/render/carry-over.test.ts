/** What a re-render keeps: the stack file's secrets and encryption keys, and entries the render does not own. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { linkEntries, mergeStackConfig, operatorEntries, previousRender } from '../../cli/render/carry-over.js';

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
    writeFileSync(join(old, 'manifest.json'), JSON.stringify({ kind: 'RenderManifest', files: [{ path: 'pulumi/index.ts' }, { path: 'helm/a.yaml' }, { path: 'gone.txt' }] }));
    for (const path of ['pulumi/index.ts', 'helm/a.yaml', 'gone.txt', 'pulumi/node_modules/x/i.js', 'helm/mine.json', 'password']) writeFileSync(join(old, path), path);
    symlinkSync('password', join(old, 'password-link'));

    const previous = previousRender(old)!;
    // gone.txt was rendered before and is not now: it goes. new.txt is rendered now.
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
