/** `installctl matrix` and `matrix explain`: list, filter, render and explain support-matrix cells. */
import { closest, quoteList } from '../lib/suggest.js';
import { UserError } from '../lib/errors.js';
import { planShards } from '../conformance/shards.js';
import { DIMENSIONS, STATUSES, supportMatrix, type Cell, type CellStatus, type Dimension, type SupportMatrixModel } from '../matrix/engine.js';

export type MatrixFilters = Partial<Record<Dimension | 'status', string[]>>;

/** One cell in --json output (stable: documented in README, schema in schemas/matrix-cells.schema.json). */
export interface CellJson {
  id: string;
  platform: string;
  scm: string;
  models: string;
  network: string;
  status: CellStatus;
  reasons: { code: string; message: string }[];
  requires: { id: string; code: string; message: string }[];
  acknowledgement: string | null;
}

export function cellJson(cell: Cell): CellJson {
  return {
    id: cell.id,
    platform: cell.platform,
    scm: cell.scm,
    models: cell.models,
    network: cell.network,
    status: cell.status,
    reasons: cell.reasons,
    requires: cell.requires,
    acknowledgement: cell.acknowledgement,
  };
}

export function listCells(filters: MatrixFilters = {}, matrix: SupportMatrixModel = supportMatrix()): Cell[] {
  for (const key of [...DIMENSIONS, 'status'] as const) {
    const allowed = key === 'status' ? [...STATUSES] : matrix.dimensions[key];
    for (const value of filters[key] ?? []) {
      if (!allowed.includes(value)) {
        const suggestion = closest(value, allowed);
        throw new UserError(`unknown ${key} '${value}'`, {
          code: 'MATRIX_UNKNOWN_VALUE',
          hint: suggestion ? `did you mean '${suggestion}'?` : `${key} is one of ${quoteList(allowed)}`,
        });
      }
    }
  }
  return matrix.cells().filter((cell) =>
    ([...DIMENSIONS, 'status'] as const).every((key) => {
      const wanted = filters[key];
      return !wanted || wanted.length === 0 || wanted.includes(cell[key]);
    }),
  );
}

export interface CellExplanation {
  cell: CellJson;
  /** For unsupported and conditional cells: the supported cells that change the fewest dimensions. */
  alternatives: { id: string; status: 'supported'; changed: { dimension: Dimension; from: string; to: string }[] }[];
}

export function explainCell(id: string, matrix: SupportMatrixModel = supportMatrix()): CellExplanation {
  const cell = matrix.cell(id.trim());
  if (!cell) {
    const ids = matrix.cells().map((c) => c.id);
    const suggestion = closest(id, ids);
    throw new UserError(`no cell '${id}' in the support matrix`, {
      code: 'MATRIX_UNKNOWN_CELL',
      hint: suggestion ? `did you mean ${suggestion}?` : 'a cell id is platform/scm/models/network, e.g. aws/github/saas-api/connected (installctl matrix lists them)',
    });
  }
  const alternatives =
    cell.status === 'supported'
      ? []
      : matrix.nearestSupported(cell).map(({ cell: other, changed }) => ({
          id: other.id,
          // nearestSupported returns supported cells only.
          status: 'supported' as const,
          changed: changed.map((dimension) => ({ dimension, from: cell[dimension], to: other[dimension] })),
        }));
  return { cell: cellJson(cell), alternatives };
}

const SYMBOL: Record<string, string> = { supported: 'yes', conditional: 'conditional', unsupported: 'no' };

