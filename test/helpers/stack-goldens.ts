/**
 * Stack goldens are keyed by what changes a synthesized Pulumi stack: the platform, and on a cloud
 * its model hosting and network. The SCM never changes it (test/stacks/cells.int.test.ts checks every
 * cell against its key's golden), so one file per key instead of one per cell. A key's golden is
 * written by its first renderable cell in matrix order and names that cell.
 */
import { join } from 'node:path';
import { supportMatrix, type Cell } from '../../cli/matrix/engine.js';
import type { PlatformId } from '../../cli/dimensions/types.js';
import { REPO } from './cli.js';

export const STACK_GOLDEN_DIR = join(REPO, 'test', 'stacks', 'golden');

/**
 * The dimensions besides the platform a platform's stack depends on. onprem's Pulumi project only
 * records facts about an existing cluster (one resource whatever the cell), so its key is the
 * platform alone. A new platform fails to compile here until someone says what its stack varies with.
 */
const STACK_VARIES_WITH: Record<PlatformId, ReadonlyArray<'models' | 'network'>> = {
  aws: ['models', 'network'],
  azure: ['models', 'network'],
  gcp: ['models', 'network'],
  onprem: [],
};

export function stackGoldenKey(cell: Cell): string {
  const varies = STACK_VARIES_WITH[cell.platform as PlatformId];
  if (!varies) throw new Error(`test/helpers/stack-goldens.ts: say what the ${cell.platform} stack varies with (STACK_VARIES_WITH)`);
  return [cell.platform, ...varies.map((dimension) => cell[dimension])].join('__');
}

export function stackGoldenFile(cell: Cell): string {
  return join(STACK_GOLDEN_DIR, `${stackGoldenKey(cell)}.json`);
}

/** Each key's golden-writing cell: the first supported or conditional cell of the key, in matrix order. */
export function stackGoldenCells(): Map<string, Cell> {
  const owners = new Map<string, Cell>();
  for (const cell of supportMatrix().cells()) {
    if (cell.status !== 'unsupported' && !owners.has(stackGoldenKey(cell))) owners.set(stackGoldenKey(cell), cell);
  }
  return owners;
}
