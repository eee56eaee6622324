/** Which --out paths render refuses before touching anything, and with which code. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkOutTarget, realPath } from '../../cli/emit/out-target.js';
import { checkOutputDir } from '../../cli/emit/output-dir.js';
import { userErrorCode } from '../helpers/user-error.js';
const codeOf = (run: () => void) => userErrorCode(run, 2);

let dir: string;
const home = process.env.HOME;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-out-target-'));
  mkdirSync(join(dir, 'render'));
  writeFileSync(join(dir, 'render', 'manifest.json'), '{"kind":"RenderManifest","files":[]}');
  symlinkSync('render', join(dir, 'link-to-render'));
  symlinkSync('nowhere', join(dir, 'dangling'));
  writeFileSync(join(dir, 'file'), 'x');
  symlinkSync('file', join(dir, 'link-to-file'));
  symlinkSync('link-to-render', join(dir, 'link-to-link'));
  mkdirSync(join(dir, 'shared'));
  chmodSync(join(dir, 'shared'), 0o1777);
  mkdirSync(join(dir, 'home', 'me'), { recursive: true });
});
afterEach(() => {
  process.env.HOME = home;
});

describe('checkOutTarget', () => {
  const cases: Array<[string, () => string, string | null]> = [
    ['a new directory', () => join(dir, 'new'), null],
    ['a new directory under missing parents', () => join(dir, 'a', 'b', 'c'), null],
    ['an earlier render', () => join(dir, 'render'), null],
    ['a new directory under a symbolic link (only the last name matters)', () => join(dir, 'link-to-render', 'sub'), null],
    ['a directory inside the home directory', () => join(dir, 'home', 'me', 'deploy'), null],
    ['a symbolic link to an earlier render', () => join(dir, 'link-to-render'), 'RENDER_OUT_SYMLINK'],
    ['the same link with a trailing slash', () => join(dir, 'link-to-render') + '/', 'RENDER_OUT_SYMLINK'],
    ['a link to a link', () => join(dir, 'link-to-link'), 'RENDER_OUT_SYMLINK'],
    ['a dangling link', () => join(dir, 'dangling'), 'RENDER_OUT_SYMLINK'],
    ['a link to a file', () => join(dir, 'link-to-file'), 'RENDER_OUT_SYMLINK'],
    ['/', () => '/', 'RENDER_OUT_UNSAFE'],
    ['/ spelled with dots', () => '/tmp/../..', 'RENDER_OUT_UNSAFE'],
    ['the current directory', () => process.cwd(), 'RENDER_OUT_UNSAFE'],
    ['"." ', () => '.', 'RENDER_OUT_UNSAFE'],
    ['an ancestor of the current directory', () => dirname(process.cwd()), 'RENDER_OUT_UNSAFE'],
    ['the home directory', () => join(dir, 'home', 'me'), 'RENDER_OUT_UNSAFE'],
    ['an ancestor of the home directory', () => join(dir, 'home'), 'RENDER_OUT_UNSAFE'],
    ['a shared sticky directory', () => join(dir, 'shared'), 'RENDER_OUT_UNSAFE'],
    ['a mount point (/proc)', () => '/proc', 'RENDER_OUT_UNSAFE'],
    ['a path through a file', () => join(dir, 'file', 'sub'), 'OUTPUT_NOT_WRITABLE'],
  ];
  it.each(cases)('%s -> %s', (_name, target, code) => {
    process.env.HOME = join(dir, 'home', 'me');
    expect(codeOf(() => checkOutTarget(target()))).toBe(code);
  });
});

describe('checkOutputDir', () => {
  it('refuses --force over a directory that holds the spec or the relocation map; an earlier render may hold them', () => {
    const other = join(dir, 'other');
    mkdirSync(join(other, 'specs'), { recursive: true });
    writeFileSync(join(other, 'specs', 'acme.yaml'), 'x');
    writeFileSync(join(other, 'map.json'), '{}');
    expect(codeOf(() => checkOutputDir(other, false, [join(other, 'specs', 'acme.yaml')]))).toBe('RENDER_OUT_NOT_RENDER');
    expect(codeOf(() => checkOutputDir(other, true, [join(other, 'specs', 'acme.yaml')]))).toBe('RENDER_OUT_UNSAFE');
    expect(codeOf(() => checkOutputDir(other, true, [join(dir, 'file'), join(other, 'map.json')]))).toBe('RENDER_OUT_UNSAFE');
    expect(codeOf(() => checkOutputDir(other, true, [join(dir, 'file')]))).toBeNull();
    writeFileSync(join(dir, 'render', 'spec.yaml'), 'x');
    expect(codeOf(() => checkOutputDir(join(dir, 'render'), true, [join(dir, 'render', 'spec.yaml')]))).toBeNull();
  });
});

describe('realPath', () => {
  it('resolves links in the existing part of a path and keeps the rest', () => {
    expect(realPath(join(dir, 'link-to-render', 'x', 'y'))).toBe(join(realPath(dir), 'render', 'x', 'y'));
  });
});
