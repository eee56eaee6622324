import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DIMENSIONS, parseSupportMatrix, requirementCode, supportMatrix, type Cell } from '../../cli/matrix/engine.js';
import { REQUIREMENT_CHECKS } from '../../cli/matrix/requirements.js';
import { REPO } from '../helpers/cli.js';

const matrix = supportMatrix();
const cells = matrix.cells();

/** The definition of each cell's status, written independently of the rule data. */
function expectedStatus(cell: Cell): string {
  const air = cell.network === 'air-gapped';
  if (air && (cell.models === 'saas-api' || cell.scm === 'github' || (cell.platform === 'onprem' && cell.models === 'cloud-managed'))) return 'unsupported';
  if (air && cell.models === 'cloud-managed') return 'conditional';
  return 'supported';
}

describe('support matrix engine', () => {
  it('yields every combination of the dimension values once, in dimension order', () => {
    const combinations = DIMENSIONS.reduce((product, dimension) => product * matrix.dimensions[dimension].length, 1);
    expect(cells).toHaveLength(combinations);
    expect(new Set(cells.map((cell) => cell.id)).size).toBe(combinations);
    expect(cells[0]!.id).toBe('aws/github/saas-api/connected');
    expect(cells.at(-1)!.id).toBe(DIMENSIONS.map((dimension) => matrix.dimensions[dimension].at(-1)).join('/'));
  });

  it("has supported, conditional and unsupported cells, as many of each as the issue's definition gives", () => {
    const count = (status: string, of: (cell: Cell) => string) => cells.filter((cell) => of(cell) === status).length;
    for (const status of ['supported', 'conditional', 'unsupported']) {
      expect(
        count(status, (cell) => cell.status),
        status,
      ).toBe(count(status, expectedStatus));
      expect(
        count(status, (cell) => cell.status),
        status,
      ).toBeGreaterThan(0);
    }
  });

  it.each(cells.map((cell) => [cell.id, cell] as const))('%s has the status the issue defines', (_, cell) => {
    expect(cell.status).toBe(expectedStatus(cell));
  });

  it('gives every unsupported cell its reason codes and no requirements', () => {
    for (const cell of cells.filter((c) => c.status === 'unsupported')) {
      expect(cell.reasons.length).toBeGreaterThan(0);
      expect(cell.requires).toEqual([]);
      const codes = cell.reasons.map((reason) => reason.code);
      if (cell.models === 'saas-api') expect(codes).toContain('MATRIX_AIRGAP_SAAS_MODELS');
      if (cell.scm === 'github') expect(codes).toContain('MATRIX_AIRGAP_GITHUB_COM');
      if (cell.platform === 'onprem' && cell.models === 'cloud-managed') expect(codes).toContain('MATRIX_AIRGAP_ONPREM_CLOUD_MODELS');
    }
    expect(matrix.cell('aws/github/saas-api/air-gapped')!.reasons.map((r) => r.code)).toEqual(['MATRIX_AIRGAP_SAAS_MODELS', 'MATRIX_AIRGAP_GITHUB_COM']);
  });

  it('asks conditional cells for the acknowledgement and a model private endpoint', () => {
    for (const cell of cells.filter((c) => c.status === 'conditional')) {
      expect(cell.acknowledgement).toBe('cloud-models-via-private-endpoint');
      expect(cell.requires.map((r) => r.id)).toContain('model-private-endpoint');
    }
    expect(cells.filter((c) => c.status !== 'conditional').every((c) => c.acknowledgement === null)).toBe(true);
  });

  it.each([
    ['aws/github-enterprise-server/self-hosted/air-gapped', ['gpu-pool', 'weights-source', 'offline-weights', 'registry-mirror', 'no-public-endpoints', 'private-cluster-api']],
    ['gcp/github/saas-api/connected', ['scm-webhook-route', 'saas-api-key']],
    ['onprem/gitlab-self-managed/cloud-managed/connected', ['cloud-model-credentials']],
    ['azure/bitbucket-data-center/cloud-managed/connected', ['cloud-model-provider-matches-platform']],
  ])('%s requires %j', (id, requirements) => {
    expect(matrix.cell(id)!.requires.map((r) => r.id)).toEqual(requirements);
    expect(matrix.cell(id)!.requires.map((r) => r.code)).toEqual(requirements.map(requirementCode));
  });

  it('has a check for every requirement in the data and no check the data does not use', () => {
    const ids = matrix.data.requirements.map((requirement) => requirement.id).sort();
    expect(Object.keys(REQUIREMENT_CHECKS).sort()).toEqual(ids);
  });

  it('finds the nearest supported cells by fewest changed dimensions', () => {
    // Two reasons, but one dimension (network) resolves both; changing scm or models alone does not.
    const alternatives = matrix.nearestSupported(matrix.cell('aws/github/saas-api/air-gapped')!);
    expect(alternatives.map((a) => [a.cell.id, a.changed])).toEqual([['aws/github/saas-api/connected', ['network']]]);
    const ghes = matrix.nearestSupported(matrix.cell('azure/github-enterprise-server/saas-api/air-gapped')!);
    expect(ghes.map((a) => a.cell.id)).toEqual(['azure/github-enterprise-server/saas-api/connected', 'azure/github-enterprise-server/self-hosted/air-gapped']);
    const onprem = matrix.nearestSupported(matrix.cell('onprem/gitlab-self-managed/cloud-managed/air-gapped')!);
    expect(onprem.map((a) => a.cell.id).sort()).toEqual(['onprem/gitlab-self-managed/cloud-managed/connected', 'onprem/gitlab-self-managed/self-hosted/air-gapped']);
    expect(onprem.every((a) => a.cell.status === 'supported' && a.changed.length === 1)).toBe(true);
  });

  it('every unsupported or conditional cell has a supported neighbour', () => {
    for (const cell of cells.filter((c) => c.status !== 'supported')) expect(matrix.nearestSupported(cell).length).toBeGreaterThan(0);
  });

  describe('data validation', () => {
    const raw = parse(readFileSync(join(REPO, 'matrix', 'support-matrix.yaml'), 'utf8'));

    it('rejects data that breaks the schema, naming the path', () => {
      const broken = structuredClone(raw);
      broken.rules[0].status = 'maybe';
      expect(() => parseSupportMatrix(stringify(broken))).toThrow(/\/rules\/0\/status/);
    });

    it('rejects selector values outside the dimensions', () => {
      const broken = structuredClone(raw);
      broken.rules[0].when.platform = 'ibm-cloud';
      expect(() => parseSupportMatrix(stringify(broken))).toThrow(/ibm-cloud/);
    });

    it('rejects a conditional rule without an acknowledgement and duplicate ids', () => {
      const noAck = structuredClone(raw);
      delete noAck.rules[3].acknowledgement;
      expect(() => parseSupportMatrix(stringify(noAck))).toThrow(/acknowledgement/);
      const duplicate = structuredClone(raw);
      duplicate.requirements[1].id = duplicate.requirements[0].id;
      expect(() => parseSupportMatrix(stringify(duplicate))).toThrow(/duplicate id/);
    });

    it('derives statuses from the data: dropping a rule makes its cells supported', () => {
      const relaxed = structuredClone(raw);
      relaxed.rules = relaxed.rules.filter((rule: { id: string }) => rule.id !== 'air-gapped-onprem-cloud-models');
      const model = parseSupportMatrix(stringify(relaxed));
      expect(model.cell('onprem/gitlab-self-managed/cloud-managed/air-gapped')!.status).toBe('supported');
      // Only the cells that rule alone made unsupported change.
      const unsupported = cells.filter((cell) => cell.status === 'unsupported');
      const onlyByThatRule = unsupported.filter((cell) => cell.reasons.every((reason) => reason.code === 'MATRIX_AIRGAP_ONPREM_CLOUD_MODELS'));
      expect(onlyByThatRule.length).toBeGreaterThan(0);
      expect(model.cells().filter((cell) => cell.status === 'unsupported')).toHaveLength(unsupported.length - onlyByThatRule.length);
    });

    it('lists dimensions in the data order', () => {
      expect(DIMENSIONS).toEqual(['platform', 'scm', 'models', 'network']);
    });
  });
});
