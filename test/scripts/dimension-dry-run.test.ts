/**
 * The pure part of scripts/dimension-dry-run.mjs: its edits for a fifth SCM apply to today's files,
 * each one changes its file, and the checklist (docs-fragment-dimensions.md) names every file they
 * touch. The full dry run (copy, generate, tsc, descriptor test) is `node scripts/dimension-dry-run.mjs`.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';
import { applyEdits, classify, FAKE_SCM, SCM_EDITS } from '../../scripts/dimension-dry-run.mjs';

function editedTree(): Map<string, string> {
  const written = new Map<string, string>();
  applyEdits(
    SCM_EDITS,
    (path) => (existsSync(join(REPO, path)) ? readFileSync(join(REPO, path), 'utf8') : null),
    (path, text) => written.set(path, text),
  );
  return written;
}

describe('dimension dry run: a fifth SCM', () => {
  const tree = editedTree();

  it('changes every file it edits, and adds only the descriptor', () => {
    for (const { path } of SCM_EDITS) {
      const before = existsSync(join(REPO, path)) ? readFileSync(join(REPO, path), 'utf8') : null;
      expect(tree.get(path), path).not.toBe(before);
      if (before === null) expect(path).toBe(`cli/dimensions/scms/${FAKE_SCM.id}.ts`);
    }
  });

  it('adds the value where the schema, the matrix and the chart read it', () => {
    const schema = JSON.parse(tree.get('schemas/install.schema.json')!) as {
      $defs: Record<string, { oneOf?: Array<{ $ref: string }>; properties?: { type?: { const?: string } } }>;
    };
    expect(schema.$defs.scm!.oneOf!.map((branch) => branch.$ref)).toContain(`#/$defs/${FAKE_SCM.def}`);
    expect(schema.$defs[FAKE_SCM.def]!.properties!.type).toEqual({ const: FAKE_SCM.id });
    const matrix = parse(tree.get('matrix/support-matrix.yaml')!) as { dimensions: { scm: string[] }; publicHosts: { scm: string[] } };
    expect(matrix.dimensions.scm.at(-1)).toBe(FAKE_SCM.id);
    expect(matrix.publicHosts.scm).toContain(FAKE_SCM.saasHost);
    const chart = JSON.parse(tree.get('charts/agent-platform/values.schema.json')!) as { properties: { scm: { properties: { type: { enum: string[] } } } } };
    expect(chart.properties.scm.properties.type.enum).toContain(FAKE_SCM.id);
    expect(tree.get('cli/dimensions/scms/index.ts')).toContain(`'${FAKE_SCM.id}': ${FAKE_SCM.exportName},`);
  });

  it('stays within the goal of 8 hand-edited non-test files', () => {
    expect(classify(SCM_EDITS.map((edit) => edit.path)).handEdited.length).toBeLessThanOrEqual(8);
  });

  it('touches only files the checklist names', () => {
    const checklist = readFileSync(join(REPO, 'docs-fragment-dimensions.md'), 'utf8');
    for (const { path } of SCM_EDITS) expect(checklist, path).toContain(path.replace(FAKE_SCM.id, '<value>'));
  });

  it('counts generated files apart', () => {
    expect(classify(['cli/generated/install-spec.ts', 'charts/agent-platform/README.md', 'schemas/install.schema.json', 'test/x.test.ts'])).toEqual({
      handEdited: ['schemas/install.schema.json'],
      tests: ['test/x.test.ts'],
      generated: ['cli/generated/install-spec.ts', 'charts/agent-platform/README.md'],
    });
  });
});
