/** The HTML heatmap in a real headless Chromium (Debian's, driven by playwright-core). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EDGE_MARKS, heatmapHtml, HEATMAP_COLORS } from '../../cli/conformance/heatmap.js';
import { buildReport, junitXml, summaryMarkdown } from '../../cli/conformance/reports.js';
import type { CellResult, UpgradeEdgeResult } from '../../cli/conformance/types.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { REPO } from '../helpers/cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FAILED = 'gcp/gitlab-self-managed/self-hosted/air-gapped';
const NOT_RUN = ['azure/github/saas-api/connected', 'onprem/github/saas-api/connected'];
/** Fails at the upgrade stage: its second edge changes a StatefulSet's claims. */
const UPGRADE_FAILED = 'aws/gitlab-self-managed/self-hosted/connected';
const EDGE_FAILURE = 'spec.volumeClaimTemplates changes on upgrade (<b>x</b> -> y), which Kubernetes refuses to update in place';

function edges(id: string, status: string): UpgradeEdgeResult[] {
  if (status === 'unsupported') return [];
  if (id === FAILED) return ['2026.10.2 2026.11.0', '2026.11.0 2026.12.0'].map((pair) => edge(pair, 'skip', 'skipped: helm4-template failed'));
  if (id === UPGRADE_FAILED)
    return [edge('2026.10.2 2026.11.0', 'pass'), edge('2026.11.0 2026.12.0', 'fail', `upgrade-immutable: agent-platform StatefulSet/acme-postgres ${EDGE_FAILURE}`)];
  return [edge('2026.10.2 2026.11.0', 'pass'), { ...edge('2026.11.0 2026.12.0', 'pass'), cached: true as const, durationMs: 0 }];
}

function edge(pair: string, status: 'pass' | 'fail' | 'skip', message: string | null = null): UpgradeEdgeResult {
  const [from, to] = pair.split(' ') as [string, string];
  const violations = status === 'fail' ? [{ policy: 'upgrade-immutable' as const, resource: 'agent-platform StatefulSet/acme-postgres', message: EDGE_FAILURE }] : [];
  return { from, to, status, durationMs: status === 'skip' ? 0 : 900, message, violations };
}

