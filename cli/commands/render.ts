import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../lib/base-command.js';
import { formatIssue } from '../services/validate.js';
import { visibleLine } from '../lib/visible-text.js';
import type { RenderOptions } from '../services/render.js';
import type * as Output from '../generated/cli-output.js';

type RenderOutput = Output.Render | Output.RenderDryRun | Output.RenderDiff;

/** The human text of a render: the spec's issues, then what was rendered where (or that nothing was). */
export function formatRenderResult(result: Output.Render, spec: string): string {
  const lines = result.issues.map((issue) => formatIssue(spec, issue));
  if (!result.valid) lines.push(`${visibleLine(spec)}: invalid - nothing rendered`);
  else
    lines.push(
      `rendered ${result.files.length} files into ${visibleLine(result.outDir ?? '')} (cell ${result.cell!.id}, ${result.cell!.status})${result.kept.length ? `; kept ${result.kept.length} of your own (${result.kept.slice(0, 3).join(', ')}${result.kept.length > 3 ? ', ...' : ''})` : ''}`,
    );
  return lines.join('\n');
}

/** The human text of --diff: the unified diff alone (issues go to stderr), for patch and pagers. */
export function formatRenderDiffResult(result: Output.RenderDiff): string {
  return result.valid ? result.files.map((file) => file.diff).join('') : '';
}

/** The human text of --dry-run: each file with its SHA-256 and size, then what a render would do. */
export function formatRenderDryRunResult(result: Output.RenderDryRun, outDir: string): string {
  if (!result.valid) return '';
  const lines = result.files.map((file) => `${file.sha256.slice(0, 12)}  ${String(file.bytes).padStart(8)}  ${file.path}`);
  lines.push(
    `dry run: would render ${result.files.length} files into ${visibleLine(outDir)} (cell ${result.cell!.id}, ${result.cell!.status})${result.kept.length ? ` and keep ${result.kept.length} of your own` : ''}; nothing written`,
  );
  return lines.join('\n');
}

export default class Render extends BaseCommand<RenderOutput> {
  static override summary = 'Validate a spec, then emit its Pulumi project and manifest into a directory.';

