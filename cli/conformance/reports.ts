/** The report and its renderings: conformance.json (the data), junit.xml (CI) and summary.md (a PR comment). */
import { STATUSES, supportMatrix } from '../matrix/engine.js';
import { UserError } from '../lib/errors.js';
import { markdownCode, markdownText } from '../lib/markdown-text.js';
import { escapeCodePoint, visibleLine } from '../lib/visible-text.js';
import { shellQuote } from '../emit/shell.js';
import { shortCommit, type RunInfo } from './run-info.js';
import type { CellResult, ConformanceReport, StageStatus } from './types.js';

/** A run's details that the cells do not give: defaults for a report built from parts (tests, merge). */
export interface ReportExtras {
  run?: RunInfo;
  affected?: ConformanceReport['affected'];
}

/** options.upgradeEdges defaults to true (the edges ran). */
export function buildReport(
  cells: CellResult[],
  options: Omit<ConformanceReport['options'], 'upgradeEdges'> & { upgradeEdges?: boolean },
  version: string,
  extras: ReportExtras = {},
): ConformanceReport {
  const count = (status: string) => cells.filter((cell) => cell.status === status).length;
  const passed = cells.filter((cell) => cell.result === 'pass').length;
  return {
    apiVersion: 'installctl.dev/v1alpha1',
    kind: 'ConformanceReport',
    installctl: version,
    options: { helm: [...options.helm], shard: options.shard, only: [...options.only], affected: options.affected, upgradeEdges: options.upgradeEdges ?? true },
    ok: passed === cells.length,
    summary: { cells: cells.length, passed, failed: cells.length - passed, supported: count('supported'), conditional: count('conditional'), unsupported: count('unsupported') },
    run: extras.run ?? { commit: null, dirty: null, startedAt: new Date(0).toISOString(), durationMs: 0 },
    affected: extras.affected ?? null,
    cells,
  };
}

/**
 * Several shard reports as one: every cell once, in support-matrix order. Refuses a set that cannot
 * stand for one run (different Helm versions or filters) or that misses a shard: a crashed shard
 * job must not turn into a green merged report.
 */
export function mergeReports(reports: ConformanceReport[], version: string): ConformanceReport {
  const [first] = reports;
  if (!first) throw new UserError('no reports to merge', { code: 'CONFORMANCE_BAD_REPORT', hint: 'pass the conformance.json file of every shard' });
  const key = (report: ConformanceReport) =>
    JSON.stringify([
      [...report.options.helm].sort(),
      report.options.only,
      report.options.affected,
      report.options.upgradeEdges,
      report.options.shard?.count ?? null,
      report.run.commit,
    ]);
  const odd = reports.find((report) => key(report) !== key(first));
  if (odd) {
    const describe = (report: ConformanceReport) =>
      `helm ${report.options.helm.join('+')}, only [${report.options.only.join(' ')}], affected ${report.options.affected ?? '-'}, upgrade edges ${report.options.upgradeEdges ? 'on' : 'off'}, shards ${report.options.shard?.count ?? 'none'}, commit ${report.run.commit ?? '-'}`;
    throw new UserError(visibleLine(`the reports come from different runs: ${describe(first)} vs ${describe(odd)}`), {
      code: 'CONFORMANCE_MERGE_MISMATCH',
      hint: 'merge the shards of one run: same commit, --helm, --only, --affected, --no-upgrade-edges and shard count',
    });
  }
  const count = first.options.shard?.count ?? null;
  if (count !== null) {
    const present = new Set(reports.map((report) => report.options.shard!.index));
    const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !present.has(index));
    if (missing.length) {
      throw new UserError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} missing from the merge`, {
        code: 'CONFORMANCE_MERGE_INCOMPLETE',
        hint: 'a shard job failed before writing its report; rerun it, or merge only after every shard finished',
        details: { missing: missing.map((index) => `${index}/${count}`) },
      });
    }
  }
  const position = new Map(
    supportMatrix()
      .cells()
      .map((cell, index) => [cell.id, index]),
  );
  const seen = new Map<string, CellResult>();
  for (const report of reports) for (const cell of report.cells) if (!seen.has(cell.id)) seen.set(cell.id, cell);
  const cells = [...seen.values()].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  // The shards ran side by side: the merged run started with the first and took as long as the longest.
  const run = {
    commit: first.run.commit,
    dirty: first.run.commit === null ? null : reports.some((report) => report.run.dirty === true),
    startedAt: reports.map((report) => report.run.startedAt).sort()[0]!,
    durationMs: Math.max(...reports.map((report) => report.run.durationMs)),
  };
  const options = { helm: [...first.options.helm].sort(), shard: null, only: first.options.only, affected: first.options.affected, upgradeEdges: first.options.upgradeEdges };
  return buildReport(cells, options, version, {
    run,
    affected: first.affected,
  });
}

const XML_SPECIAL: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/**
 * An attribute value (or, with `inText`, element text) in XML 1.0, read back verbatim: markup
 * characters as entities; DEL, C1 and format characters (bidi controls...) as character
 * references, which leave nothing invisible in the file; in attributes also tabs and line breaks,
 * which attribute normalization would turn into spaces. Characters XML 1.0 cannot hold at all
 * (other C0 controls, lone surrogates, U+FFFE/FFFF) are shown as escapes (\x1b).
 */
function xml(value: unknown, inText = false): string {
  return String(value).replace(/[<>&"']|[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029\ufffe\uffff]/gu, (c) => {
    if (XML_SPECIAL[c]) return XML_SPECIAL[c];
    if (inText && (c === '\n' || c === '\t')) return c;
    const code = c.codePointAt(0)!;
    const allowed = c === '\t' || c === '\n' || c === '\r' || (code >= 0x7f && code !== 0xfffe && code !== 0xffff && !(code >= 0xd800 && code <= 0xdfff));
    return allowed ? `&#x${code.toString(16)};` : escapeCodePoint(c);
  });
}

