/**
 * index.html: a self-contained heatmap of a conformance report. Rows platform x scm, columns models
 * x network; each cell coloured by matrix status and result; hover shows a summary, click shows
 * every stage. No external resources: it opens from a CI artifact or a file share.
 * A report can come from files (conformance merge): every value is escaped for where it lands
 * (text, attribute, the JSON data block), and invisible characters are shown as escapes.
 */
import { supportMatrix } from '../matrix/engine.js';
import { visible } from '../lib/visible-text.js';
import { rerunCommand, runLine } from './reports.js';
import type { CellResult, ConformanceReport, UpgradeEdgeResult } from './types.js';

/** Colours by outcome; also the legend. Tests read these to check the page. */
export const HEATMAP_COLORS = {
  supported: '#2e7d32',
  conditional: '#00838f',
  unsupported: '#757575',
  failed: '#c62828',
  'not-run': '#f5f5f5',
} as const;

const STATUS_KINDS: ReadonlySet<string> = new Set(['supported', 'conditional', 'unsupported']);

/** A cell's colour; a result or status that is not a known one (a hand-edited report) counts as failed. */
export function cellColor(cell: CellResult | undefined): keyof typeof HEATMAP_COLORS {
  if (!cell) return 'not-run';
  if (cell.result !== 'pass' || !STATUS_KINDS.has(cell.status)) return 'failed';
  return cell.status;
}

/** Text or a quoted attribute value. */
const html = (text: unknown) => visible(String(text)).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The report inside <script type="application/json">: no '<' at all (so neither </script> nor
 * <!-- can end or change the block), nor U+2028/2029 (line terminators to a JS parser).
 */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Each upgrade edge's outcome as a mark: its text tells it, not only its colour. */
export const EDGE_MARKS = { pass: '\u2713', fail: '\u2717', skip: '\u2013' } as const;
const edgeMark = (status: string) => EDGE_MARKS[status as keyof typeof EDGE_MARKS] ?? EDGE_MARKS.fail;
const edgeKind = (status: string) => (status === 'pass' || status === 'skip' ? status : 'fail');
const edgeText = (edge: UpgradeEdgeResult) => `${edge.from} -> ${edge.to}: ${edge.status}${edge.cached ? ' (cached)' : ''}${edge.message ? ` - ${edge.message}` : ''}`;

function tooltip(cell: CellResult | undefined, id: string): string {
  if (!cell) return `${id}: not run`;
  const failed = cell.stages.find((stage) => stage.status === 'fail');
  const edges = cell.upgrades.map((edge) => `\nupgrade ${edgeText(edge)}`).join('');
  return `${id}: ${cell.status}, ${cell.result === 'pass' ? 'behaves as the matrix says' : `FAILED at ${failed?.name}: ${failed?.message ?? ''}`}${edges}`;
}

/** The upgrade edges of a cell, oldest first: an arrow and one mark per edge, each with its edge and outcome on hover. */
function edgeMarks(cell: CellResult): string {
  if (cell.upgrades.length === 0) return '';
  const marks = cell.upgrades.map((edge) => `<i class="edge ${edgeKind(edge.status)}" title="${html(edgeText(edge))}">${edgeMark(edge.status)}</i>`);
  return `<br><span class="edges" data-edges="${html(cell.upgrades.map((edge) => edge.status).join(' '))}">\u2191${marks.join('')}</span>`;
}

/**
 * A cell's text, so that no outcome is told by colour alone: pass / rejected / FAIL, and under it
 * "conditional" for a conditional cell (whose colour alone would say so).
 */
function cellLabel(cell: CellResult | undefined): string {
  if (!cell) return '-';
  const outcome = cell.result === 'pass' ? (cell.status === 'unsupported' ? 'rejected' : 'pass') : 'FAIL';
  return (cell.status === 'conditional' ? `${outcome}<br><span class="tag">conditional</span>` : outcome) + edgeMarks(cell);
}

/** Each failed cell, its failing stage and the command that reruns just that cell: readable without a click or script. */
function failures(report: ConformanceReport): string {
  const failed = report.cells.filter((cell) => cell.result !== 'pass');
  if (failed.length === 0) return '';
  const items = failed.map((cell) => {
    const stage = cell.stages.find((s) => s.status === 'fail');
    // A failed upgrade stage: each failed edge on its line (the stage's message is their summary).
    const edges = cell.upgrades.filter((edge) => edge.status === 'fail').map((edge) => `<br>${html(edgeText(edge).slice(0, 300))}`);
    const shown = stage?.name === 'upgrade' && edges.length ? `: upgrade${edges.join('')}` : stage ? `: ${html(stage.name)}: ${html((stage.message ?? '').slice(0, 300))}` : '';
    return `<li><code>${html(cell.id)}</code> (${html(cell.status)})${shown}<br>rerun: <code class="rerun">${html(rerunCommand(report, cell.id))}</code></li>`;
  });
  return `<h2>Failed cells</h2>\n<ul id="failures">${items.join('\n')}</ul>\n`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212121}
