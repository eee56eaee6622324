// ESLint (flat config): `npm run lint`, warnings are errors. Correctness rules only; layout is prettier's.
// The layer rules are not written here by hand: they are generated from cli/layers.json, one config
// object per source directory, because an import specifier is relative to the file that holds it
// (test/scripts/lint-config.test.ts checks that a forbidden import is reported and an allowed one is not).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));
const LAYERS_FILE = 'cli/layers.json';

/** The folders ESLint never reads: generated code, build output, downloaded tools, data. */
const IGNORED = ['cli/generated/**', 'dist/**', '.tools/**', 'node_modules/**', 'charts/**', 'test-results/**', 'out/**', 'tmp/**', 'coverage/**'];

/** The files that may import oclif: the commands, the hooks, the entry point and the two command helpers in cli/lib. */
export const OCLIF_ALLOWED = ['cli/commands/**', 'cli/hooks/**', 'cli/commands.ts', 'cli/lib/base-command.ts', 'cli/lib/flags.ts'];
const OCLIF_MESSAGE = 'Only cli/commands, cli/hooks, cli/commands.ts and cli/lib/{base-command,flags}.ts talk to oclif: services and the rooms below them never import it.';

/** The folders whose code the layer rules cover (the rooms that hold code). */
const CODE_ROOTS = ['cli', 'stacks', 'matrix'];
const SOURCE_FILE = /\.(ts|mts|js|mjs)$/;

/** The room a repository path belongs to: the longest room that prefixes it (as test/architecture reads cli/layers.json). */
export function roomOf(rooms, path) {
  let best = null;
  for (const room of Object.keys(rooms)) {
    if ((path === room || path.startsWith(room + '/')) && (best === null || room.length > best.length)) best = room;
  }
  return best;
}

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A regular expression over import specifiers written in `dir` that matches the imports landing in
 * `target` (and not in one of its own sub-rooms, which are rooms of their own).
 */
export function specifierPattern(rooms, dir, target) {
  const rel = posix.relative(dir, target);
  const prefix = rel === '' ? '.' : rel.startsWith('..') ? rel : `./${rel}`;
  const subRooms = Object.keys(rooms)
    .filter((room) => room.startsWith(target + '/'))
    .map((room) => room.slice(target.length + 1).split('/')[0]);
  // The next segment is neither '..' (that leaves the target) nor a sub-room of the target.
  const notSubRoom = [...new Set(subRooms)].map(escapeRegex).concat('\\.\\.').join('|');
  return `^${escapeRegex(prefix)}/(?!(${notSubRoom})(/|$))`;
}

/** The rooms a file in `room` may not import: every other room not in its mayImport list. */
export function forbiddenRooms(rooms, room) {
  return Object.keys(rooms).filter((other) => other !== room && !rooms[room].mayImport.includes(other));
}

/** Every directory under the code roots that holds a source file (cli/generated excluded). */
function sourceDirectories(base, dir) {
  const entries = readdirSync(join(base, dir), { withFileTypes: true });
  const here = entries.some((entry) => entry.isFile() && SOURCE_FILE.test(entry.name)) ? [dir] : [];
  return here.concat(
    entries
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && `${dir}/${entry.name}` !== 'cli/generated')
      .flatMap((entry) => sourceDirectories(base, `${dir}/${entry.name}`)),
  );
}

/** An import of '@oclif/core' or any of its subpaths ('@oclif/core/flags', '@oclif/core/errors', ...). */
export const OCLIF_SPECIFIER = '^@oclif/core(/|$)';

/** Top-level folders in no room: code under cli/ and stacks/ never imports them (they are not shipped). */
export const OUTSIDE_ROOMS = ['test', 'scripts', 'bench'];

/**
 * A relative specifier that is not in normal form ('./../x', 'a/../b', 'a/./b', 'a//b'): the layer
 * patterns compare the specifier as written, so it must be written the one way they can read.
 */
export const UNNORMALISED_SPECIFIER = '^\\./\\.\\.?(/|$)|^\\.\\.?/(.*/)?(\\.(/|$)|/|(?!\\.\\.?(/|$))[^/]+/\\.\\.(/|$))';
const UNNORMALISED_MESSAGE = 'Write a relative import in normal form (no ./.., a/../b, a/./b or //): the layer rules of cli/layers.json read the specifier as written.';
const COMPUTED_MESSAGE = 'import() of a relative module takes a string literal: the layer rules of cli/layers.json cannot check a computed path.';

