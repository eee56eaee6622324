/** Which cells a conformance run covers: --only filters and --affected BASE_REF (--shard i/n: shards.ts). */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from '../lib/errors.js';
import { closest, quoteList } from '../lib/suggest.js';
import { SIZE_CAPS } from '../lib/read-capped.js';
import { visibleLine } from '../lib/visible-text.js';
import { PLATFORMS, type PlatformCheckFacts, type PlatformId } from '../dimensions/index.js';
import { DIMENSIONS, supportMatrix, type Cell, type Dimension, type SupportMatrixModel } from '../matrix/engine.js';

export { parseShard, planShards, shardCells, type Shard } from './shards.js';

/**
 * --only values: cell ids, or dimension values. Values of one dimension are alternatives, different
 * dimensions must all match: `--only aws,gcp --only air-gapped` is (aws or gcp) and air-gapped.
 */
export function filterCells(cells: readonly Cell[], only: readonly string[], matrix: SupportMatrixModel = supportMatrix()): Cell[] {
  if (only.length === 0) return [...cells];
  const ids = new Set<string>();
  const wanted = new Map<Dimension, Set<string>>();
  const allValues = DIMENSIONS.flatMap((dimension) => matrix.dimensions[dimension].map((value) => ({ dimension, value })));
  for (const item of only
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter(Boolean)) {
    if (matrix.cell(item)) {
      ids.add(item);
      continue;
    }
    const found = allValues.find((candidate) => candidate.value === item);
    if (!found) {
      const suggestion = closest(item, [...allValues.map((candidate) => candidate.value), ...matrix.cells().map((cell) => cell.id)]);
      throw new UserError(`--only ${item} is neither a cell id nor a dimension value`, {
        code: 'CONFORMANCE_BAD_FILTER',
        hint: suggestion
          ? `did you mean ${suggestion}?`
          : `dimension values: ${quoteList(
              allValues.map((candidate) => candidate.value),
              20,
            )}`,
      });
    }
    wanted.set(found.dimension, (wanted.get(found.dimension) ?? new Set()).add(found.value));
  }
  return cells.filter((cell) => ids.has(cell.id) || (wanted.size > 0 && [...wanted].every(([dimension, values]) => values.has(cell[dimension]))));
}

