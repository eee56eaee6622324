import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../lib/base-command.js';
import { init } from '../services/init.js';
import { MODEL_HOSTINGS, NETWORKS, PLATFORMS, SCMS } from '../dimensions/index.js';
import type * as Output from '../generated/cli-output.js';

/** The human text: the spec itself, or with --out the file written and its cell. */
export function formatInitResult(result: Output.Init): string {
  return result.file ? `wrote ${result.file} (cell ${result.cell.id}, ${result.cell.status})` : result.spec;
}

/** A dimension's values for flag help, from its descriptor map (in the support matrix's order: test/dimensions). */
const values = (descriptors: Readonly<Record<string, unknown>>) => Object.keys(descriptors).join(' | ');

export default class Init extends BaseCommand<Output.Init> {
  static override summary = 'Write a complete, commented starter spec for one support-matrix cell.';

  static override description = `--name and --customer are checked as the spec checks them (INIT_INVALID_NAME, INIT_INVALID_CUSTOMER: empty, padded, over 100 characters, control characters or a credential; exit 2).
The spec passes validate as written; placeholder values (*.example hosts, 123456789012, and the names init makes up: example-org, example-project, LABEL-model-weights, LABELweights, LABELagents.azurecr.io) are reported as RULE_PLACEHOLDER warnings until replaced, and render refuses them (RENDER_PLACEHOLDERS) unless --allow-placeholders.
The example hosts are named after --customer: "Initech Inc" gives agents.initech.example (accents dropped, a trailing Inc/Ltd/GmbH left out, at most 30 characters; acme.example when nothing is left).
A conditional cell's spec carries the acknowledgement it needs, with a comment. An unsupported cell fails with exit 1, its reasons and the nearest supported cells.
--json prints {cell, file, spec, warnings}.`;

  static override examples = [
    { description: 'Print a starter spec', command: '<%= config.bin %> init --platform aws --scm github-enterprise-server --models self-hosted --network air-gapped' },
    {
      description: 'Example hosts under initech.example',
      command: '<%= config.bin %> init --platform onprem --scm gitlab-self-managed --models self-hosted --network air-gapped --customer "Initech Inc"',
    },
    {
      description: 'Write it to a file for a customer',
      command:
        '<%= config.bin %> init --platform azure --scm gitlab-self-managed --models cloud-managed --network connected --name contoso-prod --customer "Contoso Ltd" --out contoso-prod.yaml',
    },
  ];

  static override flags = {
    platform: Flags.string({ description: values(PLATFORMS), required: true }),
    scm: Flags.string({ description: values(SCMS), required: true }),
    models: Flags.string({ description: values(MODEL_HOSTINGS), required: true }),
    network: Flags.string({ description: values(NETWORKS), required: true }),
    name: Flags.string({ description: 'install name (DNS-1123 label): the Pulumi stack name and namespace prefix', default: 'acme-prod' }),
    customer: Flags.string({ description: 'customer display name', default: 'Example Corp' }),
    out: Flags.string({ char: 'o', description: 'write the spec to this file (atomically) instead of standard output' }),
    force: Flags.boolean({ description: 'overwrite --out if it exists', default: false }),
  };

  async run(): Promise<Output.Init> {
    const { flags } = await this.parse(Init);
    return this.done(init({ ...flags, platform: flags.platform, scm: flags.scm, models: flags.models, network: flags.network }), formatInitResult);
  }
}
