/**
 * Every supported and conditional cell, end to end: `installctl init` spec -> render -> the emitted
 * Pulumi program under mocks -> resource policies, plus a golden of the normalized resource list per
 * stack key (platform x models x network, test/helpers/stack-goldens.ts): the first cell of a key
 * writes it (test/helpers/golden.ts: UPDATE_GOLDEN=1, then review the diff), and every other cell of
 * the key must synthesize the same stack, so the SCM provably does not change it.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeProject } from '../../cli/conformance/pulumi/synthesize.js';
import { checkPolicies } from '../../cli/conformance/pulumi/policies.js';
import { normalizeSynthesis } from '../../cli/conformance/pulumi/normalize.js';
import { renderableCells, renderCell } from '../helpers/cells.js';
import { expectGolden, expectSameAsGolden } from '../helpers/golden.js';
import { STACK_GOLDEN_DIR, stackGoldenCells, stackGoldenFile, stackGoldenKey } from '../helpers/stack-goldens.js';

const owners = stackGoldenCells();

describe('Pulumi synthesis of every renderable cell', () => {
  it.each(renderableCells().map((cell) => [cell.id, cell] as const))('%s', async (_, cell) => {
    const rendered = renderCell(cell);
    const synthesis = await synthesizeProject(join(rendered.dir, 'pulumi'));
    expect(synthesis.errors).toEqual([]);
    expect(checkPolicies(synthesis)).toEqual([]);
    if (cell.platform !== 'onprem') expect(synthesis.resources.filter((resource) => resource.custom).length).toBeGreaterThan(10);

    // The golden names the cell that wrote it; the other cells of its key must match it byte for byte.
    const owner = owners.get(stackGoldenKey(cell))!;
    const snapshot = JSON.stringify({ cell: owner.id, resources: normalizeSynthesis(synthesis) }, null, 1) + '\n';
    if (owner.id === cell.id) expectGolden(stackGoldenFile(cell), snapshot);
    else expectSameAsGolden(stackGoldenFile(cell), snapshot, `${cell.id} synthesizes a different stack than ${owner.id} (same ${stackGoldenKey(cell)})`);
  });

  it('keeps one golden per stack key, and nothing else', () => {
    const keys = [...owners.keys()].map((key) => `${key}.json`).sort();
    expect(readdirSync(STACK_GOLDEN_DIR).sort()).toEqual(keys);
  });
});