/** Files that cannot change rendered output or conformance behaviour. */
const IRRELEVANT = [/^test\//, /^bench\//, /^examples\//, /^\.ci\//, /^\.github\//, /^docs?\//, /(^|\/)README\.md$/, /^\.gitignore$/, /\.md$/];

/**
 * Where an untracked file can reach a conformance run: the folders and package files conformance
 * reads. Anywhere else (a spec written by `installctl init` at the root, render output in out/) an
 * untracked file is a user's working file, and changes nothing until it is committed somewhere.
 */
export const UNTRACKED_SOURCES = [/^cli\//, /^charts\//, /^stacks\//, /^matrix\//, /^schemas\//, /^package(-lock)?\.json$/];

export interface ChangedFile {
  path: string;
  /** Not known to git yet (neither committed nor staged). */
  untracked: boolean;
}

/** One rule of --affected: the changed files it matched and the cells they select (ids, matrix order). */
export interface AffectedRule {
  rule: string;
  files: string[];
  cells: string[];
}

export interface AffectedSelection {
  ref: string;
  rules: AffectedRule[];
  /** Changed files that select no cell, per reason: how many and the first few (never every path). */
  ignored: Array<{ reason: IgnoredReason; count: number; examples: string[] }>;
}

export type IgnoredReason = 'docs-or-tests' | 'untracked-outside-sources' | 'chart-readme';
const IGNORED_REASONS: readonly IgnoredReason[] = ['docs-or-tests', 'untracked-outside-sources', 'chart-readme'];
/** How many files of each ignored reason a report names. */
export const IGNORED_EXAMPLES = 3;

/** The rule a changed file falls under and the cells it selects, or why it selects none. */
function ruleFor(file: ChangedFile, cells: readonly Cell[]): { rule: string; cells: readonly Cell[] } | { ignored: IgnoredReason } {
  const path = file.path;
  if (file.untracked && !UNTRACKED_SOURCES.some((pattern) => pattern.test(path))) return { ignored: 'untracked-outside-sources' };
  if (path.startsWith('charts/') && path.endsWith('README.md')) return { ignored: 'chart-readme' };
  if (IRRELEVANT.some((pattern) => pattern.test(path)) && !path.startsWith('charts/')) return { ignored: 'docs-or-tests' };
  const renderable = cells.filter((cell) => cell.status !== 'unsupported');
  if (path.startsWith('charts/agent-platform/')) return { rule: 'chart:agent-platform', cells: renderable };
  if (path.startsWith('charts/model-server/')) return { rule: 'chart:model-server', cells: renderable.filter((cell) => cell.models === 'self-hosted') };
  const platform = platformFileRule(path);
  if (platform) return { rule: `${platform.kind}:${platform.id}`, cells: renderable.filter((cell) => cell.platform === platform.id) };
  return { rule: 'shared', cells };
}

/** The platform whose descriptor names this file as its own (affectedFiles), and under which rule. */
function platformFileRule(path: string): { kind: keyof PlatformCheckFacts['affectedFiles']; id: PlatformId } | null {
  const names = (entry: string) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry);
  for (const { id, check } of Object.values(PLATFORMS)) {
    if (check.affectedFiles.stack.some(names)) return { kind: 'stack', id };
    if (check.affectedFiles.cloud.some(names)) return { kind: 'cloud', id };
  }
  return null;
}

/**
 * Why --affected selects what it does: each changed file under its rule (a chart, the cells that
 * deploy it; a platform's own files, named by its descriptor's affectedFiles (its stacks, its cloud
 * module), that platform's cells; anything shared or unknown: matrix data, schemas, the CLI,
 * dependencies, every cell), and the files that select nothing.
 */
export function explainAffected(ref: string, files: ReadonlyArray<string | ChangedFile>, matrix: SupportMatrixModel = supportMatrix()): AffectedSelection & { cells: Cell[] } {
  const all = matrix.cells();
  const rules = new Map<string, { files: string[]; ids: Set<string> }>();
  const ignored = new Map<IgnoredReason, { count: number; examples: string[] }>();
  for (const entry of files) {
    const file = typeof entry === 'string' ? { path: entry, untracked: false } : entry;
    const found = ruleFor(file, all);
    if ('ignored' in found) {
      const entry = ignored.get(found.ignored) ?? { count: 0, examples: [] };
      entry.count += 1;
      if (entry.examples.length < IGNORED_EXAMPLES) entry.examples.push(file.path);
      ignored.set(found.ignored, entry);
      continue;
    }
    const rule = rules.get(found.rule) ?? { files: [], ids: new Set<string>() };
    rule.files.push(file.path);
    for (const cell of found.cells) rule.ids.add(cell.id);
    rules.set(found.rule, rule);
  }
  const selected = new Set([...rules.values()].flatMap((rule) => [...rule.ids]));
  return {
    ref,
    rules: [...rules]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([rule, { files, ids }]) => ({ rule, files, cells: all.filter((cell) => ids.has(cell.id)).map((cell) => cell.id) })),
    ignored: IGNORED_REASONS.filter((reason) => ignored.has(reason)).map((reason) => ({ reason, ...ignored.get(reason)! })),
    cells: all.filter((cell) => selected.has(cell.id)),
  };
}

/** The cells whose conformance result can change with these changed files (matrix order). */
export function affectedCells(files: ReadonlyArray<string | ChangedFile>, matrix: SupportMatrixModel = supportMatrix()): Cell[] {
  return explainAffected('', files, matrix).cells;
}

/** Paths as git prints them with -z: NUL-separated and unquoted (a name may hold a newline). */
const gitPaths = (output: string) => output.split('\0').filter(Boolean);

