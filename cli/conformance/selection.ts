/** Which cells a conformance run covers: --only filters, --affected BASE_REF and --shard i/n. */
import { execFileSync } from 'node:child_process';
import { UserError } from '../lib/errors.js';
import { closest, quoteList } from '../lib/suggest.js';
import { DIMENSIONS, supportMatrix, type Cell, type Dimension, type SupportMatrixModel } from '../../matrix/engine.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UserError(`invalid --shard ${JSON.stringify(text)}`, { code: 'CONFORMANCE_BAD_SHARD', hint: 'use i/n with 1 <= i <= n, e.g. --shard 2/4' });
  }
  return { index, count };
}

/** Round-robin over the matrix order: every cell in exactly one shard, and each shard a mix of platforms. */
export function shardCells<T>(cells: readonly T[], shard: Shard | null): T[] {
  return shard ? cells.filter((_, position) => position % shard.count === shard.index - 1) : [...cells];
}

/**
 * --only values: cell ids, or dimension values. Values of one dimension are alternatives, different
 * dimensions must all match: `--only aws,gcp --only air-gapped` is (aws or gcp) and air-gapped.
 */
export function filterCells(cells: readonly Cell[], only: readonly string[], matrix: SupportMatrixModel = supportMatrix()): Cell[] {
  if (only.length === 0) return [...cells];
  const ids = new Set<string>();
  const wanted = new Map<Dimension, Set<string>>();
  const allValues = DIMENSIONS.flatMap((dimension) => matrix.dimensions[dimension].map((value) => ({ dimension, value })));
  for (const item of only.flatMap((entry) => entry.split(',')).map((entry) => entry.trim()).filter(Boolean)) {
    if (matrix.cell(item)) {
      ids.add(item);
      continue;
    }
    const found = allValues.find((candidate) => candidate.value === item);
    if (!found) {
      const suggestion = closest(item, [...allValues.map((candidate) => candidate.value), ...matrix.cells().map((cell) => cell.id)]);
      throw new UserError(`--only ${item} is neither a cell id nor a dimension value`, {
        code: 'CONFORMANCE_BAD_FILTER',
        hint: suggestion ? `did you mean ${suggestion}?` : `dimension values: ${quoteList(allValues.map((candidate) => candidate.value), 20)}`,
      });
    }
    wanted.set(found.dimension, (wanted.get(found.dimension) ?? new Set()).add(found.value));
  }
  return cells.filter((cell) => ids.has(cell.id) || (wanted.size > 0 && [...wanted].every(([dimension, values]) => values.has(cell[dimension]))));
}

/** Files that cannot change rendered output or conformance behaviour. */
const IRRELEVANT = [/^test\//, /^bench\//, /^examples\//, /^\.ci\//, /^\.github\//, /^docs?\//, /(^|\/)README\.md$/, /^\.gitignore$/, /\.md$/];

/**
 * The cells whose conformance result can change with these changed files: a chart, the cells that
 * deploy it; a platform's stack files, that platform's cells; anything shared or unknown (matrix
 * data, schemas, the CLI, dependencies), every cell. Files that do not reach the product change none.
 */
export function affectedCells(files: readonly string[], matrix: SupportMatrixModel = supportMatrix()): Cell[] {
  const cells = matrix.cells();
  const affected = new Set<string>();
  const renderable = cells.filter((cell) => cell.status !== 'unsupported');
  for (const file of files) {
    if (IRRELEVANT.some((pattern) => pattern.test(file)) && !file.startsWith('charts/')) continue;
    let chosen: Cell[];
    if (/^charts\/agent-platform\//.test(file)) chosen = file.endsWith('README.md') ? [] : renderable;
    else if (/^charts\/model-server\//.test(file)) chosen = file.endsWith('README.md') ? [] : renderable.filter((cell) => cell.models === 'self-hosted');
    else if (/^stacks\/(aws|azure|gcp|onprem)\//.test(file)) chosen = renderable.filter((cell) => cell.platform === file.split('/')[1]);
    else if (/^cli\/pulumi\/clouds\/(aws|azure|gcp)\.ts$/.test(file)) chosen = renderable.filter((cell) => file.endsWith(`/${cell.platform}.ts`));
    else chosen = [...cells];
    for (const cell of chosen) affected.add(cell.id);
  }
  return cells.filter((cell) => affected.has(cell.id));
}

/** Files changed between BASE_REF and the working tree (committed and uncommitted). */
export function changedFiles(baseRef: string, cwd: string): string[] {
  // --no-renames: a rename must count its old path too (moving a stack file away changes that platform).
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n');
  try {
    const committed = git('diff', '--name-only', '--no-renames', `${baseRef}...HEAD`);
    const working = git('diff', '--name-only', '--no-renames', 'HEAD');
    const untracked = git('ls-files', '--others', '--exclude-standard');
    return [...new Set([...committed, ...working, ...untracked].filter(Boolean))].sort();
  } catch (error) {
    throw new UserError(`cannot diff against ${baseRef}: ${String((error as { stderr?: unknown }).stderr ?? error).trim().split('\n')[0]}`, {
      code: 'CONFORMANCE_BAD_REF',
      hint: 'give a branch, tag or commit that exists locally (e.g. origin/main after git fetch)',
    });
  }
}
