/** The run's Helm result cache: keys over everything Helm reads, shared through files. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmCache, treeHash } from '../../cli/conformance/helm-cache.js';

describe('HelmCache', () => {
  it('keys length-prefixed parts: a different split of the same bytes is a different key', () => {
    expect(HelmCache.key(['ab', 'c'])).not.toBe(HelmCache.key(['a', 'bc']));
    expect(HelmCache.key(['ab', 'c'])).toBe(HelmCache.key(['ab', Buffer.from('c')]));
  });

  it('round-trips results through files visible to another instance (another worker)', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'installctl-helm-cache-')), '.helm-cache');
    const key = HelmCache.key(['template', 'helm', 'x']);
    expect(new HelmCache(dir).get(key)).toBeNull();
    new HelmCache(dir).set(key, { ok: true, stdout: 'kind: Service', stderr: '' });
    expect(new HelmCache(dir).get(key)).toEqual({ ok: true, stdout: 'kind: Service', stderr: '' });
  });

  it('hashes a chart over its paths and contents', () => {
    const make = (content: string, name = 'values.yaml') => {
      const dir = mkdtempSync(join(tmpdir(), 'installctl-tree-'));
      mkdirSync(join(dir, 'templates'));
      writeFileSync(join(dir, 'templates', 'a.yaml'), 'kind: A');
      writeFileSync(join(dir, name), content);
      return treeHash(dir);
    };
    expect(make('a: 1')).toBe(make('a: 1'));
    expect(make('a: 1')).not.toBe(make('a: 2'));
    expect(make('a: 1')).not.toBe(make('a: 1', 'other.yaml'));
  });
});
