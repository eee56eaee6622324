/**
 * `installctl upgrade plan` from the built CLI: exit 0 with a plan to follow, 1 blocked (a downgrade;
 * the other blockers are seeded in test/upgrade/plan.test.ts, which can pick the day a Kubernetes
 * version was still supported), 2 usage (an uncatalogued VERSION with the releases in the hint, a
 * spec with errors, no --to); --json matches its schema entry in every case, and the human text
 * says the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';
import { EXAMPLES_DIR } from '../helpers/specs.js';

const EXAMPLE = join(EXAMPLES_DIR, 'onprem-gitlab-saas-connected.yaml');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'installctl-upgrade-plan-cli-'));
  writeFileSync(join(dir, 'invalid.yaml'), 'kind: Install\nkind: Install\n');
  // Kubernetes 1.31: out of all support on EKS today (RULE_KUBERNETES_END_OF_SUPPORT) and below 2026.12.0's window.
  writeFileSync(
    join(dir, 'k131.yaml'),
    readFileSync(join(EXAMPLES_DIR, 'aws-github-saas-connected.yaml'), 'utf8').replace(/kubernetesVersion: "[0-9.]+"/, 'kubernetesVersion: "1.31"'),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (args: string[]) => runCliAsync([...args, '--json']);

describe('installctl upgrade plan', () => {
  it('exit 0: a plan to follow, in text and --json', async () => {
    const run = await runCliAsync(['upgrade', 'plan', EXAMPLE, '--to', '2026.12.0']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Upgrade plan for proseware \(cell onprem\/gitlab-self-managed\/saas-api\/connected\): 2026\.11\.0 -> 2026\.12\.0, 1 hop$/m);
    expect(run.stdout).toContain(`$ installctl upgrade apply-spec ${EXAMPLE} --to 2026.12.0`);
    expect(run.stdout).toMatch(/^Hop 1: 2026\.11\.0 -> 2026\.12\.0 \(the target; 2026\.12\.0 is a PREVIEW release: to try, not for production\)$/m);
    expect(run.stdout).toMatch(/^ {2}Pulumi pins: @pulumi\/pulumi \S+/m);
    expect(run.stdout).toMatch(/2026\.12-split-findings-table \(2026\.12\.0\): blocking, IRREVERSIBLE/);
    expect(run.stdout).toMatch(/Not blocked: follow the steps hop by hop\.\n$/);
    const plan = await json(['upgrade', 'plan', EXAMPLE, '--to', '2026.12.0']);
    expect(plan.status).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'upgradePlan', plan.json());
  }, 120_000);

  it('exit 1: a downgrade is blocked, with the rollback hint', async () => {
    const run = await runCliAsync(['upgrade', 'plan', EXAMPLE, '--to', '2026.10.2']);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^ {2}UPGRADE_DOWNGRADE: 2026\.10\.2 is older than 2026\.11\.0: installctl plans upgrades, not downgrades$/m);
    expect(run.stdout).toMatch(/^ {4}what to do: to go back, follow the rollback steps of the RUNBOOK's upgrade section/m);
    const down = await json(['upgrade', 'plan', EXAMPLE, '--to', '2026.10.2']);
    expect(down.status).toBe(1);
    expectSchemaDef('cli-output.schema.json', 'upgradePlan', down.json());
    expect(down.json()).toMatchObject({ blocked: true, exitCode: 1, blockers: [{ code: 'UPGRADE_DOWNGRADE', hop: null }], hops: [] });
  }, 60_000);

  it("exit 1: a Kubernetes version out of support (by today's calendar) blocks the plan, it does not refuse the spec", async () => {
    const run = await runCliAsync(['upgrade', 'plan', join(dir, 'k131.yaml'), '--to', '2026.12.0']);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^ {2}UPGRADE_KUBERNETES_WINDOW: the spec's Kubernetes version is not supported where it runs now: Amazon EKS 1\.31 is out of all support/m);
    expect(run.stdout).toMatch(/^ {2}UPGRADE_KUBERNETES_WINDOW \[2026\.11\.0 -> 2026\.12\.0\]: Kubernetes 1\.31 .* is older than 2026\.12\.0 supports/m);
    expect(run.stdout).toMatch(/^ {4}what to do: upgrade Kubernetes first/m);
    const blocked = await json(['upgrade', 'plan', join(dir, 'k131.yaml'), '--to', '2026.12.0']);
    expect(blocked.status).toBe(1);
    expectSchemaDef('cli-output.schema.json', 'upgradePlan', blocked.json());
    expect(blocked.json()).toMatchObject({
      blocked: true,
      exitCode: 1,
      blockers: [
        { code: 'UPGRADE_KUBERNETES_WINDOW', hop: null, hint: expect.stringMatching(/^upgrade Kubernetes first/) },
        { code: 'UPGRADE_KUBERNETES_WINDOW', hop: '2026.11.0 -> 2026.12.0', hint: expect.stringMatching(/^upgrade Kubernetes first/) },
      ],
    });
  }, 120_000);

  it.each([
    [
      'an uncatalogued VERSION',
      () => [EXAMPLE, '--to', '2027.1.0'],
      'RELEASE_UNKNOWN',
      /hint: catalogued releases: 2026\.10\.2 \(supported\), 2026\.11\.0 \(current\), 2026\.12\.0 \(preview\)/,
    ],
    ['a spec with errors', () => [join(dir, 'invalid.yaml'), '--to', '2026.12.0'], 'UPGRADE_SPEC_INVALID', /hint: installctl validate .* lists every issue/],
    ['no --to', () => [EXAMPLE], 'USAGE', /Missing required flag to/],
  ])(
    'exit 2: %s',
    async (_what, args, code, hint) => {
      const run = await runCliAsync(['upgrade', 'plan', ...args()]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`error[${code}]`);
      expect(run.stderr).toMatch(hint);
      const failed = await json(['upgrade', 'plan', ...args()]);
      expect(failed.status).toBe(2);
      expectSchemaDef('cli-output.schema.json', 'error', failed.json());
      expect(failed.json()).toMatchObject({ error: { code } });
    },
    60_000,
  );
});