  static override description = `Writes DIR/pulumi/ (Pulumi.yaml, Pulumi.<name>.yaml with every setting as stack config, index.ts, package.json, tsconfig.json and the stacks/ components it uses), DIR/helm/*.values.yaml, DIR/images.txt, DIR/RUNBOOK.md (each spec value in its commands is one quoted shell word) and DIR/manifest.json (every file's SHA-256, the spec's hash, the installctl version, the release and the matrix cell: what installctl status compares against).
With --relocate MAP (written by bundle push), every image in the values runs from the customer's registry by digest and images.txt lists those mirror references; an image the map lacks is an error (RELOCATION_INCOMPLETE).
The map is untrusted and checked before any of it reaches the values (exit 2, the JSON path of the bad entry): at most 16 MiB (RELOCATION_MAP_TOO_LARGE) and the shape of schemas/bundle.schema.json#/$defs/relocationMap (RELOCATION_MAP_INVALID); every target and image source a pinned REGISTRY/REPOSITORY@sha256:DIGEST by the distribution reference grammar, lowercase host, no tag, no whitespace or control characters (RELOCATION_TARGET_INVALID, RELOCATION_SOURCE_INVALID); the target pins the entry's and the source's digest (RELOCATION_DIGEST_MISMATCH; a --platform bundle's map, whose images pin platform manifests, only with --allow-platform-narrowed and a RELOCATION_PLATFORM_NARROWED warning); every target under the map's registry (RELOCATION_OUTSIDE_REGISTRY), itself well-formed (RELOCATION_REGISTRY_INVALID) and not a public registry (RELOCATION_PUBLIC_HOST); one target per source (RELOCATION_DUPLICATE_SOURCE).
Output is deterministic and written atomically (a staging directory beside DIR, then two renames): a failed render leaves the previous output intact, and a render killed between the renames is recovered by the next one, which first restores DIR from .DIR.installctl-previous-PID (said on stderr and in --json recovery). An existing DIR that is not an earlier render is refused unless --force (which replaces it whole).
Refused --out targets (exit 2): a symbolic link (RENDER_OUT_SYMLINK); a file-system root or mount point, a sticky shared directory such as /tmp, the home or current directory or one of their ancestors, and with --force a directory holding the spec or the map (RENDER_OUT_UNSAFE); one another running render is writing (RENDER_OUT_BUSY); a directory you cannot write (OUTPUT_NOT_WRITABLE).
Re-rendering into an earlier render keeps what is not the render's: files its manifest does not list (pulumi/node_modules, files the runbook had you create), files it listed that this render no longer writes if you changed them (or, for a Pulumi.<old-name>.yaml, if Pulumi wrote secrets or keys into it), and, in Pulumi.<name>.yaml, the secure: values and encryption keys Pulumi wrote there. Files that may not be hard-linked are copied; one that cannot be read is refused (RENDER_CARRY_OVER_FAILED).
A spec that still holds init's placeholder values (RULE_PLACEHOLDER: *.example hosts, 123456789012, 0000... ids) is refused with RENDER_PLACEHOLDERS and their paths (exit 2) unless --allow-placeholders (a trial render; conformance passes it for starter specs).
Every registry reference of the render (image values, the RUNBOOK's pull secret, oci:// chart URLs, mirror paths) comes from one registry: the map's with --relocate, else spec.registry.mirror. A map on another registry than the mirror (compared as lowercase host, :443 dropped, prefix by path components) is a RELOCATION_REGISTRY_MISMATCH warning on a connected spec, and refused (exit 2) on an air-gapped one unless --allow-other-registry (then a warning); both name the spec's own weights references left on the mirror's host.
--dry-run validates and renders in memory, checks --out and the map as a render would, lists each file with its size and SHA-256, and writes nothing (exit as render). --diff prints a unified diff of every file against the earlier render in --out (added, modified, and removed files: those a render would delete), secret-bearing values ([redacted]: secure: values and encryption keys of stack files, stack config values the render does not set itself, any value under a pass/secret/token/key/auth/credential key, anything that looks like a credential) hidden; it writes nothing and exits 0 no change, 1 changes, 2 anything else (an invalid spec included).
Exit codes are validate's: 0 rendered, 1 invalid spec, 2 usage error, refusal or unreadable file.
--json prints {valid, issues, outDir, cell, files: [{path, sha256, bytes}], kept: [path], recovery: {restored, removed, remaining}} (schemas/cli-output.schema.json#/$defs/render); with --dry-run {valid, issues, outDir, cell, dryRun, files, kept} (#/$defs/renderDryRun); with --diff {valid, issues, outDir, cell, changed, files: [{path, change, diff}], unchanged} (#/$defs/renderDiff).`;

  static override examples = [
    { description: 'Render a customer spec', command: '<%= config.bin %> render examples/aws-ghes-self-hosted-air-gapped.yaml --out out/acme-gov' },
    { description: 'Replace a directory that is not an earlier render', command: '<%= config.bin %> render spec.yaml --out deploy --force' },
    {
      description: 'After bundle push: values and images.txt point at the mirror, by digest',
      command: '<%= config.bin %> render spec.yaml --relocate acme.bundle.registry.acme.internal_5000+installctl.relocation.json --out deploy',
    },
    {
      description: 'An air-gapped spec with a map pushed to another registry than its mirror (a warning says so)',
      command: '<%= config.bin %> render spec.yaml --relocate acme.bundle.registry.lab.internal+installctl.relocation.json --allow-other-registry --out deploy',
    },
    { description: 'What a re-render would change in deploy/ (exit 1 if anything), nothing written', command: '<%= config.bin %> render spec.yaml --out deploy --diff' },
    { description: 'Render in memory and list the files, nothing written', command: '<%= config.bin %> render spec.yaml --out deploy --dry-run' },
    { description: 'A trial render of an init starter spec that still holds placeholders', command: '<%= config.bin %> render starter.yaml --out trial --allow-placeholders' },
  ];

