/** init for every cell of the support matrix, in-process: every supported/conditional starter passes validate as written. */
import { describe, expect, it } from 'vitest';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { init } from '../../cli/services/init.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { UserError } from '../../cli/lib/errors.js';

const cells = supportMatrix().cells();

describe('init over the whole matrix', () => {
  it.each(cells.filter((c) => c.status !== 'unsupported').map((c) => [c.id, c] as const))('%s: starter spec validates as written', (_, cell) => {
    const result = init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' });
    const check = checkSpecText('starter.yaml', result.spec);
    expect(check.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(check.cell!.id).toBe(cell.id);
    // Only placeholder warnings: nothing else for the engineer to puzzle over.
    expect(new Set(check.issues.map((issue) => issue.code))).toEqual(new Set(['RULE_PLACEHOLDER']));
    if (cell.status === 'conditional') expect(result.spec).toMatch(/# This cell is conditional[\s\S]*acknowledgements:\n {4}- id: cloud-models-via-private-endpoint/);
  });

  it.each(cells.filter((c) => c.status === 'unsupported').map((c) => [c.id, c] as const))('%s: refused with reasons and alternatives', (_, cell) => {
    let error: unknown;
    try {
      init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(1);
    expect((error as UserError).details!.alternatives).not.toEqual([]);
  });

  it('is deterministic', () => {
    const options = { platform: 'aws', scm: 'gitlab-self-managed', models: 'self-hosted', network: 'air-gapped', name: 'x', customer: 'Y' };
    expect(init(options).spec).toBe(init(options).spec);
  });

  it('rejects an invalid name and an unknown dimension value as usage errors', () => {
    expect(() => init({ platform: 'aws', scm: 'github', models: 'saas-api', network: 'connected', name: 'Bad_Name', customer: 'x' })).toThrow(
      expect.objectContaining({ code: 'INIT_INVALID_NAME', exitCode: 2 }),
    );
    expect(() => init({ platform: 'aws', scm: 'gitlab', models: 'saas-api', network: 'connected', name: 'ok', customer: 'x' })).toThrow(
      expect.objectContaining({ code: 'MATRIX_UNKNOWN_VALUE' }),
    );
  });
});
