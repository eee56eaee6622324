/**
 * Type-checks emitted projects against the real provider SDK types: one representative project per
 * platform (every project of a platform vendors the same stacks/ files), in a single tsc program
 * with the emitted tsconfig.json's compiler options.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { REPO } from '../helpers/cli.js';
import { renderableCells, renderCell } from '../helpers/cells.js';

/** Per platform, the cell whose program uses the most: self-hosted air-gapped (registry, GPU pool), else cloud-managed. */
function representatives(): string[] {
  const cells = renderableCells();
  return supportMatrix()
    .dimensions.platform.map((platform) => cells.find((c) => c.platform === platform && c.models === 'self-hosted' && c.network === 'air-gapped') ?? cells.find((c) => c.platform === platform))
    .flatMap((cell) => (cell ? [cell.id] : []))
    .concat(cells.some((c) => c.id === 'azure/gitlab-self-managed/cloud-managed/air-gapped') ? ['azure/gitlab-self-managed/cloud-managed/air-gapped'] : []);
}

describe('emitted Pulumi projects type-check against the provider SDKs', () => {
  it('one tsc program over a representative project per platform', () => {
    const root = mkdtempSync(join(tmpdir(), 'installctl-tsc-'));
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
    const ids = representatives();
    const projects = ids.map((id, index) => {
      const rendered = renderCell(supportMatrix().cell(id)!, join(root, `cell-${index}`));
      return join(rendered.dir, 'pulumi');
    });
    const emitted = JSON.parse(readFileSync(join(projects[0]!, 'tsconfig.json'), 'utf8'));
    writeFileSync(
      join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...emitted.compilerOptions, noEmit: true }, include: projects.flatMap((project) => [join(project, 'index.ts'), join(project, 'stacks/**/*.ts')]) }),
    );
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { encoding: 'utf8', timeout: 300_000 });
    expect(tsc.stdout + tsc.stderr, `tsc over ${ids.join(', ')}`).toBe('');
    expect(tsc.status).toBe(0);
  }, 300_000);
});
