/**
 * Every supported and conditional cell, end to end: `installctl init` spec -> render -> the emitted
 * Pulumi program under mocks -> resource policies, plus a golden snapshot of the normalized
 * resource list (UPDATE_GOLDEN=1 rewrites them; review the diff).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeProject } from '../../cli/conformance/pulumi/synthesize.js';
import { checkPolicies } from '../../cli/conformance/pulumi/policies.js';
import { normalizeSynthesis } from '../../cli/conformance/pulumi/normalize.js';
import { REPO } from '../helpers/cli.js';
import { cellFileName, renderableCells, renderCell } from '../helpers/cells.js';

const GOLDEN = join(REPO, 'test', 'stacks', 'golden');

describe('Pulumi synthesis of every renderable cell', () => {
  it.each(renderableCells().map((cell) => [cell.id, cell] as const))('%s', async (_, cell) => {
    const rendered = renderCell(cell);
    const synthesis = await synthesizeProject(join(rendered.dir, 'pulumi'));
    expect(synthesis.errors).toEqual([]);
    expect(checkPolicies(synthesis)).toEqual([]);
    if (cell.platform !== 'onprem') expect(synthesis.resources.filter((resource) => resource.custom).length).toBeGreaterThan(10);

    const snapshot = JSON.stringify({ cell: cell.id, resources: normalizeSynthesis(synthesis) }, null, 1) + '\n';
    const file = join(GOLDEN, `${cellFileName(cell.id)}.json`);
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, snapshot);
    }
    expect(existsSync(file), `no golden file for ${cell.id}; run UPDATE_GOLDEN=1 npx vitest run test/stacks/cells.test.ts and review it`).toBe(true);
    expect(snapshot).toBe(readFileSync(file, 'utf8'));
  });
});
