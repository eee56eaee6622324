import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../lib/base-command.js';
import { visibleLine } from '../lib/visible-text.js';
import type * as Output from '../generated/cli-output.js';

type FileState = Output.Status['files']['entries'][number]['state'];

/** The file states shown by name, in this order, each with its label. */
const LISTED: Array<[FileState, string]> = [
  ['changed', 'changed'],
  ['missing', 'missing'],
  ['not-a-file', 'not a file (a link, directory or device in its place)'],
  ['unreadable', 'unreadable'],
  ['changed-by-pulumi', 'changed by Pulumi (expected)'],
];

const MAX_LISTED = 20;

function specLine(spec: Output.Status['spec']): string {
  const name = visibleLine(spec.file);
  if (spec.state === 'not-found' && !spec.searched.length) return 'rendered from standard input: not compared; pass --spec FILE';
  if (spec.state === 'not-found') return `${name} not found (looked for ${spec.searched.map(visibleLine).join(', ')}): not compared; pass --spec FILE`;
  const compared = visibleLine(spec.compared ?? '');
  if (spec.state === 'unchanged') return `unchanged since the render (compared ${compared})`;
  return `CHANGED since the render (compared ${compared}: sha256 ${spec.sha256?.slice(0, 12) ?? 'of no spec render could read'}, rendered ${spec.recordedSha256.slice(0, 12)})`;
}

function fileLines(files: Output.Status['files']): string[] {
  const counts = LISTED.map(([state]) => [state, files.entries.filter((entry) => entry.state === state).length] as const).filter(([, n]) => n > 0);
  const lines = [`files:      ${files.unchanged} of ${files.total} unchanged${counts.map(([state, n]) => `, ${n} ${state}`).join('')}`];
  for (const [state, label] of LISTED) {
    const paths = files.entries.filter((entry) => entry.state === state).map((entry) => visibleLine(entry.path));
    if (!paths.length) continue;
    lines.push(`  ${label}:`, ...paths.slice(0, MAX_LISTED).map((path) => `    ${path}`));
    if (paths.length > MAX_LISTED) lines.push(`    ... and ${paths.length - MAX_LISTED} more (--json lists them all)`);
  }
  return lines;
}

function installctlLine(installctl: Output.Status['installctl']): string {
  const versions = `rendered by ${visibleLine(installctl.rendered)}, this is ${visibleLine(installctl.running)}`;
  return installctl.state === 'same' ? versions : `${versions}: rendered by ${installctl.state === 'older' ? 'an OLDER' : 'a NEWER'} installctl; re-render with this one`;
}

function releaseLine(release: Output.Status['release']): string {
  if (release.status === null) return 'unknown (the manifest and the agent-platform values name none)';
  const from =
    release.source !== 'values'
      ? ''
      : release.mismatch
        ? ', from the agent-platform values'
        : ', from the agent-platform values: an installctl that did not record it rendered DIR';
  const status = release.status === 'not-catalogued' ? 'not catalogued by this installctl' : release.status;
  const newer = release.newer.length ? `; newer: ${release.newer.map((other) => `${other.version} (${other.status})`).join(', ')}` : '; no newer release catalogued';
  return `${visibleLine(release.version)} (${status}${from})${newer}${mismatchText(release.mismatch)}`;
}

function mismatchText(mismatch: Output.Status['release']['mismatch']): string {
  if (mismatch === null) return '';
  const values = mismatch.values === null ? 'names none' : `says ${visibleLine(mismatch.values)}`;
  return `\n            MISMATCH: manifest.json says ${visibleLine(mismatch.manifest)} but the agent-platform values layer ${values}: the manifest was edited or is inconsistent; re-render`;
}

/** The human text: one line per question (spec, files, installctl, release), then what to run next. */
export function formatStatusResult(result: Output.Status): string {
  const lines = [
    `${visibleLine(result.dir)}: install ${visibleLine(result.install)}, cell ${visibleLine(result.cell.id)}: ${result.inSync ? 'in sync' : 'DRIFTED'}${result.inSync && result.spec.state === 'not-found' ? ' (spec not compared)' : ''}`,
    `spec:       ${specLine(result.spec)}`,
    ...fileLines(result.files),
    `installctl: ${installctlLine(result.installctl)}`,
    `release:    ${releaseLine(result.release)}`,
  ];
  if (result.next.length) lines.push('next:', ...result.next.map((step) => `  ${visibleLine(step.command)}   # ${visibleLine(step.why)}`));
  return lines.join('\n');
}

export default class Status extends BaseCommand<Output.Status> {
  static override summary = 'Say whether a render directory drifted from its spec, its files and this installctl, and which release it holds.';

  static override description = `Reads DIR/manifest.json (what installctl render --out DIR wrote) and compares, writing nothing:
- the spec: its SHA-256 against the one rendered. The manifest records only the spec's file name: --spec FILE, else that name in the current directory, else beside DIR (DIR/..); a spec not found is reported, not compared;
- every rendered file: changed, missing, or something else in its place (a symbolic link is never followed). A changed Pulumi stack file (pulumi/Pulumi.<stack>.yaml) is expected: Pulumi writes secrets and its encryption salt there;
- the installctl version that rendered DIR against this one;
- the release DIR holds (the manifest's release, checked against the agent-platform values' install.release, whose file the manifest hashes; for renders by an older installctl the values' alone), its status in this installctl's catalog (current, supported, preview, not catalogued), the newer releases and the upgrade plan to run.
DIR is untrusted: manifest.json is read at most 16 MiB and its shape checked, every path it lists must stay inside DIR (STATUS_MANIFEST_INVALID).
Exit codes: 0 in sync, 1 drift (the spec changed, a file changed or went missing, another installctl version rendered DIR, the manifest's release disagrees with the values'), 2 usage error or not a render directory (STATUS_NOT_A_RENDER, STATUS_MANIFEST_INVALID, a --spec that cannot be read).
--json prints {dir, inSync, install, cell, spec, files: {total, unchanged, drifted, entries: [{path, state}]}, installctl, release: {version, source, status, newer, upgradeTo, mismatch}, next: [{command, why}]} (schemas/cli-output.schema.json#/$defs/status).`;

  static override examples = [
    { description: 'Has deploy/ drifted? (the spec is looked up by the name the render recorded)', command: '<%= config.bin %> status deploy' },
    { description: 'Compare against a given spec', command: '<%= config.bin %> status deploy --spec specs/acme-gov.yaml' },
    { description: 'In CI: fail when the committed render is stale', command: '<%= config.bin %> status deploy --spec acme-gov.yaml --json > status.json' },
  ];

  static override args = {
    dir: Args.string({ required: true, description: 'a render directory (what installctl render --out wrote)' }),
  };

  static override flags = {
    spec: Flags.string({ description: "the install spec to compare (default: the spec's file name from manifest.json, in the current directory, then beside DIR)" }),
  };

  async run(): Promise<Output.Status> {
    const { args, flags } = await this.parse(Status);
    const { status } = await import('../services/status.js');
    const { exitCode, ...result } = status({ dir: args.dir, spec: flags.spec ?? null });
    return this.done(result, formatStatusResult, exitCode);
  }
}