/** A known report: every cell passes except FAILED (its helm4-template stage) and UPGRADE_FAILED (an upgrade edge), NOT_RUN are absent. */
function knownReport() {
  const cells: CellResult[] = supportMatrix()
    .cells()
    .filter((cell) => !NOT_RUN.includes(cell.id))
    .map((cell) => ({
      id: cell.id,
      platform: cell.platform,
      scm: cell.scm,
      models: cell.models,
      network: cell.network,
      status: cell.status,
      result: cell.id === FAILED || cell.id === UPGRADE_FAILED ? 'fail' : 'pass',
      reasons: cell.reasons.map((reason) => reason.code),
      durationMs: 1200,
      stages:
        cell.id === FAILED
          ? [
              { name: 'render', status: 'pass', durationMs: 40, message: null },
              { name: 'helm4-template', status: 'fail', durationMs: 300, message: 'model-server: <script>alert(1)</script> values are wrong' },
              { name: 'kube-schema', status: 'skip', durationMs: 0, message: 'skipped: helm4-template failed' },
            ]
          : cell.id === UPGRADE_FAILED
            ? [
                { name: 'manifest-policies', status: 'pass', durationMs: 40, message: null },
                { name: 'upgrade', status: 'fail', durationMs: 1800, message: `2026.11.0 -> 2026.12.0: upgrade-immutable: ${EDGE_FAILURE}` },
              ]
            : [{ name: 'init', status: 'pass', durationMs: 5, message: null }],
      upgrades: edges(cell.id, cell.status),
    }));
  return buildReport(cells, { helm: ['3', '4'], shard: null, only: [], affected: null }, '0.1.0', {
    run: { commit: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', dirty: false, startedAt: '2026-12-02T10:20:07.123Z', durationMs: 52_345 },
  });
}

const CONDITIONAL = supportMatrix()
  .cells()
  .filter((cell) => cell.status === 'conditional' && !NOT_RUN.includes(cell.id))
  .map((cell) => cell.id);

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (.ci/run installs Debian's chromium)`);
  const file = join(mkdtempSync(join(tmpdir(), 'installctl-heatmap-')), 'index.html');
  writeFileSync(file, heatmapHtml(knownReport()));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(pathToFileURL(file).href);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('conformance heatmap in Chromium', () => {
  it('loads without console errors and shows every cell of the matrix', async () => {
    expect(await page.locator('td.cell').count()).toBe(supportMatrix().cells().length);
    expect(await page.title()).toBe('installctl conformance: FAIL');
    expect(consoleErrors).toEqual([]);
  });

  it('colours cells by status and result', async () => {
    const color = (id: string) =>
      page
        .locator(`td.cell[data-cell="${id}"]`)
        .evaluate((td) => (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string } }).getComputedStyle(td).backgroundColor);
    expect(await color('aws/github/saas-api/connected')).toBe(rgb(HEATMAP_COLORS.supported));
    expect(await color('azure/gitlab-self-managed/cloud-managed/air-gapped')).toBe(rgb(HEATMAP_COLORS.conditional));
    expect(await color('aws/github/saas-api/air-gapped')).toBe(rgb(HEATMAP_COLORS.unsupported));
    expect(await color(FAILED)).toBe(rgb(HEATMAP_COLORS.failed));
    expect(await color(UPGRADE_FAILED)).toBe(rgb(HEATMAP_COLORS.failed));
    expect(await color(NOT_RUN[0]!)).toBe(rgb(HEATMAP_COLORS['not-run']));
    const kinds = await page.locator('td.cell').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-kind')));
    expect(kinds.filter((kind) => kind === 'supported')).toHaveLength(
      supportMatrix()
        .cells()
        .filter((cell) => cell.status === 'supported' && cell.id !== FAILED && cell.id !== UPGRADE_FAILED && !NOT_RUN.includes(cell.id)).length,
    );
    expect(kinds.filter((kind) => kind === 'failed')).toHaveLength(2);
    expect(kinds.filter((kind) => kind === 'not-run')).toHaveLength(2);
    // Every cell of the matrix, against what the matrix and the known report say it must show.
    const shown = new Map(
      await page
        .locator('td.cell')
        .evaluateAll((tds) =>
          tds.map(
            (td) =>
              [
                td.getAttribute('data-cell'),
                (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string } }).getComputedStyle(td).backgroundColor,
              ] as const,
          ),
        ),
    );
    expect(shown.size).toBe(supportMatrix().cells().length);
    for (const cell of supportMatrix().cells()) {
      const expected = NOT_RUN.includes(cell.id) ? 'not-run' : cell.id === FAILED || cell.id === UPGRADE_FAILED ? 'failed' : cell.status;
      expect(shown.get(cell.id), cell.id).toBe(rgb(HEATMAP_COLORS[expected]));
    }
  });

  it('shows the stages and reasons of a clicked cell, escaping messages', async () => {
    await page.locator(`td.cell[data-cell="${FAILED}"]`).click();
    const details = page.locator('#details');
    await expect.poll(() => details.textContent()).toContain('helm4-template');
    expect(await details.textContent()).toContain('<script>alert(1)</script> values are wrong');
    expect(await page.locator('#details script').count()).toBe(0);
    expect(await page.locator(`td.cell[data-cell="${FAILED}"]`).getAttribute('title')).toContain('FAILED at helm4-template');
    await page.locator('td.cell[data-cell="aws/github/saas-api/air-gapped"]').click();
    expect(await details.textContent()).toContain('MATRIX_AIRGAP_SAAS_MODELS');
    expect(consoleErrors).toEqual([]);
  });

  it('shows the commit, the date and the duration of the run', async () => {
    expect(await page.locator('#run').innerText()).toBe('commit 1a2b3c4d5e6f, 2026-12-02 10:20 UTC, 52.3 s');
  });

  it('labels conditional cells "conditional" and shows each upgrade edge in text, not only by colour', async () => {
    const text = new Map(
      await page
        .locator('td.cell')
        .evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-cell'), (td as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim()] as const)),
    );
    expect(CONDITIONAL.length).toBeGreaterThan(0);
    const { pass, fail, skip } = EDGE_MARKS;
    for (const cell of supportMatrix().cells()) {
      const shown = text.get(cell.id)!;
      const tag = cell.status === 'conditional' ? ' conditional' : '';
      if (NOT_RUN.includes(cell.id)) expect(shown, cell.id).toBe('-');
      else if (cell.id === FAILED) expect(shown, cell.id).toBe(`FAIL${tag} \u2191${skip}${skip}`);
      else if (cell.id === UPGRADE_FAILED) expect(shown, cell.id).toBe(`FAIL${tag} \u2191${pass}${fail}`);
      else if (cell.status === 'unsupported') expect(shown, cell.id).toBe('rejected');
      else expect(shown, cell.id).toBe(`pass${tag} \u2191${pass}${pass}`);
    }
    // Each mark names its edge and outcome on hover; the legend says what the marks are.
    const marks = page.locator(`td.cell[data-cell="${UPGRADE_FAILED}"] i.edge`);
    expect(await marks.evaluateAll((items) => items.map((item) => item.getAttribute('title')))).toEqual([
      '2026.10.2 -> 2026.11.0: pass',
      `2026.11.0 -> 2026.12.0: fail - upgrade-immutable: agent-platform StatefulSet/acme-postgres ${EDGE_FAILURE}`,
    ]);
    expect(await page.locator('.legend').innerText()).toContain('the upgrade edges, oldest first (2026.10.2 -> 2026.11.0, 2026.11.0 -> 2026.12.0)');
  });

  it("shows a clicked cell's upgrade edges with their violations, escaped", async () => {
    await page.locator(`td.cell[data-cell="${UPGRADE_FAILED}"]`).click();
    const rows = page.locator('#details table.edges tr');
    await expect.poll(() => rows.count()).toBe(3);
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((td) => (td as unknown as { innerText: string }).innerText)));
    expect(cells[1]).toEqual(['2026.10.2 -> 2026.11.0', 'pass', '0.90 s', '']);
    expect(cells[2]).toEqual(['2026.11.0 -> 2026.12.0', 'fail', '0.90 s', `upgrade-immutable: agent-platform StatefulSet/acme-postgres: ${EDGE_FAILURE}`]);
    expect(await page.locator('#details table.edges b').count()).toBe(0);
    await page.locator('td.cell[data-cell="aws/github/saas-api/connected"]').click();
    await expect.poll(() => page.locator('#details table.edges tr').nth(2).innerText()).toContain('pass (cached)');
    expect(consoleErrors).toEqual([]);
  });

  it('gives a failed cell the command that reruns just that cell, listed and in its details', async () => {
    const command = `npx installctl conformance --only ${FAILED} --helm both`;
    const failures = await page.locator('#failures li').allInnerTexts();
    // In matrix order: aws before gcp.
    expect(failures).toEqual([expect.stringContaining(`npx installctl conformance --only ${UPGRADE_FAILED} --helm both`), expect.stringContaining(command)]);
    expect(failures[0]).toContain(`(supported): upgrade\n2026.11.0 -> 2026.12.0: fail - upgrade-immutable: agent-platform StatefulSet/acme-postgres ${EDGE_FAILURE}`);
    await page.locator(`td.cell[data-cell="${FAILED}"]`).click();
    await expect.poll(() => page.locator('#details code.rerun').textContent()).toBe(command);
    await page.locator('td.cell[data-cell="aws/github/saas-api/connected"]').click();
    expect(await page.locator('#details code.rerun').count()).toBe(0);
  });

  it('summary.md says why --affected chose its cells', () => {
    const report = {
      ...knownReport(),
      affected: {
        rules: [
          {
            rule: 'chart:model-server',
            files: ['charts/model-server/values.yaml', 'charts/model-server/templates/a.yaml', 'charts/model-server/templates/b.yaml'],
            cells: ['x', 'y'],
          },
        ],
        ignored: [{ reason: 'untracked-outside-sources' as const, count: 1, examples: ['contoso-prod.yaml'] }],
      },
    };
    expect(summaryMarkdown(report)).toContain(
      'Selected by --affected: chart:model-server (charts/model-server/values.yaml, charts/model-server/templates/a.yaml (+1 more)): 2 cells. Ignored: 1 untracked-outside-sources.',
    );
  });

  it('says the same in summary.md: the run, conditional cells, the rerun command', () => {
    const summary = summaryMarkdown(knownReport());
    expect(summary).toContain('commit 1a2b3c4d5e6f, 2026-12-02 10:20 UTC, 52.3 s');
    expect(summary).toContain(`Conditional cells (supported once the spec carries the named acknowledgement): ${CONDITIONAL.length} of ${CONDITIONAL.length} passed.`);
    expect(summary).toContain(`| \`${FAILED}\` | supported | helm4-template |`);
    expect(summary).toContain(`| \`npx installctl conformance --only ${FAILED} --helm both\` |`);
    const renderable = supportMatrix()
      .cells()
      .filter((cell) => cell.status !== 'unsupported' && !NOT_RUN.includes(cell.id)).length;
    expect(summary).toContain(
      `Upgrade edges (2026.10.2 -\\> 2026.11.0, 2026.11.0 -\\> 2026.12.0): ${2 * renderable - 3} of ${2 * renderable} passed (1 failed, 2 skipped, ${renderable - 2} from the cache).`,
    );
    expect(summary).toContain(`| \`${UPGRADE_FAILED}\` | supported | upgrade | 2026.11.0 -\\> 2026.12.0: upgrade-immutable:`);
  });

  it('gives JUnit one testcase per cell and upgrade edge, the failure listing its violations', () => {
    const xml = junitXml(knownReport());
    expect(xml).toContain(`<testcase classname="${UPGRADE_FAILED}" name="${UPGRADE_FAILED} upgrade 2026.10.2 -&gt; 2026.11.0" time="0.900"/>`);
    expect(xml).toContain(
      `<testcase classname="${UPGRADE_FAILED}" name="${UPGRADE_FAILED} upgrade 2026.11.0 -&gt; 2026.12.0" time="0.900"><failure message="upgrade-immutable: agent-platform StatefulSet/acme-postgres spec.volumeClaimTemplates`,
    );
    expect(xml).toContain('>upgrade-immutable: agent-platform StatefulSet/acme-postgres: spec.volumeClaimTemplates changes on upgrade (&lt;b&gt;x&lt;/b&gt; -&gt; y)');
    expect(xml).toContain(`name="${FAILED} upgrade 2026.10.2 -&gt; 2026.11.0" time="0.000"><skipped message="skipped: helm4-template failed"/>`);
    const cases = (xml.match(/<testcase /g) ?? []).length;
    const report = knownReport();
    expect(cases).toBe(report.cells.reduce((sum, cell) => sum + cell.stages.length + cell.upgrades.length, 0));
    expect(xml).toMatch(new RegExp(`<testsuites name="installctl conformance" tests="${cases}" failures="3" skipped="3"`));
  });

  it('produces a screenshot', async () => {
    const dir = join(REPO, 'test-results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'conformance-heatmap.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
  });
});
