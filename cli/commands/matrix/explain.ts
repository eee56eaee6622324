import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../lib/base-command.js';
import { explainCell, formatExplanation } from '../../services/matrix.js';
import type * as Output from '../../generated/cli-output.js';

export default class MatrixExplain extends BaseCommand<Output.MatrixExplain> {
  static override summary = 'Explain one support-matrix cell: status, reasons, requirements and the nearest supported cells.';

  static override description = `ID is platform/scm/models/network. For unsupported and conditional cells, lists the supported cells reachable by changing the fewest dimensions.
--json prints {cell: {...as in matrix --json}, alternatives: [{id, status, changed: [{dimension, from, to}]}]}. Exit 2 for an unknown cell id.`;

  static override examples = [
    { description: 'Why an air-gapped GitHub.com install is rejected, and what is close', command: '<%= config.bin %> matrix explain aws/github/saas-api/air-gapped' },
    { description: 'What a conditional cell requires', command: '<%= config.bin %> matrix explain azure/gitlab-self-managed/cloud-managed/air-gapped --json' },
  ];

  static override args = {
    id: Args.string({ required: true, description: 'cell id: platform/scm/models/network' }),
  };

  async run(): Promise<Output.MatrixExplain> {
    const { args } = await this.parse(MatrixExplain);
    return this.done(explainCell(args.id), formatExplanation);
  }
}
