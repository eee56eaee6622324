/**
 * `upgrade plan`'s usage errors (exit 2) and the plan it returns without rendering anything: a spec
 * with errors (validate's issues in the details), a target the catalog does not hold (the hint
 * lists the releases), and a downgrade, which is a blocked plan (exit 1), not an error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upgradePlan } from '../../cli/services/upgrade-plan.js';
import { UserError } from '../../cli/lib/errors.js';
import { releaseCatalog } from '../../cli/releases/catalog.js';
import { EXAMPLES_DIR } from '../helpers/specs.js';

const EXAMPLE = join(EXAMPLES_DIR, 'aws-github-saas-connected.yaml');

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function specWith(edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-upgrade-plan-'));
  made.push(dir);
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, edit(readFileSync(EXAMPLE, 'utf8')));
  return file;
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('upgrade plan: usage errors', () => {
  it('an unknown target: RELEASE_UNKNOWN, the hint lists every catalogued release', async () => {
    const error = await failure(upgradePlan({ spec: EXAMPLE, to: '2027.1.0' }));
    expect(error).toMatchObject({ code: 'RELEASE_UNKNOWN', exitCode: 2, message: 'release 2027.1.0 is not in the release catalog' });
    for (const release of releaseCatalog()) expect(error.hint).toContain(release.version);
  });

  it('a spec with errors: UPGRADE_SPEC_INVALID with the issues validate reports', async () => {
    const error = await failure(upgradePlan({ spec: specWith((text) => text.replace(/platform:\n\s+type: aws/, 'platform:\n    type: awz')), to: '2026.12.0' }));
    expect(error).toMatchObject({ code: 'UPGRADE_SPEC_INVALID', exitCode: 2 });
    expect((error.details as { issues: Array<{ severity: string }> }).issues.some((issue) => issue.severity === 'error')).toBe(true);
  });

  it('a spec file that does not exist is the same usage error', async () => {
    expect(await failure(upgradePlan({ spec: join(tmpdir(), 'no-such-spec.yaml'), to: '2026.12.0' }))).toMatchObject({ code: 'UPGRADE_SPEC_INVALID', exitCode: 2 });
  });

  it('a spec of an uncatalogued release cannot be planned from (exit 2)', async () => {
    const error = await failure(upgradePlan({ spec: specWith((text) => text.replace(/(\n\s+version: )2026\.11\.0\n/, '$12026.9.0\n')), to: '2026.12.0' }));
    // validate may refuse the release itself; either way nothing is planned.
    expect(['RELEASE_UNKNOWN', 'UPGRADE_SPEC_INVALID']).toContain(error.code);
    expect(error.exitCode).toBe(2);
  });
});

describe('upgrade plan: a downgrade', () => {
  it('is a blocked plan with the rollback hint and no hop', async () => {
    const plan = await upgradePlan({ spec: EXAMPLE, to: '2026.10.2' });
    expect(plan).toMatchObject({ from: '2026.11.0', to: '2026.10.2', blocked: true, exitCode: 1, hops: [], install: 'northwind-prod', cell: 'aws/github/saas-api/connected' });
    expect(plan.blockers).toEqual([{ code: 'UPGRADE_DOWNGRADE', hop: null, message: expect.stringContaining('older than 2026.11.0'), hint: expect.stringContaining('rollback') }]);
  });
});
