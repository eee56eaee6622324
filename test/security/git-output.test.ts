/**
 * Adversarial suite, git -> conformance. `--affected` reads changed paths from git and the report
 * records the checkout's commit: git output is capped (SIZE_CAPS.gitOutput), paths are read
 * NUL-separated (a name may hold a newline or a quote), a ref cannot become an option, and a
 * commit is recorded only when it has the shape of one and belongs to installctl's own checkout.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedFiles } from '../../cli/conformance/selection.js';
import { checkoutCommit } from '../../cli/conformance/run-info.js';

function repo(): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'base.txt'), 'x\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return { dir, git };
}

describe('changed paths from git', () => {
  it.each([
    ['a newline', 'stacks/aws/a\nb.ts'],
    ['a double quote and a backslash (git would C-quote them)', 'charts/model-server/"q\\.yaml'],
    ['non-ASCII (git would octal-escape it)', 'stacks/gcp/ré.ts'],
    ['an escape sequence', 'cli/\x1b[31mred.ts'],
    ['a leading dash', '-rf.ts'],
    ['spaces', 'matrix/a b.yaml'],
  ])('a name holding %s comes back verbatim, tracked or untracked', (_, path) => {
    const { dir, git } = repo();
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), 'x\n');
    expect(changedFiles('HEAD', dir)).toEqual([{ path, untracked: true }]);
    git('add', '--', path);
    git('commit', '-q', '-m', 'add');
    writeFileSync(join(dir, path), 'y\n');
    expect(changedFiles('HEAD~1', dir)).toEqual([{ path, untracked: false }]);
  });

  it.each(['--output=/tmp/installctl-pwned', '-p', '--no-index'])('refuses --affected %s: a ref is never an option', (ref) => {
    const { dir } = repo();
    expect(() => changedFiles(ref, dir)).toThrow(expect.objectContaining({ code: 'CONFORMANCE_BAD_REF' }));
  });
});

describe('the recorded commit', () => {
  it('is the full HEAD of the checkout itself (a short one varies with the clone)', () => {
    const { dir, git } = repo();
    expect(checkoutCommit(dir)).toBe(git('rev-parse', 'HEAD').trim());
    expect(checkoutCommit(dir)).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each([
    ['not a git checkout', () => mkdtempSync(join(tmpdir(), 'installctl-nogit-'))],
    [
      'a package inside another repository (installed under node_modules)',
      () => {
        const { dir } = repo();
        const nested = join(dir, 'node_modules', 'installctl');
        mkdirSync(nested, { recursive: true });
        return nested;
      },
    ],
    [
      'a repository without commits',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'installctl-empty-'));
        execFileSync('git', ['init', '-q'], { cwd: dir });
        return dir;
      },
    ],
  ])('is null for %s', (_, make) => {
    expect(checkoutCommit(make())).toBeNull();
  });
});
