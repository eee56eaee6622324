/**
 * --shard i/n: the selected cells split into n shards of near-equal estimated cost (cost.ts), the
 * same on every machine for the same selection. `matrix --format github-actions` plans from the
 * same split, and `conformance merge` checks that every shard of it came back.
 */
import { UserError } from '../lib/errors.js';
import type { Cell } from '../matrix/engine.js';
import { cellCost } from './cost.js';

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

type Costed = Pick<Cell, 'id' | 'status' | 'platform' | 'models'>;

/**
 * Greedy longest-first: each cell, costliest first (ties in input order), goes to the shard with the
 * least cost so far (ties to the lowest index). Deterministic: it reads nothing but the cells and
 * their order. Each shard keeps the input (matrix) order.
 */
export function planShards<T extends Costed>(cells: readonly T[], count: number): T[][] {
  const costs = cells.map((cell, position) => ({ cell, position, cost: cellCost(cell) }));
  const order = [...costs].sort((a, b) => b.cost - a.cost || a.position - b.position);
  const loads = Array.from({ length: count }, () => 0);
  const shardOf = new Map<number, number>();
  for (const { position, cost } of order) {
    let lightest = 0;
    for (let index = 1; index < count; index++) if (loads[index]! < loads[lightest]!) lightest = index;
    loads[lightest]! += cost;
    shardOf.set(position, lightest);
  }
  return Array.from({ length: count }, (_, index) => costs.filter(({ position }) => shardOf.get(position) === index).map(({ cell }) => cell));
}

export function shardCells<T extends Costed>(cells: readonly T[], shard: Shard | null): T[] {
  return shard ? planShards(cells, shard.count)[shard.index - 1]! : [...cells];
}
