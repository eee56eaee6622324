/** The report and its renderings: conformance.json (the data), junit.xml (CI) and summary.md (a PR comment). */
import { STATUSES, supportMatrix } from '../../matrix/engine.js';
import type { CellResult, ConformanceReport } from './types.js';

export function buildReport(cells: CellResult[], options: ConformanceReport['options'], version: string): ConformanceReport {
  const count = (status: string) => cells.filter((cell) => cell.status === status).length;
  const passed = cells.filter((cell) => cell.result === 'pass').length;
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'ConformanceReport',
    installctl: version,
    options: { helm: [...options.helm], shard: options.shard, only: [...options.only], affected: options.affected },
    ok: passed === cells.length,
    summary: { cells: cells.length, passed, failed: cells.length - passed, supported: count('supported'), conditional: count('conditional'), unsupported: count('unsupported') },
    cells,
  };
}

/** Several shard reports as one: every cell once, in support-matrix order. */
export function mergeReports(reports: ConformanceReport[], version: string): ConformanceReport {
  const position = new Map(supportMatrix().cells().map((cell, index) => [cell.id, index]));
  const seen = new Map<string, CellResult>();
  for (const report of reports) for (const cell of report.cells) if (!seen.has(cell.id)) seen.set(cell.id, cell);
  const cells = [...seen.values()].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  const helm = [...new Set(reports.flatMap((report) => report.options.helm))].sort();
  const only = [...new Set(reports.flatMap((report) => report.options.only))];
  return buildReport(cells, { helm, shard: null, only, affected: reports.find((report) => report.options.affected)?.options.affected ?? null }, version);
}

const xml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** JUnit XML: one testsuite per platform, one testcase per cell and stage. */
export function junitXml(report: ConformanceReport): string {
  const suites = new Map<string, CellResult[]>();
  for (const cell of report.cells) suites.set(cell.platform, [...(suites.get(cell.platform) ?? []), cell]);
  const all = report.cells.flatMap((cell) => cell.stages);
  const totals = (stages: CellResult['stages']) =>
    `tests="${stages.length}" failures="${stages.filter((s) => s.status === 'fail').length}" skipped="${stages.filter((s) => s.status === 'skip').length}" time="${seconds(stages.reduce((sum, s) => sum + s.durationMs, 0))}"`;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="installctl conformance" ${totals(all)}>`];
  for (const [platform, cells] of suites) {
    lines.push(`  <testsuite name="${xml(platform)}" ${totals(cells.flatMap((cell) => cell.stages))}>`);
    for (const cell of cells) {
      lines.push(`    <!-- ${xml(cell.id)}: ${cell.status}, ${cell.result} -->`);
      for (const stage of cell.stages) {
        const open = `    <testcase classname="${xml(cell.id)}" name="${xml(stage.name)}" time="${seconds(stage.durationMs)}"`;
        if (stage.status === 'pass') lines.push(`${open}/>`);
        else if (stage.status === 'skip') lines.push(`${open}><skipped message="${xml(stage.message ?? 'skipped')}"/></testcase>`);
        else lines.push(`${open}><failure message="${xml((stage.message ?? 'failed').slice(0, 500))}">${xml(stage.message ?? '')}</failure></testcase>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

const md = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A summary sized for a pull-request comment. */
export function summaryMarkdown(report: ConformanceReport, maxFailures = 20): string {
  const { summary } = report;
  const lines = [
    `### installctl conformance: ${report.ok ? 'PASS' : 'FAIL'} - ${summary.passed}/${summary.cells} cells behave as the support matrix says`,
    '',
    `Helm ${report.options.helm.join(' and ')}${report.options.shard ? `, shard ${report.options.shard.index}/${report.options.shard.count}` : ''}${report.options.only.length ? `, only ${report.options.only.join(' ')}` : ''}${report.options.affected ? `, affected since ${report.options.affected}` : ''}.`,
    '',
    '| platform | ' + STATUSES.join(' | ') + ' | failed |',
    '|---|' + STATUSES.map(() => '---:').join('|') + '|---:|',
  ];
  for (const platform of [...new Set(report.cells.map((cell) => cell.platform))]) {
    const cells = report.cells.filter((cell) => cell.platform === platform);
    lines.push(`| ${platform} | ${STATUSES.map((status) => cells.filter((cell) => cell.status === status).length).join(' | ')} | ${cells.filter((cell) => cell.result === 'fail').length} |`);
  }
  const failed = report.cells.filter((cell) => cell.result === 'fail');
  if (failed.length) {
    lines.push('', `#### Failing cells${failed.length > maxFailures ? ` (first ${maxFailures} of ${failed.length})` : ''}`, '', '| cell | stage | message |', '|---|---|---|');
    for (const cell of failed.slice(0, maxFailures)) {
      const stage = cell.stages.find((s) => s.status === 'fail');
      lines.push(`| \`${cell.id}\` | ${stage?.name ?? '-'} | ${md((stage?.message ?? '').slice(0, 200))} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}