export function formatTable(cells: readonly Cell[]): string {
  const rows = cells.map((cell) => [cell.id, cell.status, cell.reasons.map((reason) => reason.code).join(', ') || '-']);
  const header = ['CELL', 'STATUS', 'REASONS'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((value, column) => (column === row.length - 1 ? value : value.padEnd(widths[column]!))).join('  ');
  const counts = STATUSES.map((status) => `${cells.filter((cell) => cell.status === status).length} ${status}`).join(', ');
  return [line(header), ...rows.map(line), '', `${cells.length} cells: ${counts}`].join('\n');
}

export function formatCsv(cells: readonly Cell[]): string {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const rows = cells.map((cell) =>
    [cell.id, cell.platform, cell.scm, cell.models, cell.network, cell.status, cell.reasons.map((r) => r.code).join(';'), cell.requires.map((r) => r.id).join(';')]
      .map(quote)
      .join(','),
  );
  return ['id,platform,scm,models,network,status,reasons,requires', ...rows].join('\n') + '\n';
}

export function formatMarkdown(cells: readonly Cell[]): string {
  const rows = cells.map(
    (cell) => `| ${cell.platform} | ${cell.scm} | ${cell.models} | ${cell.network} | ${cell.status} | ${cell.reasons.map((r) => `\`${r.code}\``).join(' ') || ''} |`,
  );
  return ['| platform | scm | models | network | status | reasons |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/**
 * The README's compact view: rows platform x scm, columns models x network. Generated from the data;
 * test/readme.test.ts fails when README.md holds a different table.
 */
export function formatMarkdownGrid(matrix: SupportMatrixModel = supportMatrix()): string {
  const { platform, scm, models, network } = matrix.dimensions;
  const columns = models.flatMap((m) => network.map((n) => [m, n] as const));
  const mark = (cell: Cell) => (cell.status === 'supported' ? 'yes' : cell.status === 'conditional' ? 'conditional' : `no (${cell.reasons.map((r) => r.code).join(', ')})`);
  const lines = [`| platform | scm | ${columns.map(([m, n]) => `${m}<br>${n}`).join(' | ')} |`, `|---|---|${columns.map(() => '---').join('|')}|`];
  for (const p of platform) {
    for (const s of scm) {
      const cells = columns.map(([m, n]) => mark(matrix.cell({ platform: p, scm: s, models: m, network: n })!));
      lines.push(`| ${p} | ${s} | ${cells.join(' | ')} |`);
    }
  }
  const counts = STATUSES.map((status) => `${matrix.cells().filter((cell) => cell.status === status).length} ${status}`).join(', ');
  const reasons = matrix.data.rules.map((rule) => `- \`${rule.code}\` (${rule.status}): ${rule.message.trim()}`);
  return [...lines, '', `${matrix.cells().length} cells: ${counts}.`, '', ...reasons].join('\n') + '\n';
}

export function formatExplanation({ cell, alternatives }: CellExplanation): string {
  const out = [`${cell.id}: ${SYMBOL[cell.status] === 'yes' ? 'supported' : cell.status}`];
  if (cell.reasons.length) {
    out.push('', cell.status === 'conditional' ? 'Condition:' : 'Reasons:');
    for (const reason of cell.reasons) out.push(`  ${reason.code}: ${reason.message}`);
  }
  if (cell.acknowledgement) out.push('', `Acknowledgement the spec must carry: spec.acknowledgements[].id = ${cell.acknowledgement}`);
  if (cell.requires.length) {
    out.push('', 'Requirements:');
    for (const requirement of cell.requires) out.push(`  ${requirement.id} (${requirement.code}): ${requirement.message}`);
  }
  if (alternatives.length) {
    out.push('', `Nearest supported cells (${alternatives[0]!.changed.length} dimension${alternatives[0]!.changed.length === 1 ? '' : 's'} changed):`);
    const width = Math.max(...alternatives.map((alternative) => alternative.id.length));
    for (const alternative of alternatives) {
      out.push(`  ${alternative.id.padEnd(width)}  ${alternative.changed.map((change) => `${change.dimension}: ${change.from} -> ${change.to}`).join(', ')}`);
    }
  }
  if (cell.status !== 'unsupported') out.push('', `Starter spec: installctl init --platform ${cell.platform} --scm ${cell.scm} --models ${cell.models} --network ${cell.network}`);
  return out.join('\n');
}

/**
 * A GitHub Actions strategy matrix: one entry per conformance shard (`installctl conformance --shard
 * i/n`), each with the cell count of that shard in the same cost-balanced split the shard job makes.
 */
export function githubActionsMatrix(shards: number, cells: readonly Cell[]): { include: Array<{ shard: string; name: string; cells: number }> } {
  const count = Math.max(1, Math.min(shards, cells.length || 1));
  return {
    include: planShards(cells, count).map((shard, index) => ({
      shard: `${index + 1}/${count}`,
      name: `conformance ${index + 1}/${count}`,
      cells: shard.length,
    })),
  };
}