/** The no-restricted-imports and no-restricted-syntax (for import()) options of one directory. */
function restrictionRules(rooms, dir, { oclif }) {
  const room = roomOf(rooms, dir);
  const forbidden = forbiddenRooms(rooms, room).map((target) => ({
    regex: specifierPattern(rooms, dir, target),
    message: `${room} may not import ${target} (${LAYERS_FILE}).`,
  }));
  for (const outside of OUTSIDE_ROOMS) {
    forbidden.push({
      regex: `^${escapeRegex(posix.relative(dir, outside))}(/|$)`,
      message: `${room} may not import ${outside}/, which is in no room of ${LAYERS_FILE} (it is not shipped).`,
    });
  }
  forbidden.push({ regex: UNNORMALISED_SPECIFIER, message: UNNORMALISED_MESSAGE });
  if (!oclif) forbidden.push({ regex: OCLIF_SPECIFIER, message: OCLIF_MESSAGE });
  const patterns = forbidden.map(({ regex, message }) => ({ regex, caseSensitive: true, message }));
  // no-restricted-imports does not see import(): the same rules as selectors (esquery regexes take no '/').
  const selector = (regex) => `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`;
  const dynamic = forbidden.map(({ regex, message }) => ({ selector: selector(regex), message }));
  // A template literal or a concatenation has no source.value for the selectors above to read.
  dynamic.push(
    { selector: "ImportExpression[source.type='TemplateLiteral'][source.quasis.0.value.cooked=/^\\./]", message: COMPUTED_MESSAGE },
    { selector: "ImportExpression[source.type='BinaryExpression']", message: COMPUTED_MESSAGE },
  );
  return {
    'no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': ['error', ...dynamic],
  };
}

/**
 * One config object per source directory (and one per oclif-allowed file in a directory that may
 * not otherwise import oclif), generated from cli/layers.json.
 */
export function layerConfigs(base = root) {
  const { rooms } = JSON.parse(readFileSync(join(base, LAYERS_FILE), 'utf8'));
  const oclifDir = (dir) => dir === 'cli/commands' || dir.startsWith('cli/commands/') || dir === 'cli/hooks' || dir.startsWith('cli/hooks/');
  const configs = [];
  for (const codeRoot of CODE_ROOTS) {
    let dirs;
    try {
      dirs = sourceDirectories(base, codeRoot);
    } catch {
      continue; // a code root with no folder (matrix/ holds data only today)
    }
    for (const dir of dirs) {
      const files = [`${dir}/*.{ts,mts,js,mjs}`];
      configs.push({ name: `layers: ${dir}`, files, rules: restrictionRules(rooms, dir, { oclif: oclifDir(dir) }) });
      const allowedHere = OCLIF_ALLOWED.filter((file) => !file.endsWith('/**') && posix.dirname(file) === dir);
      if (allowedHere.length > 0 && !oclifDir(dir)) {
        configs.push({ name: `layers: ${dir} (oclif allowed)`, files: allowedHere, rules: restrictionRules(rooms, dir, { oclif: true }) });
      }
    }
  }
  return configs;
}

/** Node's globals for the plain JavaScript scripts (no `globals` package among the dev dependencies). */
const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'queueMicrotask',
    'structuredClone',
    'performance',
    'fetch',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'globalThis',
  ].map((name) => [name, 'readonly']),
);

/**
 * Recommended rules this code base turns off, each for a reason: the rest of the recommended sets are on.
 */
const NOT_FOR_THIS_CODE = {
  // Control characters are what cli/schema/control-characters.ts and the terminal-safety code look for.
  'no-control-regex': 'off',
  // Indentation in YAML and Markdown fixtures is clearer spelled out than as ' {2}'.
  'no-regex-spaces': 'off',
  // Flags the last `step++` of a numbered list and `chunks = []` that frees memory early: intended.
  'no-useless-assignment': 'off',
};

/** `_name` marks a value that is deliberately unused (a skipped tuple element, a property left out of a rest). */
const UNUSED = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true };

/** Type-aware correctness rules that today's code passes (stylistic type-aware rules are left out). */
const TYPED_CORRECTNESS = Object.fromEntries(
  [
    'no-floating-promises',
    'no-misused-promises',
    'await-thenable',
    'no-for-in-array',
    'no-implied-eval',
    'only-throw-error',
    'restrict-plus-operands',
    'prefer-promise-reject-errors',
    'no-duplicate-type-constituents',
    'no-redundant-type-constituents',
    'no-array-delete',
    'no-unsafe-unary-minus',
  ].map((rule) => [`@typescript-eslint/${rule}`, 'error']),
);

export default defineConfig(
  { name: 'ignored', ignores: IGNORED },
  {
    name: 'javascript',
    files: ['**/*.{js,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: NODE_GLOBALS },
    rules: { ...NOT_FOR_THIS_CODE, 'no-unused-vars': ['error', UNUSED] },
  },
  {
    name: 'typescript',
    files: ['**/*.{ts,mts}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      ...NOT_FOR_THIS_CODE,
      // Test doubles and Pulumi mocks hand `any` around on purpose; the compiler's strict mode is the guard.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', UNUSED],
    },
  },
  {
    // Type information only where a rule needs it: the code the tsconfig.json project covers.
    name: 'typed: cli and stacks',
    files: ['cli/**/*.ts', 'stacks/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      // A switch over a union names every member and has no default: adding a value fails the lint.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false, allowDefaultCaseForExhaustiveSwitch: false },
      ],
      ...TYPED_CORRECTNESS,
    },
  },
  {
    name: 'function length: cli and stacks',
    files: ['cli/**/*.ts', 'stacks/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  ...layerConfigs(),
);