h1{font-size:20px;margin:0 0 4px}
.meta{color:#616161;margin-bottom:16px}
.meta+.meta{margin-top:-12px}
table.heatmap{border-collapse:separate;border-spacing:3px}
.heatmap th{font-weight:600;font-size:12px;padding:4px 6px;text-align:left;white-space:nowrap}
.heatmap td.cell{width:96px;height:34px;border-radius:4px;cursor:pointer;color:#fff;font-size:11px;text-align:center}
.heatmap td.cell.not-run{color:#9e9e9e;border:1px dashed #bdbdbd}
.heatmap td.cell:focus{outline:3px solid #1565c0}
.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:middle;margin-right:4px}
#details{margin-top:18px;max-width:960px}
#details table{border-collapse:collapse;width:100%}
#details td,#details th{border-bottom:1px solid #e0e0e0;padding:4px 8px;text-align:left;vertical-align:top;white-space:pre-wrap}
#details h3{font-size:14px;margin:14px 0 4px}
.pass{color:#2e7d32}.fail{color:#c62828;font-weight:600}.skip{color:#9e9e9e}
.heatmap td.cell .tag{font-size:10px;opacity:.9}
.heatmap td.cell .edges{font-size:11px;letter-spacing:1px;white-space:nowrap}
.heatmap td.cell .edge{font-style:normal;font-weight:700;color:inherit}
.heatmap td.cell .edge.fail{background:#fff;color:#c62828;border-radius:2px;padding:0 1px}
h2{font-size:16px;margin:18px 0 6px}
#failures li{margin-bottom:6px}
code.rerun{background:#f5f5f5;padding:1px 4px;border-radius:3px;user-select:all}
`;

const SCRIPT = `
(function () {
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var byId = {};
  report.cells.forEach(function (cell) { byId[cell.id] = cell; });
  var details = document.getElementById('details');
  // Invisible characters (bidi overrides, controls) are shown as escapes, as installctl prints them (visible-text.ts).
  function shown(text) {
    return String(text).replace(/[\\p{Cc}\\p{Cf}\\p{Cs}\\u2028\\u2029]/gu, function (c) {
      if (c === '\\n' || c === '\\t') return c;
      if (c === '\\r') return '\\\\r';
      var code = c.codePointAt(0);
      var hex = code.toString(16);
      return code <= 0xff ? '\\\\x' + ('0' + hex).slice(-2) : code <= 0xffff ? '\\\\u' + ('000' + hex).slice(-4) : '\\\\u{' + hex + '}';
    });
  }
  function cellText(text) { var td = document.createElement('td'); td.textContent = shown(text); return td; }
  function show(id, rerun) {
    var cell = byId[id];
    details.textContent = '';
    var title = document.createElement('h2');
    title.textContent = shown(id);
    details.appendChild(title);
    var summary = document.createElement('p');
    summary.textContent = shown(cell ? cell.status + ' cell, ' + (cell.result === 'pass' ? 'behaves as the matrix says' : 'FAILED') + (cell.reasons.length ? ' - reasons: ' + cell.reasons.join(', ') : '') : 'not run in this report');
    details.appendChild(summary);
    if (!cell) return;
    if (rerun) {
      var line = document.createElement('p');
      line.textContent = 'rerun just this cell: ';
      var code = document.createElement('code');
      code.className = 'rerun';
      code.textContent = shown(rerun);
      line.appendChild(code);
      details.appendChild(line);
    }
    var table = document.createElement('table');
    var head = document.createElement('tr');
    ['stage', 'result', 'time', 'message'].forEach(function (name) { var th = document.createElement('th'); th.textContent = name; head.appendChild(th); });
    table.appendChild(head);
    cell.stages.forEach(function (stage) {
      var row = document.createElement('tr');
      row.appendChild(cellText(stage.name));
      var status = cellText(stage.status);
      status.className = ['pass', 'fail', 'skip'].indexOf(stage.status) >= 0 ? stage.status : 'fail';
      row.appendChild(status);
      row.appendChild(cellText((stage.durationMs / 1000).toFixed(2) + ' s'));
      row.appendChild(cellText(stage.message || ''));
      table.appendChild(row);
    });
    details.appendChild(table);
    if (!cell.upgrades || !cell.upgrades.length) return;
    var heading = document.createElement('h3');
    heading.textContent = 'upgrade edges';
    details.appendChild(heading);
    var edges = document.createElement('table');
    edges.className = 'edges';
    var edgeHead = document.createElement('tr');
    ['edge', 'result', 'time', 'violations'].forEach(function (name) { var th = document.createElement('th'); th.textContent = name; edgeHead.appendChild(th); });
    edges.appendChild(edgeHead);
    cell.upgrades.forEach(function (edge) {
      var row = document.createElement('tr');
      row.appendChild(cellText(edge.from + ' -> ' + edge.to));
      var status = cellText(edge.status + (edge.cached ? ' (cached)' : ''));
      status.className = ['pass', 'fail', 'skip'].indexOf(edge.status) >= 0 ? edge.status : 'fail';
      row.appendChild(status);
      row.appendChild(cellText((edge.durationMs / 1000).toFixed(2) + ' s'));
      var found = (edge.violations || []).map(function (v) { return v.policy + ': ' + (v.resource || '-') + ': ' + v.message; });
      row.appendChild(cellText(found.length ? found.join('\\n') : edge.message || ''));
      edges.appendChild(row);
    });
    details.appendChild(edges);
  }
  Array.prototype.forEach.call(document.querySelectorAll('td.cell'), function (td) {
    td.addEventListener('click', function () { show(td.getAttribute('data-cell'), td.getAttribute('data-rerun')); });
    td.addEventListener('keydown', function (event) { if (event.key === 'Enter') show(td.getAttribute('data-cell'), td.getAttribute('data-rerun')); });
  });
})();
`;

export function heatmapHtml(report: ConformanceReport): string {
  const { platform, scm, models, network } = supportMatrix().dimensions;
  const byId = new Map(report.cells.map((cell) => [cell.id, cell]));
  const columns = models.flatMap((m) => network.map((n) => [m, n] as const));
  const rows: string[] = [];
  for (const p of platform) {
    for (const s of scm) {
      const cells = columns.map(([m, n]) => {
        const id = `${p}/${s}/${m}/${n}`;
        const cell = byId.get(id);
        const kind = cellColor(cell);
        const rerun = cell && cell.result !== 'pass' ? ` data-rerun="${html(rerunCommand(report, id))}"` : '';
        return `<td class="cell ${html(kind)}" tabindex="0" data-cell="${html(id)}" data-kind="${html(kind)}"${rerun} title="${html(tooltip(cell, id))}" style="background:${HEATMAP_COLORS[kind]}">${cellLabel(cell)}</td>`;
      });
      rows.push(`<tr><th>${html(p)}</th><th>${html(s)}</th>${cells.join('')}</tr>`);
    }
  }
  const legend = (Object.keys(HEATMAP_COLORS) as Array<keyof typeof HEATMAP_COLORS>)
    .map(
      (kind) =>
        `<span><i style="background:${HEATMAP_COLORS[kind]}"></i>${kind === 'unsupported' ? 'unsupported (rejected as expected)' : kind === 'failed' ? 'failed' : kind === 'not-run' ? 'not run' : `${kind}, passed`}</span>`,
    )
    .join('');
  const edges = [...new Set(report.cells.flatMap((cell) => cell.upgrades.map((edge) => `${edge.from} -> ${edge.to}`)))];
  const edgeLegend = edges.length
    ? `<span>\u2191 ${EDGE_MARKS.pass} passed ${EDGE_MARKS.fail} failed ${EDGE_MARKS.skip} skipped: the upgrade edges, oldest first (${html(edges.join(', '))})</span>`
    : '';
  const data = scriptJson(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>installctl conformance: ${report.ok ? 'PASS' : 'FAIL'}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>installctl conformance: ${report.ok ? 'PASS' : 'FAIL'}</h1>
<div class="meta">${html(report.summary.passed)}/${html(report.summary.cells)} cells behave as the support matrix says - installctl ${html(report.installctl)}, Helm ${html(report.options.helm.join(' and '))}${report.options.shard ? `, shard ${html(report.options.shard.index)}/${html(report.options.shard.count)}` : ''}</div>
<div class="meta" id="run">${html(runLine(report.run))}</div>
<div class="legend">${legend}${edgeLegend}</div>
<table class="heatmap">
<tr><th>platform</th><th>scm</th>${columns.map(([m, n]) => `<th>${html(m)}<br>${html(n)}</th>`).join('')}</tr>
${rows.join('\n')}
</table>
${failures(report)}<div id="details"><p>Click a cell for its stages.</p></div>
<script type="application/json" id="report-data">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
