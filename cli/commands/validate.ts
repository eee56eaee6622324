import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../lib/base-command.js';
import { formatValidation, validate } from '../services/validate.js';
import type * as Output from '../generated/cli-output.js';

/** The human text: each file's issues, then a line saying whether it is valid. */
export function formatValidateResult(result: Output.Validate): string {
  return formatValidation({ files: 'files' in result ? result.files : [result] });
}

export default class Validate extends BaseCommand<Output.Validate> {
  static override summary = 'Check install specs: syntax, schema, support-matrix cell and cross-field rules.';

  static override description = `Reports every problem found, each with file:line:column, a JSON path, a stable code and a hint.
Literal secrets (SECRET_LITERAL: token shapes anywhere in any value, key or note) and control characters (VALUE_CONTROL_CHARACTER) are refused; a value that may hold a credential is never echoed.
Exit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error or unreadable file. With --strict (for CI) every warning is reported as an error and fails the file (exit 1): placeholders init left (RULE_PLACEHOLDER) included.
--json prints {file, valid, cell, errors, warnings, issues} for one file, {valid, files: [...]} for several.`;

  static override examples = [
    { description: 'Validate one spec', command: '<%= config.bin %> validate examples/aws-ghes-self-hosted-air-gapped.yaml' },
    { description: 'Validate several specs; exit 1 if any is invalid', command: '<%= config.bin %> validate examples/*.yaml' },
    { description: 'Machine-readable issues', command: '<%= config.bin %> validate spec.yaml --json' },
    { description: 'Read the spec from standard input', command: 'cat spec.yaml | <%= config.bin %> validate -' },
    { description: 'In CI: warnings (placeholders included) fail the check', command: '<%= config.bin %> validate --strict specs/*.yaml' },
  ];

  static override strict = false;

  static override args = {
    file: Args.string({ required: true, description: 'install spec file (YAML or JSON); - reads standard input; more files may follow' }),
  };

  static override flags = {
    strict: Flags.boolean({ default: false, description: 'treat every warning as an error (exit 1): for CI' }),
  };

  async run(): Promise<Output.Validate> {
    const { argv, flags } = await this.parse(Validate);
    const report = validate(argv as string[], { strict: flags.strict });
    const single = report.files.length === 1 ? report.files[0] : undefined;
    return this.done(single ?? { valid: report.valid, files: report.files }, formatValidateResult, report.exitCode);
  }
}
