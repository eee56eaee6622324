/** removeTree: installctl's own leftovers only; never through a symbolic link, read-only directories included. */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTree } from '../../cli/lib/remove-tree.js';

describe('removeTree', () => {
  it('removes read-only directories and never follows symbolic links out of the tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-remove-'));
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'keep'), 'keep');
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'ro', 'sub'), { recursive: true });
    writeFileSync(join(tree, 'ro', 'sub', 'f'), 'x');
    symlinkSync(join(dir, 'outside'), join(tree, 'link'));
    symlinkSync(join(dir, 'outside', 'keep'), join(tree, 'ro', 'file-link'));
    chmodSync(join(tree, 'ro', 'sub'), 0o555);
    chmodSync(join(tree, 'ro'), 0o555);
    expect(removeTree(tree)).toBe(true);
    expect(existsSync(tree)).toBe(false);
    expect(readFileSync(join(dir, 'outside', 'keep'), 'utf8')).toBe('keep');
  });

  it('is true for a path that does not exist, and removes a lone file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-remove-'));
    expect(removeTree(join(dir, 'missing'))).toBe(true);
    writeFileSync(join(dir, 'f'), 'x');
    expect(removeTree(join(dir, 'f'))).toBe(true);
    expect(existsSync(join(dir, 'f'))).toBe(false);
  });
});
