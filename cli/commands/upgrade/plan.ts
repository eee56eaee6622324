import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import type * as Output from '../../generated/cli-output.js';
import { formatUpgradePlan } from './plan-format.js';

export default class UpgradePlan extends BaseCommand<Output.UpgradePlan> {
  static override summary = "Plan the upgrade of an install from its spec's release to another catalogued release: what changes, what blocks it, the commands in order.";

  static override description = `From spec.release.version to VERSION through every required stop of the release catalog (releases/), one hop per stop. For each hop: the images that change (per chart and key), the customer values layer that changes (keys the release renames shown as moved), the spec fields it renames (installctl upgrade apply-spec moves them), what pulumi up would create, update, replace and delete (from mock synthesis of the spec's Pulumi project rendered at both releases), the migrations it runs (blocking or background, reversible or not), the backups to take first, the spec's Kubernetes version against the release's window, and the commands in order: apply-spec and render, pre-checks, backups, pulumi preview --diff and up, helm upgrade (--atomic unless a migration is irreversible), the migration gate, verification and rollback. The RUNBOOK's Upgrade section prints the same steps for the release it is rendered for.
Blocked (exit 1, every reason listed): a target older than the spec's release (a downgrade is a rollback), a Kubernetes version outside a hop's window (upgrade Kubernetes first), or a stateful resource (database, cache, bucket, cluster, node pool with local data) Pulumi would replace or delete that the release does not declare.
Exit codes: 0 a plan to follow (or nothing to do), 1 blocked, 2 usage error (VERSION not catalogued: the hint lists the releases; a spec with errors: validate's issues in --json details).
--json prints {spec, install, cell, from, to, blocked, blockers: [{code, hop, message, hint}], hops: [{from, to, stopReason, kubernetes, images, values, renamedValues, specRenames, pulumi: {create, update, replace, delete, changes}, migrations, backgroundGate, backups, steps: [{id, title, notes, commands}]}], exitCode}.`;

  static override examples = [
    { description: 'What the upgrade to 2026.12.0 changes and how to run it', command: '<%= config.bin %> upgrade plan acme.yaml --to 2026.12.0' },
    { description: 'The same for a script or a change ticket', command: '<%= config.bin %> upgrade plan acme.yaml --to 2026.12.0 --json' },
  ];

  static override args = {
    spec: Args.string({ required: true, description: 'install spec file (YAML or JSON)' }),
  };

  static override flags = {
    to: Flags.string({ required: true, helpValue: 'VERSION', description: 'the catalogued release to upgrade to (e.g. 2026.12.0)' }),
  };

  async run(): Promise<Output.UpgradePlan> {
    const { args, flags } = await this.parse(UpgradePlan);
    const { upgradePlan } = await import('../../services/upgrade-plan.js');
    const result = await upgradePlan({ spec: args.spec, to: flags.to });
    return this.done(result, formatUpgradePlan, result.exitCode);
  }
}
