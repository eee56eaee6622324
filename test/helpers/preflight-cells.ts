/** Every runnable cell's starter spec (init's, checked as validate checks it) as Install + Cell, for preflight's table-driven tests. */
import type { Install } from '../../cli/generated/install-spec.js';
import type { Cell } from '../../cli/matrix/engine.js';
import { checkedStarterSpec, SCHEMA_URL } from '../../cli/emit/starter-spec-check.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { calendarAsOf } from '../../cli/matrix/kubernetes-versions.js';
import { renderableCells } from './cells.js';

export interface StarterInstall {
  cell: Cell;
  install: Install;
  text: string;
}

let cached: StarterInstall[] | undefined;

/** The starter spec of every renderable cell, checked on the calendar's asOf (so the version is in standard support). */
export function starterInstalls(): StarterInstall[] {
  cached ??= renderableCells().map((cell) => {
    const now = calendarAsOf();
    const { spec } = checkedStarterSpec(cell, { name: 'acme-prod', customer: 'Example Corp', schemaLocation: SCHEMA_URL, now }, `${cell.id}.yaml`);
    const loaded = checkSpecText(`${cell.id}.yaml`, spec, { now });
    if (!loaded.install || !loaded.cell) throw new Error(`${cell.id}: the starter spec did not check: ${JSON.stringify(loaded.issues)}`);
    return { cell: loaded.cell, install: loaded.install, text: spec };
  });
  return cached;
}