  static override args = {
    spec: Args.string({ required: true, description: 'install spec file (YAML or JSON)' }),
  };

  static override flags = {
    out: Flags.string({ char: 'o', required: true, description: 'output directory' }),
    force: Flags.boolean({ default: false, description: 'replace --out even if it is not an earlier render' }),
    'allow-platform-narrowed': Flags.boolean({
      default: false,
      description: "accept a --platform bundle's map, whose images pin platform manifests instead of the vendor's index digests (a warning says so)",
    }),
    relocate: Flags.string({ description: 'relocation map from bundle push (checked, at most 16 MiB): every image runs from the mirror, by digest' }),
    'allow-other-registry': Flags.boolean({ default: false, description: 'accept a map on another registry than spec.registry.mirror for an air-gapped spec (a warning says so)' }),
    'allow-placeholders': Flags.boolean({ default: false, description: "render a spec that still holds init's placeholder values (RULE_PLACEHOLDER)" }),
    diff: Flags.boolean({
      default: false,
      exclusive: ['dry-run'],
      description: 'print a unified diff against the earlier render in --out, secrets redacted; write nothing; exit 0 no change, 1 changes, 2 trouble',
    }),
    'dry-run': Flags.boolean({ default: false, exclusive: ['diff'], description: 'render in memory and list the files with sizes and SHA-256; write nothing' }),
  };

  async run(): Promise<RenderOutput> {
    const { args, flags } = await this.parse(Render);
    const options: RenderOptions = {
      spec: args.spec,
      outDir: flags.out,
      force: flags.force,
      relocate: flags.relocate ?? null,
      allowPlatformNarrowed: flags['allow-platform-narrowed'],
      allowPlaceholders: flags['allow-placeholders'],
      allowOtherRegistry: flags['allow-other-registry'],
    };
    if (flags.diff) return this.diff(options);
    if (flags['dry-run']) return this.dryRun(options);
    const { render } = await import('../services/render.js');
    const { settings: _settings, exitCode, ...result } = render(options);
    const { restored, removed, remaining } = result.recovery;
    if (restored) process.stderr.write(`installctl: ${flags.out} was missing after an interrupted render; restored it from ${restored} before rendering\n`);
    if (removed.length) process.stderr.write(`installctl: removed ${removed.length} leftover(s) of interrupted renders: ${removed.join(', ')}\n`);
    for (const path of remaining)
      process.stderr.write(`installctl: warning: left ${path} in place: it may hold files ${flags.out} lacks, or could not be removed; look at it, then delete it\n`);
    return this.done(result, (rendered) => formatRenderResult(rendered, args.spec), exitCode);
  }

  /** --diff: issues on stderr (the diff alone on stdout, for patch and pagers), nothing written. */
  private async diff(options: RenderOptions): Promise<Output.RenderDiff> {
    const { renderDiff } = await import('../services/render-preview.js');
    const { exitCode, ...result } = renderDiff(options);
    this.previewIssues(options.spec, result.issues);
    this.done(result, formatRenderDiffResult, exitCode);
    this.previewInvalid(options.spec, result.valid);
    return result;
  }

  /** --dry-run: issues on stderr, the files on stdout, nothing written. */
  private async dryRun(options: RenderOptions): Promise<Output.RenderDryRun> {
    const { renderDryRun } = await import('../services/render-preview.js');
    const { exitCode, ...result } = renderDryRun(options);
    this.previewIssues(options.spec, result.issues);
    this.done(result, (preview) => formatRenderDryRunResult(preview, options.outDir), exitCode);
    this.previewInvalid(options.spec, result.valid);
    return result;
  }

  private previewIssues(spec: string, issues: Output.Issue[]): void {
    if (!this.jsonEnabled()) for (const issue of issues) process.stderr.write(formatIssue(spec, issue) + '\n');
  }

  private previewInvalid(spec: string, valid: boolean): void {
    if (!this.jsonEnabled() && !valid) process.stderr.write(`${visibleLine(spec)}: invalid - nothing rendered\n`);
  }
}
