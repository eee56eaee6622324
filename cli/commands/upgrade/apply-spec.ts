import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { visibleLine } from '../../lib/visible-text.js';
import { formatIssue } from '../../services/validate.js';
import type * as Output from '../../generated/cli-output.js';

/** The human text: the diff, what was (or would be) written, and, at a required stop, what to do before the next hop. */
export function formatUpgradeApplySpecResult(result: Output.UpgradeApplySpec): string {
  const file = visibleLine(result.file);
  if (!result.diff) return `${file} is already at ${result.to}: nothing to write`;
  const lines = [result.diff.trimEnd(), ...result.issues.map((issue) => formatIssue(result.written ?? result.file, issue))];
  const renamed = result.renamed.length ? `; renamed ${result.renamed.map((move) => `${move.from} -> ${move.to}`).join(', ')}` : '';
  const release = result.from === result.to ? `release ${result.to}` : `release ${result.from} -> ${result.to}`;
  lines.push(result.written ? `wrote ${visibleLine(result.written)}: ${release}${renamed}` : `dry run: would write ${file}: ${release}${renamed}; nothing written`);
  if (result.stopReason) lines.push(`${result.to} is a required stop on the way to ${result.target} (${visibleLine(result.stopReason)})`);
  lines.push(
    result.from === result.to ? 'next: render the spec again' : `next: render the spec again and upgrade the install to ${result.to} as its RUNBOOK's upgrade section says`,
  );
  if (result.next) lines.push(`then: ${visibleLine(result.next)}`);
  return lines.join('\n');
}

export default class UpgradeApplySpec extends BaseCommand<Output.UpgradeApplySpec> {
  static override summary = 'Move an install spec to a later release, one required stop at a time: release bumped, renamed fields moved, a diff printed.';

  static override description = `SPEC must be valid at its own release (validate's checks; old names of renamed fields, RELEASE_FIELD_RENAMED, are what this fixes): otherwise UPGRADE_SPEC_INVALID, exit 2.
The path from spec.release.version to --to goes through every required stop of the release catalog (releases/). One run writes one hop: the first stop when stops lie between (it says why, and the command for the next hop), else --to. The spec's release.version is set and every field renamed by the releases crossed (the catalog's spec.renamed, such as ingress.exposure -> ingress.visibility in 2026.12.0) is moved to its new name; comments, key order and quoting stay as they were.
The result is checked at the new release before anything is written: an error there (a Kubernetes version outside the release's window, RELEASE_KUBERNETES_WINDOW, or any validate error) blocks it: UPGRADE_SPEC_BLOCKED, exit 1, nothing written.
The spec is written atomically in place (keeping its permissions), or to a new --out file (an existing one is refused: FILE_EXISTS); --dry-run writes nothing. A unified diff of the spec's text is printed.
Exit codes: 0 written (or already at --to: nothing to write), 1 blocked (UPGRADE_SPEC_BLOCKED; UPGRADE_DOWNGRADE for a --to older than the spec's release), 2 usage (an uncatalogued --to: RELEASE_UNKNOWN, with the catalogued releases), invalid or unreadable spec.
--json prints {file, from, to, target, stopReason, remainingHops: [{from, to, stopReason}], renamed: [{from, to}], issues, written, dryRun, diff, next}.`;

  static override examples = [
    { description: 'Move a spec to 2026.12.0 (writes the 2026.11.0 stop first when the spec is older)', command: '<%= config.bin %> upgrade apply-spec spec.yaml --to 2026.12.0' },
    { description: 'Show the diff, write nothing', command: '<%= config.bin %> upgrade apply-spec spec.yaml --to 2026.12.0 --dry-run' },
    { description: 'Write the upgraded spec to a new file', command: '<%= config.bin %> upgrade apply-spec spec.yaml --to 2026.12.0 --out spec-2026.12.0.yaml' },
    { description: 'Machine-readable result (the diff included)', command: '<%= config.bin %> upgrade apply-spec spec.yaml --to 2026.12.0 --json' },
  ];

  static override args = {
    spec: Args.string({ required: true, description: 'install spec file (YAML or JSON)' }),
  };

  static override flags = {
    to: Flags.string({ required: true, description: 'the release to upgrade to (a catalogued version such as 2026.12.0)' }),
    out: Flags.string({ char: 'o', description: 'write the upgraded spec to this new file instead of SPEC' }),
    'dry-run': Flags.boolean({ default: false, description: 'print the diff and check the result; write nothing' }),
  };

  async run(): Promise<Output.UpgradeApplySpec> {
    const { args, flags } = await this.parse(UpgradeApplySpec);
    const { upgradeApplySpec } = await import('../../services/upgrade-apply-spec.js');
    return this.done(upgradeApplySpec({ spec: args.spec, to: flags.to, out: flags.out ?? null, dryRun: flags['dry-run'] }), formatUpgradeApplySpecResult);
  }
}
