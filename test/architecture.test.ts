/**
 * The rooms of cli/layers.json hold: every file of cli/ and stacks/ is in a room, imports only the
 * rooms its room may import, no two folders import each other (directly or round a cycle), every
 * room has its folder, and ARCHITECTURE.md explains every room. The checker itself is tried on
 * fixtures first (test/helpers/architecture.ts), the way test/architecture/runtime-imports.test.ts does.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { REPO } from './helpers/cli.js';
import { architectureProblems, cycles, roomOf, type Rooms } from './helpers/architecture.js';

const layers = JSON.parse(readFileSync(join(REPO, 'cli', 'layers.json'), 'utf8')) as { rooms: Rooms };

/**
 * Imports ("FILE SPECIFIER") a change on another branch removes (issue 12, helper "errors": cli/oci
 * throws typed errors instead of bundle's). Each must still exist, so the entry goes when it lands.
 */

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [relative(REPO, path).split(sep).join('/')] : [];
  });
}

describe('the architecture checker', () => {
  const rooms: Rooms = {
    lib: { role: 'plumbing', mayImport: [] },
    core: { role: 'domain', mayImport: ['lib'] },
    'core/inner': { role: 'a room inside a room', mayImport: ['lib'] },
    app: { role: 'orchestration', mayImport: ['lib', 'core', 'core/inner'] },
  };
  const folders = new Set(Object.keys(rooms));
  const check = (files: Array<[string, string]>, roomsToCheck: Rooms = rooms) =>
    architectureProblems(
      roomsToCheck,
      files.map(([path, text]) => ({ path, text })),
      (room) => folders.has(room),
    );

  it.each([
    ['a file belongs to the longest room that prefixes it', 'core/inner/x.ts', 'core/inner'],
    ['its parent room otherwise', 'core/x.ts', 'core'],
    ['a prefix of the name is no room', 'corelike/x.ts', null],
  ])('%s', (_, path, room) => {
    expect(roomOf(path, rooms)).toBe(room);
  });

  it.each<[string, Array<[string, string]>, string[]]>([
    ['an allowed import passes', [['app/a.ts', "import { x } from '../core/x.js';"]], []],
    ['an import inside a room passes', [['core/a.ts', "import { x } from './b.js';\nimport { y } from './deep/c.js';"]], []],
    ['packages are not rooms', [['lib/a.ts', "import { parse } from 'yaml';\nimport { join } from 'node:path';"]], []],
    ['an upward import fails at its line', [['lib/a.ts', "// lib\n\nimport { x } from '../core/x.js';"]], ['lib/a.ts:3: lib may not import core (../core/x.js)']],
    ['so does a type import', [['lib/a.ts', "import type { X } from '../core/x.js';"]], ['lib/a.ts:1: lib may not import core (../core/x.js)']],
    ['so does a re-export', [['lib/a.ts', "export { x } from '../app/x.js';"]], ['lib/a.ts:1: lib may not import app (../app/x.js)']],
    [
      'so does a dynamic import',
      [['lib/a.ts', "const run = async () => {\n  const { x } = await import('../app/x.js');\n};"]],
      ['lib/a.ts:2: lib may not import app (../app/x.js)'],
    ],
    ['so does a type query', [['lib/a.ts', "let value: import('../core/x.js').X;"]], ['lib/a.ts:1: lib may not import core (../core/x.js)']],
    ['a commented-out import does not count', [['lib/a.ts', "// import { x } from '../core/x.js';\n/* export * from '../app/y.js'; */"]], []],
    ['a room inside a room is its own room', [['core/inner/a.ts', "import { x } from '../b.js';"]], ['core/inner/a.ts:1: core/inner may not import core (../b.js)']],
    [
      'an import out of every room fails',
      [['core/a.ts', "import { x } from '../../scripts/x.mjs';"]],
      ['core/a.ts:1: imports ../../scripts/x.mjs (../scripts/x.mjs), which is in no room'],
    ],
    [
      'so does an import into test/',
      [['core/a.ts', "import { x } from '../test/helpers/cli.js';"]],
      ['core/a.ts:1: imports ../test/helpers/cli.js (test/helpers/cli.js), which is in no room'],
    ],
    [
      'so does one into scripts/ from a room inside a room',
      [['core/inner/a.ts', "export { x } from '../../scripts/generate.mjs';"]],
      ['core/inner/a.ts:1: imports ../../scripts/generate.mjs (scripts/generate.mjs), which is in no room'],
    ],
    [
      'a specifier is normalised: ./.. lands in the room it points at',
      [['lib/a.ts', "import { x } from './../app/x.js';"]],
      ['lib/a.ts:1: lib may not import app (./../app/x.js)'],
    ],
    ['so does a/../b', [['lib/a.ts', "import { x } from '../lib/../app/x.js';"]], ['lib/a.ts:1: lib may not import app (../lib/../app/x.js)']],
    ['and an unnormalised import inside the room passes', [['lib/a.ts', "import { x } from './../lib/./b.js';"]], []],
    ['a template literal without substitutions is a specifier', [['lib/a.ts', 'const load = () => import(`../app/x.js`);']], ['lib/a.ts:1: lib may not import app (../app/x.js)']],
    [
      'a computed relative import() fails, even into an allowed room',
      [['app/a.ts', 'const load = (name: string) => import(`../core/${name}.js`);']],
      ['app/a.ts:1: imports a computed path (../core/...), which no checker can place in a room: import a string literal'],
    ],
    [
      'so does a concatenation',
      [['app/a.ts', "const load = (name: string) => import('../core/' + name);"]],
      ['app/a.ts:1: imports a computed path (../core/...), which no checker can place in a room: import a string literal'],
    ],
    ['a computed package import() passes', [['app/a.ts', 'const load = (kind: string) => import(`kubernetes-models/v1/${kind}`);']], []],
    ['a file in no room fails', [['scripts/a.ts', "import { x } from '../lib/x.js';"]], ['scripts/a.ts:1: the file is in no room of cli/layers.json']],
  ])('%s', (_, files, problems) => {
    expect(check(files)).toEqual(problems);
  });

  it('names every site of a folder-level cycle', () => {
    const loose: Rooms = { ...rooms, core: { role: 'domain', mayImport: ['lib', 'app'] } };
    const problems = check(
      [
        ['app/a.ts', "import { x } from '../core/x.js';"],
        ['core/x.ts', "\nimport { y } from '../app/b.js';"],
      ],
      loose,
    );
    expect(problems).toEqual([
      'cli/layers.json: the rooms may import each other in a cycle: app -> core -> app',
      'folder-level import cycle app -> core -> app: app -> core at app/a.ts:1; core -> app at core/x.ts:2',
    ]);
  });

  it('finds a cycle round three rooms once, from its smallest room', () => {
    const graph = new Map([
      ['c', new Set(['a'])],
      ['a', new Set(['b', 'x'])],
      ['b', new Set(['c'])],
      ['x', new Set<string>()],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('fails a room without a folder and a mayImport that names no room', () => {
    const rooms2: Rooms = { lib: { role: 'plumbing', mayImport: ['util'] }, ghost: { role: 'gone', mayImport: [] } };
    expect(architectureProblems(rooms2, [], (room) => room === 'lib')).toEqual([
      'cli/layers.json: room lib may import util, which is no room',
      'cli/layers.json: room ghost has no folder',
    ]);
  });
});

describe('the architecture of installctl', () => {
  const isFolder = (room: string) => existsSync(join(REPO, room)) && statSync(join(REPO, room)).isDirectory();
  // Parsed while the file is collected, like the sources of test/stacks/sources.test.ts: about 240
  // files, a second on an idle machine (the generated validators are most of it).
  const texts = ['cli', 'stacks'].flatMap((dir) => sources(join(REPO, dir))).map((path) => ({ path, text: readFileSync(join(REPO, path), 'utf8') }));
  const problems = architectureProblems(layers.rooms, texts, isFolder);

  it('every file is in a room and imports only what its room may import, without cycles (cli/layers.json)', () => {
    expect(problems).toEqual([]);
  });

  it('ARCHITECTURE.md explains every room', () => {
    const text = readFileSync(join(REPO, 'ARCHITECTURE.md'), 'utf8');
    const missing = Object.keys(layers.rooms).filter((room) => !text.includes(`\`${room}/\``));
    expect(missing, 'rooms ARCHITECTURE.md does not name as `ROOM/`').toEqual([]);
  });
});
