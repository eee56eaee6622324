/**
 * What a conformance cell costs to run, in milliseconds of one worker on a 2-core machine. It
 * balances shards (shards.ts), orders the pool (costliest first) and gives the progress ETA.
 *
 * Calibrated from the per-stage durations of two full runs (96 cells, Helm 3 and 4, 2 cores):
 * a rejection is ~2 ms; a renderable cell is init/validate/render and the policy stages (~30 ms,
 * ~45 with a model server), the Pulumi mock synthesis (by platform: Azure's provider SDK is the
 * slowest, on-prem has almost none), and per Helm version one share of a batched `helm lint` and
 * the `helm template` runs (~250 ms, ~350 with the model-server chart). A coefficient model rather
 * than a per-cell table: the residuals are small next to a cell, and a new cell needs no data. The
 * per-platform synthesis costs are the platform descriptors' synthesisMs. The upgrade stage renders,
 * synthesizes and templates (one Helm version) the cell again at each other catalogued release.
 */
import { PLATFORMS, type PlatformId } from '../dimensions/index.js';
import type { Cell } from '../matrix/engine.js';
import { releaseCatalog } from '../releases/catalog.js';

/** A platform value without a descriptor (a test's own matrix data): between the known ones. */
const UNKNOWN_PLATFORM_MS = { stack: 150, selfHostedExtra: 150 };

/** The synthesis cost of a platform's cell: its descriptor's synthesisMs. */
function synthesisMs(platform: string, selfHosted: boolean): number {
  const cost = Object.hasOwn(PLATFORMS, platform) ? PLATFORMS[platform as PlatformId].check.synthesisMs : UNKNOWN_PLATFORM_MS;
  return cost.stack + (selfHosted ? cost.selfHostedExtra : 0);
}
const PER_HELM_MS = { plain: 250, selfHosted: 350 };
const REJECTION_MS = 2;
/** Per other release of the upgrade edges: its render and its `helm template` runs (one per chart), beside its synthesis. */
const PER_RELEASE_MS = { plain: 110, selfHosted: 130 };

/**
 * Before a worker returns its first result: process start, loading Pulumi and the charts, JIT
 * warm-up of the first batch. Paid once per worker; only the ETA uses it.
 */
export const WORKER_STARTUP_MS = 6000;

/** upgradeEdges: the cell also runs its upgrade stage (every catalogued release but its own rendered again). */
export function cellCost(cell: Pick<Cell, 'status' | 'platform' | 'models'>, helmVersions = 2, upgradeEdges = true): number {
  if (cell.status === 'unsupported') return REJECTION_MS;
  const selfHosted = cell.models === 'self-hosted';
  const synthesis = synthesisMs(cell.platform, selfHosted);
  const releases = upgradeEdges ? releaseCatalog().length - 1 : 0;
  const upgrade = releases * (synthesis + (selfHosted ? PER_RELEASE_MS.selfHosted : PER_RELEASE_MS.plain));
  return (selfHosted ? 45 : 30) + synthesis + helmVersions * (selfHosted ? PER_HELM_MS.selfHosted : PER_HELM_MS.plain) + upgrade;
}

/** A run's expected wall: the workers' start-up, then the cells spread over them. */
export function estimateRunMs(cells: ReadonlyArray<Pick<Cell, 'status' | 'platform' | 'models'>>, workers: number, helmVersions = 2, upgradeEdges = true): number {
  if (cells.length === 0) return 0;
  const total = cells.reduce((sum, cell) => sum + cellCost(cell, helmVersions, upgradeEdges), 0);
  return Math.round(WORKER_STARTUP_MS + total / Math.max(1, Math.min(workers, cells.length)));
}
