import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../lib/base-command.js';
import { formatIssue } from '../services/validate.js';
import { visibleLine } from '../lib/visible-text.js';

export default class Render extends BaseCommand {
  static override summary = 'Validate a spec, then emit its Pulumi project and manifest into a directory.';

  static override description = `Writes DIR/pulumi/ (Pulumi.yaml, Pulumi.<name>.yaml with every setting as stack config, index.ts, package.json, tsconfig.json and the stacks/ components it uses), DIR/helm/*.values.yaml, DIR/images.txt, DIR/RUNBOOK.md (each spec value in its commands is one quoted shell word) and DIR/manifest.json (every file's SHA-256, the spec's hash, the installctl version and the matrix cell).
With --relocate MAP (written by bundle push), every image in the values runs from the customer's registry by digest and images.txt lists those mirror references; an image the map lacks is an error (RELOCATION_INCOMPLETE).
Output is deterministic and written atomically: an interrupted render leaves the previous output intact. An existing DIR that is not an earlier render is refused unless --force (which replaces it whole).
Re-rendering into an earlier render keeps what is not the render's: files its manifest does not list (pulumi/node_modules, files the runbook had you create) and, in Pulumi.<name>.yaml, the secure: values and encryption keys Pulumi wrote there.
Exit codes are validate's: 0 rendered, 1 invalid spec, 2 usage error or unreadable file.
--json prints {valid, issues, outDir, cell, files: [{path, sha256, bytes}], kept: [path]} (schemas/cli-output.schema.json#/$defs/render).`;

  static override examples = [
    { description: 'Render a customer spec', command: '<%= config.bin %> render examples/aws-ghes-self-hosted-air-gapped.yaml --out out/acme-gov' },
    { description: 'Replace a directory that is not an earlier render', command: '<%= config.bin %> render spec.yaml --out deploy --force' },
    { description: 'After bundle push: values and images.txt point at the mirror, by digest', command: '<%= config.bin %> render spec.yaml --relocate acme.bundle.relocation.json --out deploy' },
  ];

  static override args = {
    spec: Args.string({ required: true, description: 'install spec file (YAML or JSON)' }),
  };

  static override flags = {
    out: Flags.string({ char: 'o', required: true, description: 'output directory' }),
    force: Flags.boolean({ default: false, description: 'replace --out even if it is not an earlier render' }),
    relocate: Flags.string({ description: 'relocation map from bundle push: every image runs from the mirror, by digest' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Render);
    const { render } = await import('../services/render.js');
    const result = render({ spec: args.spec, outDir: flags.out, force: flags.force, relocate: flags.relocate ?? null });
    const { settings: _settings, exitCode, ...json } = result;
    this.emit(json, () => {
      const lines = result.issues.map((issue) => formatIssue(args.spec, issue));
      if (!result.valid) lines.push(`${visibleLine(args.spec)}: invalid - nothing rendered`);
      else lines.push(`rendered ${result.files.length} files into ${visibleLine(result.outDir ?? '')} (cell ${result.cell!.id}, ${result.cell!.status})${result.kept.length ? `; kept ${result.kept.length} of your own (${result.kept.slice(0, 3).join(', ')}${result.kept.length > 3 ? ', ...' : ''})` : ''}`);
      return lines.join('\n');
    }, exitCode);
  }
}
