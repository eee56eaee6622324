/**
 * The human text of `installctl upgrade plan`: the blockers first (each with what to do), then every
 * hop with what changes and the commands in order. The same result as --json prints.
 */
import { visibleLine } from '../../lib/visible-text.js';
import type * as Output from '../../generated/cli-output.js';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** registry/repository:tag@sha256:... as "tag (sha256:first 12)": the repository is the same on both sides of a change. */
function shortImage(reference: string | null): string {
  if (reference === null) return '(none)';
  const [name = '', digest = ''] = reference.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : name;
  return `${tag} (${digest.slice(0, 'sha256:'.length + 12)})`;
}

function formatBlockers(blockers: readonly Output.UpgradeBlocker[]): string[] {
  if (!blockers.length) return [];
  return [
    `BLOCKED (${blockers.length}):`,
    ...blockers.flatMap((blocker) => [`  ${blocker.code}${blocker.hop ? ` [${blocker.hop}]` : ''}: ${blocker.message}`, `    what to do: ${blocker.hint}`]),
    '',
  ];
}

function formatChanges(hop: Output.UpgradeHop): string[] {
  const lines: string[] = [];
  const { kubernetes } = hop;
  lines.push(`  Kubernetes: the spec's ${kubernetes.spec}; ${hop.to} supports ${kubernetes.min} to ${kubernetes.max}: ${kubernetes.inWindow ? 'ok' : 'OUTSIDE (blocks this hop)'}`);
  lines.push(`  Images (${hop.images.length} changed)${hop.images.length ? ':' : ''}`);
  for (const image of hop.images) lines.push(`    ${image.chart} ${image.key}: ${shortImage(image.from)} -> ${shortImage(image.to)}`);
  lines.push(`  Values, customer layer (${hop.values.length} changed)${hop.values.length ? ':' : ''}`);
  for (const value of hop.values)
    lines.push(`    ${value.chart} ${value.path}: ${value.change === 'moved' ? `moved from ${value.movedFrom} (renamed by the release, migrated)` : value.change}`);
  for (const rename of hop.renamedValues.filter((entry) => !entry.inLayer))
    lines.push(`    ${rename.chart} ${rename.from} -> ${rename.to}: renamed by the release (not set in the customer layer)${rename.reason ? `: ${rename.reason}` : ''}`);
  for (const rename of hop.specRenames)
    lines.push(
      `  Spec field renamed by ${rename.release}: ${rename.from} -> ${rename.to} (${rename.set ? 'the spec sets it: upgrade apply-spec moves it' : 'not set in the spec'}): ${rename.reason}`,
    );
  const { pulumi } = hop;
  lines.push(`  Pulumi: ${pulumi.create} to create, ${pulumi.update} to update, ${pulumi.replace} to replace, ${pulumi.delete} to delete`);
  for (const change of pulumi.changes) {
    const why = change.action === 'replace' ? change.replaceBecause : change.properties;
    const stateful = change.stateful ? ` [${change.stateful}]` : '';
    lines.push(`    ${change.action} ${change.type} ${change.name}${stateful}${why.length ? `: ${why.join(', ')}` : ''}`);
    if (change.declared) lines.push(`      declared by ${change.declared.release}: ${change.declared.reason} Data: ${change.declared.dataLoss}`);
  }
  const pins = hop.pulumiPins.map((pin) => (pin.from === pin.to ? `${pin.package} ${pin.to} (unchanged)` : `${pin.package} ${pin.from} -> ${pin.to}`));
  lines.push(`  Pulumi pins: ${pins.join(', ')}`);
  return lines;
}

function formatRuns(hop: Output.UpgradeHop): string[] {
  const lines = [`  Migrations (${hop.migrations.length})${hop.migrations.length ? ':' : ''}`];
  for (const migration of hop.migrations)
    lines.push(`    ${migration.id} (${migration.release}): ${migration.kind}, ${migration.reversible ? 'reversible' : 'IRREVERSIBLE'}: ${migration.description}`);
  if (hop.backgroundGate.length) lines.push(`    background, must finish before the next upgrade: ${hop.backgroundGate.join(', ')}`);
  lines.push('  Backups first:');
  for (const backup of hop.backups) lines.push(`    ${backup.what}${backup.required ? ' (REQUIRED)' : ''}: ${backup.why}`);
  lines.push('  Steps (commands run from the directory of the spec; DIR is the render directory):');
  hop.steps.forEach((step, index) => {
    lines.push(`    ${index + 1}. ${step.title}`);
    for (const note of step.notes) lines.push(`       ${note}`);
    for (const command of step.commands) lines.push(`       $ ${command}`);
  });
  return lines;
}

export function formatUpgradePlan(plan: Output.UpgradePlan): string {
  const lines = [`Upgrade plan for ${plan.install} (cell ${plan.cell}): ${plan.from} -> ${plan.to}, ${plural(plan.hops.length, 'hop')}`, ''];
  lines.push(...formatBlockers(plan.blockers));
  if (!plan.hops.length && !plan.blocked) lines.push(`The spec is at ${plan.to} already: nothing to upgrade.`);
  plan.hops.forEach((hop, index) => {
    const preview = hop.preview ? `; ${hop.to} is a PREVIEW release: to try, not for production` : '';
    lines.push(`Hop ${index + 1}: ${hop.from} -> ${hop.to} (${hop.stopReason ? `required stop, ${hop.stopReason}` : 'the target'}${preview})`);
    lines.push(...formatChanges(hop), ...formatRuns(hop), '');
  });
  if (plan.blocked) lines.push(`BLOCKED: ${plural(plan.blockers.length, 'reason')} above; nothing is safe to run until each is resolved.`);
  else if (plan.hops.length) lines.push('Not blocked: follow the steps hop by hop.');
  return lines.map((line) => visibleLine(line)).join('\n');
}