/**
 * The run's own output directories (--cache-dir, --work-dir, --report-dir) inside the checkout, as
 * paths relative to it: their files are the run's, not changes, and a cache holds thousands.
 */
export function outputDirsInside(root: string, dirs: ReadonlyArray<string | null | undefined>): string[] {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  const top = real(resolve(root));
  return dirs
    .filter((dir): dir is string => Boolean(dir))
    .map((dir) =>
      relative(top, real(resolve(dir)))
        .split(sep)
        .join('/'),
    )
    .filter((rel) => rel !== '' && rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
}

/**
 * Files changed between BASE_REF and the working tree: committed, uncommitted and untracked (flagged),
 * sorted by path. Untracked files under `exclude` (paths relative to cwd: the run's output
 * directories) are not listed. git's output is read with a cap (SIZE_CAPS.gitOutput).
 */
export function changedFiles(baseRef: string, cwd: string, exclude: readonly string[] = []): ChangedFile[] {
  if (baseRef.startsWith('-'))
    throw new UserError(visibleLine(`--affected ${baseRef} is not a git ref`), { code: 'CONFORMANCE_BAD_REF', hint: 'give a branch, tag or commit, e.g. origin/main' });
  const git = (...args: string[]) => gitPaths(execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: SIZE_CAPS.gitOutput }));
  try {
    // --no-renames: a rename must count its old path too (moving a stack file away changes that platform).
    // `--` ends the revisions: a ref named like a path is still read as a ref.
    const tracked = new Set([...git('diff', '--name-only', '-z', '--no-renames', `${baseRef}...HEAD`, '--'), ...git('diff', '--name-only', '-z', '--no-renames', 'HEAD', '--')]);
    const outside = exclude.map((dir) => `:(exclude,literal)${dir}`);
    const untracked = new Set(git('ls-files', '-z', '--others', '--exclude-standard', '--', '.', ...outside).filter((path) => !tracked.has(path)));
    return [...[...tracked].map((path) => ({ path, untracked: false })), ...[...untracked].map((path) => ({ path, untracked: true }))].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'ENOBUFS'
        ? `git listed more than ${SIZE_CAPS.gitOutput / 1024 / 1024} MiB of changed paths`
        : String((error as { stderr?: unknown }).stderr || error)
            .trim()
            .split('\n')[0];
    throw new UserError(visibleLine(`cannot diff against ${baseRef}: ${why}`), {
      code: 'CONFORMANCE_BAD_REF',
      hint: code === 'ENOBUFS' ? 'run the whole matrix (without --affected)' : 'give a branch, tag or commit that exists locally (e.g. origin/main after git fetch)',
    });
  }
}

/** --affected REF: the changed files of the package's checkout (the run's output directories aside), explained. */
export function affectedSince(
  ref: string,
  cwd: string,
  matrix: SupportMatrixModel = supportMatrix(),
  outputDirs: ReadonlyArray<string | null | undefined> = [],
): AffectedSelection & { cells: Cell[] } {
  return explainAffected(ref, changedFiles(ref, cwd, outputDirsInside(cwd, outputDirs)), matrix);
}

/** The explanation for a terminal (stderr): one line per rule, then the ignored files. `toRun`: after --only and --shard. */
export function describeAffected(selection: AffectedSelection, toRun: number): string[] {
  const lines = [`--affected ${selection.ref}: ${toRun} cell${toRun === 1 ? '' : 's'} to run`];
  const list = (items: string[]) => (items.length > 3 ? `${items.slice(0, 3).join(', ')} (+${items.length - 3} more)` : items.join(', '));
  for (const rule of selection.rules) lines.push(`  ${rule.rule}: ${list(rule.files)} -> ${rule.cells.length} cell${rule.cells.length === 1 ? '' : 's'}`);
  for (const entry of selection.ignored) {
    const more = entry.count - entry.examples.length;
    lines.push(`  ignored (${entry.reason}): ${entry.examples.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`);
  }
  return lines.map(visibleLine);
}
