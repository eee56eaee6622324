/**
 * eslint.config.js: the import restrictions are derived from cli/layers.json (a forbidden import is
 * reported and an allowed one is not, static or import()), services never import oclif, and a switch
 * over a union that misses a member fails. Fixture files are linted as text under real paths with the
 * repository's own config, through the ESLint Node API.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { REPO } from '../helpers/cli.js';
// @ts-expect-error -- plain ESM config file without type declarations
import { forbiddenRooms, layerConfigs, roomOf } from '../../eslint.config.js';

interface Room {
  mayImport: string[];
}
const ROOMS = (JSON.parse(readFileSync(join(REPO, 'cli', 'layers.json'), 'utf8')) as { rooms: Record<string, Room> }).rooms;

/**
 * The messages ESLint gives `code` as the file at `path`. A .js path gets every rule but the type-aware
 * ones (the layer rules cover .js too) and needs no TypeScript program: quick.
 */
/** One ESLint over the repository's config, loaded once (it walks cli/ and stacks/ for the layer rules). */
const eslint = new ESLint({ cwd: REPO });

async function lint(path: string, code: string): Promise<Array<{ ruleId: string | null; message: string }>> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO, path) });
  return result!.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  types: [],
  // As tsconfig.json: no DOM declarations to parse.
  lib: ['lib.es2023.d.ts'],
};
/** The standard library's declarations, parsed once for every program below. */
const libraryFiles = new Map<string, ts.SourceFile | undefined>();

/**
 * The config's messages for `text` as the TypeScript file at `path`, with type information from a
 * one-file program (the tsconfig.json project loads every stack and Pulumi SDK: too slow for a unit test).
 */
