/**
 * `upgrade plan` on every example spec (the real renders at both releases and the mock synthesis of
 * both Pulumi projects; integration: Pulumi synthesis is slow by design): to the preview release
 * through any required stop, never blocked, every image change the one the catalog makes, every
 * stateful replacement declared by its release, and the commands of each hop in order.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { upgradePlan } from '../../cli/services/upgrade-plan.js';
import { findRelease } from '../../cli/releases/catalog.js';
import { upgradePath } from '../../cli/releases/path.js';
import type * as Output from '../../cli/generated/cli-output.js';
import { exampleFiles, EXAMPLES_DIR } from '../helpers/specs.js';

const TARGET = '2026.12.0';

/** What every plan of a catalogued hop must hold, whatever the spec. */
function checkHop(hop: Output.UpgradeHop): void {
  const from = findRelease(hop.from)!;
  const to = findRelease(hop.to)!;
  for (const image of hop.images) {
    const catalogued = to.charts[image.chart].images[image.key]!;
    expect(image.to, `${image.chart} ${image.key}`).toBe(`${catalogued.registry}/${catalogued.repository}:${catalogued.tag}@${catalogued.digest}`);
    expect(from.charts[image.chart].images[image.key]?.digest).not.toBe(catalogued.digest);
  }
  for (const change of hop.pulumi.changes) {
    if (change.stateful !== null && (change.action === 'replace' || change.action === 'delete')) expect(change.declared, change.type).not.toBeNull();
  }
  expect(hop.pulumi.changes.length).toBe(hop.pulumi.create + hop.pulumi.update + hop.pulumi.replace + hop.pulumi.delete);
  const ids = hop.steps.map((step) => step.id);
  expect(ids.slice(0, 3)).toEqual(['spec', 'pre-checks', 'backup']);
  expect(ids.slice(-4)).toEqual(['charts', 'migrations', 'verify', 'rollback']);
  expect(hop.steps[0]!.commands[0]).toMatch(new RegExp(`^installctl upgrade apply-spec \\S+ --to ${hop.to.replace(/\./g, '\\.')}$`));
}

describe('upgrade plan of every example', () => {
  it.each(exampleFiles().map((file) => [basename(file), file]))(
    `%s: to ${TARGET}`,
    async (_name, file) => {
      const plan = await upgradePlan({ spec: file, to: TARGET });
      expect(plan.blockers).toEqual([]);
      expect(plan).toMatchObject({ spec: file, from: '2026.11.0', to: TARGET, blocked: false, exitCode: 0 });
      expect(plan.hops.map((hop) => [hop.from, hop.to])).toEqual([['2026.11.0', TARGET]]);
      checkHop(plan.hops[0]!);
      expect(plan.hops[0]!.migrations.map((migration) => migration.id)).toEqual(findRelease(TARGET)!.migrations.map((migration) => migration.id));
    },
    120_000,
  );

  it('a Kubernetes version below the target window blocks the hop (on a day the spec itself was still valid)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'installctl-upgrade-plan-')), 'spec.yaml');
    writeFileSync(file, readFileSync(join(EXAMPLES_DIR, 'aws-github-saas-connected.yaml'), 'utf8').replace(/kubernetesVersion: "[0-9.]+"/, 'kubernetesVersion: "1.31"'));
    const plan = await upgradePlan({ spec: file, to: TARGET, now: new Date('2026-06-01T00:00:00Z') });
    expect(plan).toMatchObject({ blocked: true, exitCode: 1 });
    expect(plan.blockers).toEqual([
      expect.objectContaining({ code: 'UPGRADE_KUBERNETES_WINDOW', hop: `2026.11.0 -> ${TARGET}`, hint: expect.stringMatching(/^upgrade Kubernetes first/) }),
    ]);
    expect(plan.hops[0]!.kubernetes).toEqual({ spec: '1.31', ...findRelease(TARGET)!.kubernetes, inWindow: false });
  }, 120_000);

  it('from 2026.10.2: through the required stop, one hop per release, the stop first', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'installctl-upgrade-plan-')), 'spec.yaml');
    writeFileSync(file, readFileSync(join(EXAMPLES_DIR, 'azure-gitlab-cloud-managed-connected.yaml'), 'utf8').replace(/(\n\s+version: )2026\.11\.0\n/, '$12026.10.2\n'));
    const plan = await upgradePlan({ spec: file, to: TARGET });
    const path = upgradePath('2026.10.2', TARGET);
    expect(path.ok && path.hops.length).toBe(2);
    expect(plan.hops.map((hop) => [hop.from, hop.to, hop.stopReason === null])).toEqual([
      ['2026.10.2', '2026.11.0', false],
      ['2026.11.0', TARGET, true],
    ]);
    expect(plan.blocked).toBe(false);
    plan.hops.forEach(checkHop);
    // The stop's background migration finishes before the next hop.
    expect(plan.hops[0]!.steps.find((step) => step.id === 'migrations')!.notes.join('\n')).toContain(`must have finished before the upgrade to ${TARGET} starts`);
  }, 180_000);
});
