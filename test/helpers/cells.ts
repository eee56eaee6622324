/** Renders a cell's starter spec (installctl init output) into a temporary directory. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../cli/services/init.js';
import { render, type RenderResult } from '../../cli/services/render.js';
import { supportMatrix, type Cell } from '../../cli/matrix/engine.js';

/** Supported and conditional cells, optionally limited by INSTALLCTL_TEST_PLATFORMS=aws,gcp. */
export function renderableCells(): Cell[] {
  const only = process.env.INSTALLCTL_TEST_PLATFORMS?.split(',').filter(Boolean);
  return supportMatrix()
    .cells()
    .filter((cell) => cell.status !== 'unsupported' && (!only || only.includes(cell.platform)));
}

export function cellFileName(id: string): string {
  return id.replace(/\//g, '__');
}

export function renderCell(cell: Cell, root = mkdtempSync(join(tmpdir(), 'installctl-cell-'))): RenderResult & { dir: string } {
  mkdirSync(root, { recursive: true });
  const spec = init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' }).spec;
  const specFile = join(root, `${cellFileName(cell.id)}.yaml`);
  writeFileSync(specFile, spec);
  const dir = join(root, 'out');
  const result = render({ spec: specFile, outDir: dir, allowPlaceholders: true });
  if (!result.valid) throw new Error(`${cell.id} did not render: ${JSON.stringify(result.issues)}`);
  return { ...result, dir };
}