async function lintTyped(path: string, text: string) {
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    if (file === path) return ts.createSourceFile(file, text, language, true);
    if (!libraryFiles.has(file)) libraryFiles.set(file, getSourceFile(file, language, ...rest));
    return libraryFiles.get(file);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === path || fileExists(file);
  const program = ts.createProgram({ rootNames: [path], options: COMPILER_OPTIONS, host });
  const typed = new ESLint({ cwd: REPO, overrideConfig: { files: ['cli/**/*.ts'], languageOptions: { parserOptions: { projectService: false, programs: [program] } } } });
  const [result] = await typed.lintText(text, { filePath: path });
  return result!.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

const layerMessages = (messages: Array<{ ruleId: string | null; message: string }>) =>
  messages.filter((message) => message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-syntax');

describe('eslint.config.js layer rules, from cli/layers.json', () => {
  it('has a config object for every source folder of every code room', () => {
    const names = (layerConfigs() as Array<{ name: string }>).map((config) => config.name);
    for (const dir of ['cli/lib', 'cli/emit', 'cli/bundle', 'cli/conformance/helm', 'cli/conformance/pulumi/clouds', 'cli/services', 'cli/commands/bundle', 'stacks/aws', 'cli']) {
      expect(names).toContain(`layers: ${dir}`);
    }
  });

  it('cli/emit may not import cli/bundle, cli/services or cli/commands: each reported, static, re-export and import()', async () => {
    expect(ROOMS['cli/emit']!.mayImport).not.toContain('cli/bundle');
    const messages = layerMessages(
      await lint(
        'cli/emit/lint-fixture.js',
        [
          "import { a } from '../bundle/push-files.js';",
          "export { b } from '../services/render.js';",
          "export const c = () => import('../commands/render.js');",
          'export { a };',
        ].join('\n'),
      ),
    );
    expect(messages.map((message) => message.message)).toEqual([
      expect.stringContaining('cli/emit may not import cli/bundle (cli/layers.json)'),
      expect.stringContaining('cli/emit may not import cli/services (cli/layers.json)'),
      expect.stringContaining('cli/emit may not import cli/commands (cli/layers.json)'),
    ]);
  });

  it('an allowed import is not reported: own room, rooms in mayImport, stacks, packages', async () => {
    expect(ROOMS['cli/emit']!.mayImport).toEqual(expect.arrayContaining(['cli/lib', 'cli/install-spec', 'stacks']));
    const code = [
      "import { a } from './settings.js';",
      "import { b } from '../lib/errors.js';",
      "import { c } from '../install-spec/read.js';",
      "import { d } from '../../stacks/settings.js';",
      "import { e } from 'yaml';",
      'export const f = () => import("../lib/atomic-write.js");',
      'export { a, b, c, d, e };',
    ].join('\n');
    expect(layerMessages(await lint('cli/emit/lint-fixture.js', code))).toEqual([]);
  });

  it('resolves specifiers from the file: a sub-room may not climb into its parent room, the parent may enter it', async () => {
    expect(forbiddenRooms(ROOMS, 'cli/conformance/helm')).toContain('cli/conformance');
    const fromHelm = layerMessages(
      await lint('cli/conformance/helm/lint-fixture.js', "export { a } from '../stages.js';\nexport { b } from '../pulumi/policies.js';\nexport { c } from '../../lib/errors.js';"),
    );
    expect(fromHelm.map((message) => message.message)).toEqual([expect.stringContaining('cli/conformance/helm may not import cli/conformance (cli/layers.json)')]);
    const fromConformance = layerMessages(await lint('cli/conformance/lint-fixture.js', "export { a } from './helm/helm.js';\nexport { b } from './pulumi/policies.js';"));
    expect(fromConformance).toEqual([]);
    const fromStacks = layerMessages(await lint('stacks/aws/lint-fixture.js', "export { a } from '../../cli/lib/errors.js';\nexport { b } from '../settings.js';"));
    expect(fromStacks.map((message) => message.message)).toEqual([expect.stringContaining('stacks may not import cli/lib (cli/layers.json)')]);
  });

  it('every room of cli/layers.json is the room of its own folder', () => {
    for (const room of Object.keys(ROOMS)) expect(roomOf(ROOMS, `${room}/file.ts`)).toBe(room);
  });

  it.each([
    ["import { Flags } from '@oclif/core';", 1],
    ["import { Flags } from '@oclif/core/flags';", 1],
    ["import { Command } from '@oclif/core/command';\nimport { CLIError } from '@oclif/core/errors';", 2],
    ["export { Flags } from '@oclif/core/flags';", 1],
    ["export const load = () => import('@oclif/core/errors');", 1],
    ["export const load = () => import('@oclif/core');", 1],
  ])('services never import oclif, nor any subpath of it; commands and hooks do: %s', async (code, count) => {
    const oclifErrors = async (path: string) => layerMessages(await lint(path, `${code}\nexport {};`)).map((message) => message.message);
    const refused = Array.from({ length: count }, () => expect.stringContaining('never import it'));
    expect(await oclifErrors('cli/services/lint-fixture.js')).toEqual(refused);
    expect(await oclifErrors('cli/lib/lint-fixture.js')).toEqual(refused);
    expect(await oclifErrors('stacks/aws/lint-fixture.js')).toEqual(refused);
    expect(await oclifErrors('cli/commands/bundle/lint-fixture.js')).toEqual([]);
    expect(await oclifErrors('cli/hooks/lint-fixture.js')).toEqual([]);
  });

  it('a package whose name merely starts like oclif is not oclif', async () => {
    expect(layerMessages(await lint('cli/services/lint-fixture.js', "import { a } from '@oclif/core-like';\nimport { b } from '@oclif/plugin-help';\nexport { a, b };"))).toEqual(
      [],
    );
  });

  it.each<[string, string, string]>([
    ['stacks reaching the test helpers', 'stacks/aws/lint-fixture.js', "import { a } from '../../test/helpers/cli.js';"],
    ['stacks reaching a script', 'stacks/lint-fixture.js', "import { a } from '../scripts/generate.mjs';"],
    ['cli/lib reaching the benchmarks', 'cli/lib/lint-fixture.js', "import { a } from '../../bench/run.mjs';"],
    ['a service reaching test/ by import()', 'cli/services/lint-fixture.js', "export const a = () => import('../../test/helpers/cli.js');"],
    ['the entry point reaching test/', 'cli/lint-fixture.js', "export { a } from '../test/helpers/cli.js';"],
  ])('an import into a folder in no room is reported: %s', async (_, path, code) => {
    const messages = layerMessages(await lint(path, `${code}\nexport {};`)).map((message) => message.message);
    expect(messages).toEqual([expect.stringMatching(/may not import (test|scripts|bench)\/, which is in no room of cli\/layers.json/)]);
  });

  it.each<[string, string, string]>([
    ['./.. into another room', 'cli/lib/lint-fixture.js', "import { a } from './../services/render.js';"],
    ['a/../b', 'cli/emit/lint-fixture.js', "import { a } from '../lib/../bundle/push-files.js';"],
    ['a/./b', 'cli/emit/lint-fixture.js', "import { a } from './.././bundle/push-files.js';"],
    ['a double slash', 'cli/emit/lint-fixture.js', "import { a } from '..//bundle/push-files.js';"],
    ['./.. by import()', 'cli/lib/lint-fixture.js', "export const a = () => import('./../services/render.js');"],
  ])('a relative specifier not in normal form is reported: %s', async (_, path, code) => {
    const messages = layerMessages(await lint(path, `${code}\nexport {};`)).map((message) => message.message);
    // '..//bundle' also reads as an import of the cli room itself: that report may come too.
    expect(messages).toContainEqual(expect.stringContaining('in normal form'));
    expect(messages.filter((message) => !message.includes('in normal form') && !message.includes('may not import cli ('))).toEqual([]);
  });

  it.each<[string, string]>([
    ['a template literal with a substitution', 'export const a = (name) => import(`../services/${name}.js`);'],
    ['a template literal without one', 'export const a = () => import(`../services/render.js`);'],
    ['a concatenation', "export const a = (name) => import('../services/' + name);"],
  ])('a computed relative import() is reported: %s', async (_, code) => {
    const messages = layerMessages(await lint('cli/lib/lint-fixture.js', code)).map((message) => message.message);
    expect(messages).toEqual([expect.stringContaining('cannot check a computed path')]);
  });

  it('a template literal naming a package is not reported (kubernetes-models by kind)', async () => {
    expect(layerMessages(await lint('cli/conformance/helm/lint-fixture.js', 'export const a = (kind) => import(`kubernetes-models/v1/${kind}`);'))).toEqual([]);
  });
});

describe('eslint.config.js switch-exhaustiveness-check', () => {
  const path = join(REPO, 'cli', 'emit', 'lint-fixture.ts');
  const code = (cases: string) =>
    ["type Platform = 'aws' | 'gcp' | 'azure';", 'export function label(platform: Platform): string {', '  switch (platform) {', cases, '  }', '}', ''].join('\n');

  it('cli/lib/flags.ts, one of the two command helpers in cli/lib, may import oclif', async () => {
    const oclif = "import { Flags } from '@oclif/core/flags';\nexport { Flags };";
    expect(layerMessages(await lintTyped(join(REPO, 'cli', 'lib', 'flags.ts'), oclif))).toEqual([]);
    expect(layerMessages(await lintTyped(join(REPO, 'cli', 'lib', 'errors.ts'), oclif)).map((message) => message.message)).toEqual([expect.stringContaining('never import it')]);
  }, 60_000);

  it('fires on a switch over a union that misses a member, even with a default', async () => {
    const missing = await lintTyped(path, code("    case 'aws':\n      return 'AWS';\n    case 'gcp':\n      return 'Google Cloud';\n    default:\n      return 'other';"));
    expect(missing).toEqual([{ ruleId: '@typescript-eslint/switch-exhaustiveness-check', message: expect.stringContaining('"azure"') }]);
  }, 60_000);

  it('fires on a default branch of a switch that names every member, and not on an exhaustive switch without one', async () => {
    const all = "    case 'aws':\n      return 'AWS';\n    case 'gcp':\n      return 'Google Cloud';\n    case 'azure':\n      return 'Azure';";
    expect((await lintTyped(path, code(`${all}\n    default:\n      return 'other';`))).map((message) => message.ruleId)).toEqual([
      '@typescript-eslint/switch-exhaustiveness-check',
    ]);
    expect(await lintTyped(path, code(all))).toEqual([]);
  }, 60_000);
});
