/**
 * The pure part of scripts/dimension-dry-run.mjs: its edits for a fifth SCM and a fifth platform
 * apply to today's files, each one changes its file, and the checklist (ARCHITECTURE.md)
 * names every file they touch. The full dry runs (copy, generate, tsc, tests) are
 * `node scripts/dimension-dry-run.mjs [--platform]`.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';
import { applyEdits, classify, FAKE_PLATFORM, FAKE_SCM, PLATFORM_EDITS, SCENARIOS, SCM_EDITS, type DryRunEdit } from '../../scripts/dimension-dry-run.mjs';

const readRepo = (path: string): string | null => (existsSync(join(REPO, path)) ? readFileSync(join(REPO, path), 'utf8') : null);

function editedTree(edits: DryRunEdit[] = SCM_EDITS): Map<string, string> {
  const written = new Map<string, string>();
  applyEdits(
    edits,
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
    const checklist = readFileSync(join(REPO, 'ARCHITECTURE.md'), 'utf8');
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

describe('dimension dry run: a fifth platform', () => {
  const tree = editedTree(PLATFORM_EDITS);
  const NEW_FILES = [`cli/dimensions/platforms/${FAKE_PLATFORM.id}.ts`, `stacks/${FAKE_PLATFORM.id}/install.ts`, `cli/conformance/pulumi/clouds/${FAKE_PLATFORM.id}.ts`];

  it('changes every file it edits, once each, and adds only the descriptor, the stack component and the mock cloud', () => {
    expect(new Set(PLATFORM_EDITS.map((edit) => edit.path)).size).toBe(PLATFORM_EDITS.length);
    for (const { path } of PLATFORM_EDITS) {
      const before = readRepo(path);
      expect(tree.get(path), path).not.toBe(before);
      if (before === null) expect(NEW_FILES).toContain(path);
    }
    expect(NEW_FILES.filter((path) => readRepo(path) === null)).toEqual(NEW_FILES);
  });

  it('adds the value where the schema, the matrix, the charts and the maps read it, in the matrix order', () => {
    const schema = JSON.parse(tree.get('schemas/install.schema.json')!) as {
      $defs: Record<string, { oneOf?: Array<{ $ref: string }>; properties?: { type?: { const?: string } } }>;
    };
    expect(schema.$defs.platform!.oneOf!.map((branch) => branch.$ref)).toContain(`#/$defs/${FAKE_PLATFORM.def}`);
    expect(schema.$defs[FAKE_PLATFORM.def]!.properties!.type).toEqual({ const: FAKE_PLATFORM.id });
    const matrix = parse(tree.get('matrix/support-matrix.yaml')!) as { dimensions: { platform: string[] }; rules: Array<{ id: string; when: { platform?: string | string[] } }> };
    expect(matrix.dimensions.platform).toEqual(['aws', 'azure', 'gcp', FAKE_PLATFORM.id, 'onprem']);
    // No cloud model service of its own: an air-gapped cloud-managed cell is unsupported, as on-prem.
    expect(matrix.rules.find((rule) => rule.id === 'air-gapped-onprem-cloud-models')!.when.platform).toEqual([FAKE_PLATFORM.id, 'onprem']);
    for (const chart of ['agent-platform', 'model-server']) {
      const values = JSON.parse(tree.get(`charts/${chart}/values.schema.json`)!) as { properties: { global: { properties: { platform: { enum: string[] } } } } };
      expect(values.properties.global.properties.platform.enum, chart).toContain(FAKE_PLATFORM.id);
    }
    expect(tree.get('cli/dimensions/platforms/index.ts')).toMatch(new RegExp(`^ {2}gcp,\\n {2}${FAKE_PLATFORM.id},\\n {2}onprem,$`, 'm'));
    expect(tree.get('cli/conformance/pulumi/clouds/index.ts')).toContain(`{ aws, azure, gcp, ${FAKE_PLATFORM.id}, onprem }`);
    expect(tree.get('stacks/settings.ts')).toContain(`export type Platform = 'aws' | 'azure' | 'gcp' | '${FAKE_PLATFORM.id}' | 'onprem';`);
  });

  it('answers every exhaustive switch the compiler flags with a case of its own', () => {
    for (const path of [
      'stacks/decisions/ingress.ts',
      'stacks/decisions/registry.ts',
      'cli/emit/pulumi-project.ts',
      'cli/emit/runbook-cluster-access.ts',
      'cli/emit/runbook-prerequisites.ts',
      'cli/emit/runbook-secrets.ts',
    ]) {
      expect(tree.get(path), path).toContain(`case '${FAKE_PLATFORM.id}':`);
    }
    expect(tree.get(`stacks/${FAKE_PLATFORM.id}/install.ts`)).toContain(`export class ${FAKE_PLATFORM.installClass} extends pulumi.ComponentResource`);
  });

  it('counts the test helper it edits apart from the hand edits', () => {
    const counts = classify(PLATFORM_EDITS.map((edit) => edit.path));
    expect(counts.tests).toEqual(['test/helpers/stack-goldens.ts']);
    expect(counts.generated).toEqual([]);
    expect(counts.handEdited).toHaveLength(PLATFORM_EDITS.length - 1);
  });

  it('touches only files the checklist names, with the measured count', () => {
    const checklist = readFileSync(join(REPO, 'ARCHITECTURE.md'), 'utf8');
    const section = checklist.slice(checklist.indexOf('### A new platform'), checklist.indexOf('### A new model hosting'));
    for (const { path } of PLATFORM_EDITS) expect(section, path).toContain(path.replace(`/${FAKE_PLATFORM.id}`, '/<value>'));
    expect(section).toContain(`${classify(PLATFORM_EDITS.map((edit) => edit.path)).handEdited.length} hand-edited non-test files`);
  });

  it('is measured only, while the SCM stays held to the goal of 8', () => {
    expect(SCENARIOS.platform.edits).toBe(PLATFORM_EDITS);
    expect(SCENARIOS.platform.goal).toBeNull();
    expect(SCENARIOS.scm).toMatchObject({ edits: SCM_EDITS, goal: 8 });
  });
});
