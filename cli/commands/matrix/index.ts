import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.js';
import { UserError } from '../../lib/errors.js';
import { dimensionFilter } from '../../lib/flags.js';
import { cellJson, formatCsv, formatMarkdown, formatMarkdownGrid, formatTable, githubActionsMatrix, listCells } from '../../services/matrix.js';
import type { Cell } from '../../matrix/engine.js';
import type * as Output from '../../generated/cli-output.js';

type MatrixFormat = 'table' | 'markdown' | 'grid' | 'csv' | 'json' | 'github-actions';
const FORMATS: readonly MatrixFormat[] = ['table', 'markdown', 'grid', 'csv', 'json', 'github-actions'];

/** The human text in each --format (json: the result itself). */
export function formatMatrixResult(result: Output.Matrix, cells: readonly Cell[], format: MatrixFormat, shards: number): string {
  switch (format) {
    case 'json':
      return JSON.stringify(result, null, 2);
    case 'csv':
      return formatCsv(cells);
    case 'markdown':
      return formatMarkdown(cells);
    case 'grid':
      return formatMarkdownGrid();
    case 'github-actions':
      return JSON.stringify(githubActionsMatrix(shards, cells));
    case 'table':
      return formatTable(cells);
  }
}

export default class Matrix extends BaseCommand<Output.Matrix> {
  static override summary = 'List the support matrix: every platform x scm x models x network cell and its status.';

  static override description = `Statuses: supported, conditional (valid only with an explicit acknowledgement in the spec) and unsupported (with reason codes).
--format grid prints the whole matrix as a Markdown grid (filters do not apply).
--format github-actions prints a strategy matrix for a workflow: {"include": [{"shard": "1/4", "name": "conformance 1/4", "cells": 44}, ...]} (--shards n, default 4; cells: that shard's count in the cost-balanced split conformance --shard makes).
--json prints an array of {id, platform, scm, models, network, status, reasons: [{code, message}], requires: [{id, code, message}], acknowledgement}.`;

  static override examples = [
    { description: 'All 96 cells as a table', command: '<%= config.bin %> matrix' },
    { description: 'Air-gapped cells that are not supported, as JSON', command: '<%= config.bin %> matrix --network air-gapped --status unsupported --json' },
    { description: 'CSV for a spreadsheet', command: '<%= config.bin %> matrix --format csv > matrix.csv' },
    { description: 'Markdown for a document', command: '<%= config.bin %> matrix --platform aws,azure --format markdown' },
    { description: 'A GitHub Actions strategy matrix that fans conformance out over 6 shards', command: '<%= config.bin %> matrix --format github-actions --shards 6' },
    { description: 'The whole matrix as a compact Markdown grid (platform x scm by models x network)', command: '<%= config.bin %> matrix --format grid' },
  ];

  static override flags = {
    format: Flags.string({ description: 'output format', options: [...FORMATS], default: 'table' }),
    platform: dimensionFilter('platform'),
    scm: dimensionFilter('scm'),
    models: dimensionFilter('models'),
    network: dimensionFilter('network'),
    status: dimensionFilter('status'),
    shards: Flags.integer({ description: 'with --format github-actions: how many conformance shards (default 4)', min: 1, max: 96 }),
  };

  async run(): Promise<Output.Matrix> {
    const { flags } = await this.parse(Matrix);
    const filtered = [flags.platform, flags.scm, flags.models, flags.network, flags.status].some((value) => value !== undefined);
    if (flags.format === 'github-actions' && filtered) {
      // The shards cover the whole matrix; a filtered plan would promise cells the shard jobs never run.
      throw new UserError('--format github-actions plans shards over the whole matrix and takes no filters', {
        code: 'USAGE',
        hint: 'narrow the run in the workflow instead: installctl conformance --shard i/n --only aws,air-gapped',
      });
    }
    if (flags.shards !== undefined && flags.format !== 'github-actions') {
      throw new UserError('--shards only applies to --format github-actions', { code: 'USAGE', hint: 'installctl matrix --format github-actions --shards 4' });
    }
    const cells = listCells({ platform: flags.platform, scm: flags.scm, models: flags.models, network: flags.network, status: flags.status });
    return this.done(cells.map(cellJson), (result) => formatMatrixResult(result, cells, flags.format as MatrixFormat, flags.shards ?? 4));
  }
}