/** A comment's text: no `--` (which XML forbids in comments), nothing invisible. */
const xmlComment = (value: unknown) => visibleLine(String(value)).replace(/-(?=-|$)/g, '- ');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

interface TestCase {
  name: string;
  status: StageStatus;
  durationMs: number;
  message: string | null;
  /** The failure's text (the message, or one line per violation). */
  details: string;
}

/** A cell's testcases: each stage, then each upgrade edge (named `<cell> upgrade <from> -> <to>`: a CI view lists it on its own). */
function testCases(cell: CellResult): TestCase[] {
  return [
    ...cell.stages.map((stage) => ({ name: stage.name, status: stage.status, durationMs: stage.durationMs, message: stage.message, details: stage.message ?? '' })),
    ...cell.upgrades.map((edge) => ({
      name: `${cell.id} upgrade ${edge.from} -> ${edge.to}`,
      status: edge.status,
      durationMs: edge.durationMs,
      message: edge.message,
      details: edge.violations.length ? edge.violations.map((v) => `${v.policy}: ${v.resource ?? '-'}: ${v.message}`).join('\n') : (edge.message ?? ''),
    })),
  ];
}

/** JUnit XML: one testsuite per platform, one testcase per cell and stage, and per cell and upgrade edge. */
export function junitXml(report: ConformanceReport): string {
  const suites = new Map<string, CellResult[]>();
  for (const cell of report.cells) suites.set(cell.platform, [...(suites.get(cell.platform) ?? []), cell]);
  const all = report.cells.flatMap(testCases);
  const totals = (cases: TestCase[]) =>
    `tests="${cases.length}" failures="${cases.filter((s) => s.status === 'fail').length}" skipped="${cases.filter((s) => s.status === 'skip').length}" time="${seconds(cases.reduce((sum, s) => sum + s.durationMs, 0))}"`;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="installctl conformance" ${totals(all)}>`];
  for (const [platform, cells] of suites) {
    lines.push(`  <testsuite name="${xml(platform)}" ${totals(cells.flatMap(testCases))}>`);
    for (const cell of cells) {
      lines.push(`    <!-- ${xmlComment(`${cell.id}: ${cell.status}, ${cell.result}`)} -->`);
      for (const test of testCases(cell)) {
        const open = `    <testcase classname="${xml(cell.id)}" name="${xml(test.name)}" time="${seconds(test.durationMs)}"`;
        if (test.status === 'pass') lines.push(`${open}/>`);
        else if (test.status === 'skip') lines.push(`${open}><skipped message="${xml(test.message ?? 'skipped')}"/></testcase>`);
        else lines.push(`${open}><failure message="${xml((test.message ?? 'failed').slice(0, 500))}">${xml(test.details, true)}</failure></testcase>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/**
 * The command that reruns just this cell with the report's Helm versions: one shell word per
 * argument, whatever the report holds (it may come from a file given to `conformance merge`).
 */
export function rerunCommand(report: { options: Pick<ConformanceReport['options'], 'helm' | 'upgradeEdges'> }, cellId: string): string {
  const helm = [...report.options.helm].sort().join(',') === '3,4' ? 'both' : report.options.helm.join(',');
  return `npx installctl conformance --only ${shellQuote(cellId)} --helm ${shellQuote(helm)}${report.options.upgradeEdges ? '' : ' --no-upgrade-edges'}`;
}

/** When, on what and how long: "commit 1a2b3c4d5e6f (with uncommitted changes), 2026-12-02 10:20 UTC, 52.3 s". */
export function runLine(run: RunInfo): string {
  const date = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(run.startedAt);
  const commit = run.commit === null ? 'unknown (not a git checkout)' : `${shortCommit(run.commit)}${run.dirty ? ' (with uncommitted changes)' : ''}`;
  return `commit ${commit}, ${date ? `${date[1]} ${date[2]} UTC` : run.startedAt}, ${(run.durationMs / 1000).toFixed(1)} s`;
}

/** A table cell's text: one line (line breaks read as spaces), inert, its pipes escaped. */
const md = (value: unknown) => markdownText(String(value).replace(/\r?\n/g, ' '));

/** Why --affected chose the cells, on one line: each rule, its first files and how many cells it selected. */
function affectedLine(affected: NonNullable<ConformanceReport['affected']>): string {
  const files = (list: string[]) =>
    list
      .slice(0, 2)
      .map((file) => md(file))
      .join(', ') + (list.length > 2 ? ` (+${list.length - 2} more)` : '');
  const rules = affected.rules.map((rule) => `${md(rule.rule)} (${files(rule.files)}): ${rule.cells.length} cells`);
  const skipped = affected.ignored.map((entry) => `${entry.count} ${md(entry.reason)}`);
  return `Selected by --affected: ${rules.length ? rules.join('; ') : 'no rule matched'}.${skipped.length ? ` Ignored: ${skipped.join(', ')}.` : ''}`;
}

/** How the upgrade edges went, on one line (null when the report has none to tell of). */
export function upgradeLine(report: Pick<ConformanceReport, 'options' | 'cells'>): string | null {
  if (!report.options.upgradeEdges) return 'Upgrade edges: not run (--no-upgrade-edges).';
  const edges = report.cells.flatMap((cell) => cell.upgrades);
  if (edges.length === 0) return null;
  const names = [...new Set(edges.map((edge) => `${edge.from} -> ${edge.to}`))];
  const count = (status: string) => edges.filter((edge) => edge.status === status).length;
  const cached = edges.filter((edge) => edge.cached).length;
  const rest = [count('fail') && `${count('fail')} failed`, count('skip') && `${count('skip')} skipped`, cached && `${cached} from the cache`].filter(Boolean);
  return `Upgrade edges (${names.map((name) => md(name)).join(', ')}): ${count('pass')} of ${edges.length} passed${rest.length ? ` (${rest.join(', ')})` : ''}.`;
}

/** A summary sized for a pull-request comment. */
export function summaryMarkdown(report: ConformanceReport, maxFailures = 20): string {
  const { summary } = report;
  const lines = [
    `### installctl conformance: ${report.ok ? 'PASS' : 'FAIL'} - ${summary.passed}/${summary.cells} cells behave as the support matrix says`,
    '',
    `Helm ${md(report.options.helm.join(' and '))}, ${md(runLine(report.run))}${report.options.shard ? `, shard ${md(report.options.shard.index)}/${md(report.options.shard.count)}` : ''}${report.options.only.length ? `, only ${md(report.options.only.join(' '))}` : ''}${report.options.affected ? `, affected since ${md(report.options.affected)}` : ''}.`,
    '',
    '| platform | ' + STATUSES.join(' | ') + ' | failed |',
    '|---|' + STATUSES.map(() => '---:').join('|') + '|---:|',
  ];
  for (const platform of [...new Set(report.cells.map((cell) => cell.platform))]) {
    const cells = report.cells.filter((cell) => cell.platform === platform);
    lines.push(
      `| ${md(platform)} | ${STATUSES.map((status) => cells.filter((cell) => cell.status === status).length).join(' | ')} | ${cells.filter((cell) => cell.result === 'fail').length} |`,
    );
  }
  if (report.affected) lines.push('', affectedLine(report.affected));
  const conditional = report.cells.filter((cell) => cell.status === 'conditional');
  if (conditional.length) {
    const passed = conditional.filter((cell) => cell.result === 'pass').length;
    lines.push('', `Conditional cells (supported once the spec carries the named acknowledgement): ${passed} of ${conditional.length} passed.`);
  }
  const upgrades = upgradeLine(report);
  if (upgrades) lines.push('', upgrades);
  const failed = report.cells.filter((cell) => cell.result === 'fail');
  if (failed.length) {
    lines.push(
      '',
      `#### Failing cells${failed.length > maxFailures ? ` (first ${maxFailures} of ${failed.length})` : ''}`,
      '',
      '| cell | status | stage | message | rerun |',
      '|---|---|---|---|---|',
    );
    for (const cell of failed.slice(0, maxFailures)) {
      const stage = cell.stages.find((s) => s.status === 'fail');
      lines.push(
        `| ${markdownCode(String(cell.id).replace(/\r?\n/g, ' '), { table: true })} | ${md(cell.status)} | ${md(stage?.name ?? '-')} | ${md((stage?.message ?? '').slice(0, 200))} | ${markdownCode(rerunCommand(report, cell.id), { table: true })} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
