/** A cell's Helm values as an install gets them: the customer layer render writes plus the Pulumi outputs' layer. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { synthesizeProject } from '../../cli/conformance/pulumi/synthesize.js';
import { baseValues, mergeValues, type ChartName, type Values } from '../../cli/emit/charts.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { renderCell } from './cells.js';

export interface CellValues {
  /** The chart's merged values (vendor base, customer layer, infrastructure layer). */
  merged: Partial<Record<ChartName, Values>>;
  /** The customer layer render wrote (helm/<chart>.values.yaml). */
  layers: Partial<Record<ChartName, Values>>;
  /** The infrastructure layer (`pulumi stack output ...Values`). */
  infra: Partial<Record<ChartName, Values>>;
}

export async function cellValues(id: string): Promise<CellValues> {
  const cell = supportMatrix()
    .cells()
    .find((candidate) => candidate.id === id);
  if (!cell) throw new Error(`no cell ${id}`);
  const rendered = renderCell(cell);
  const synthesis = await synthesizeProject(join(rendered.dir, 'pulumi'));
  const out: CellValues = { merged: {}, layers: {}, infra: {} };
  for (const [chart, output] of [
    ['agent-platform', 'agentPlatformValues'],
    ['model-server', 'modelServerValues'],
  ] as const) {
    const file = rendered.files.find((entry) => entry.path === `helm/${chart}.values.yaml`);
    if (!file) continue;
    const layer = parse(readFileSync(join(rendered.dir, file.path), 'utf8')) as Values;
    const infra = (synthesis.outputs[output] ?? {}) as Values;
    out.layers[chart] = layer;
    out.infra[chart] = infra;
    out.merged[chart] = mergeValues(mergeValues(baseValues(chart), layer), infra);
  }
  return out;
}
