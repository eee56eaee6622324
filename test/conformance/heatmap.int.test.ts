/** The HTML heatmap in a real headless Chromium (Debian's, driven by playwright-core). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { heatmapHtml, HEATMAP_COLORS } from '../../cli/conformance/heatmap.js';
import { buildReport, summaryMarkdown } from '../../cli/conformance/reports.js';
import type { CellResult } from '../../cli/conformance/types.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { REPO } from '../helpers/cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FAILED = 'gcp/gitlab-self-managed/self-hosted/air-gapped';
const NOT_RUN = ['azure/github/saas-api/connected', 'onprem/github/saas-api/connected'];

/** A known report: every cell passes except FAILED (its helm4-template stage), NOT_RUN are absent. */
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
      result: cell.id === FAILED ? 'fail' : 'pass',
      reasons: cell.reasons.map((reason) => reason.code),
      durationMs: 1200,
      stages:
        cell.id === FAILED
          ? [
              { name: 'render', status: 'pass', durationMs: 40, message: null },
              { name: 'helm4-template', status: 'fail', durationMs: 300, message: 'model-server: <script>alert(1)</script> values are wrong' },
              { name: 'kube-schema', status: 'skip', durationMs: 0, message: 'skipped: helm4-template failed' },
            ]
          : [{ name: 'init', status: 'pass', durationMs: 5, message: null }],
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
    expect(await color(NOT_RUN[0]!)).toBe(rgb(HEATMAP_COLORS['not-run']));
    const kinds = await page.locator('td.cell').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-kind')));
    expect(kinds.filter((kind) => kind === 'supported')).toHaveLength(
      supportMatrix()
        .cells()
        .filter((cell) => cell.status === 'supported' && cell.id !== FAILED && !NOT_RUN.includes(cell.id)).length,
    );
    expect(kinds.filter((kind) => kind === 'failed')).toHaveLength(1);
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
      const expected = NOT_RUN.includes(cell.id) ? 'not-run' : cell.id === FAILED ? 'failed' : cell.status;
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

  it('labels conditional cells "conditional" in text, not only by colour', async () => {
    const text = new Map(
      await page
        .locator('td.cell')
        .evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-cell'), (td as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim()] as const)),
    );
    expect(CONDITIONAL.length).toBeGreaterThan(0);
    for (const cell of supportMatrix().cells()) {
      const shown = text.get(cell.id)!;
      if (NOT_RUN.includes(cell.id)) expect(shown, cell.id).toBe('-');
      else if (cell.id === FAILED) expect(shown, cell.id).toBe(cell.status === 'conditional' ? 'FAIL conditional' : 'FAIL');
      else if (cell.status === 'conditional') expect(shown, cell.id).toBe('pass conditional');
      else expect(shown, cell.id).toBe(cell.status === 'unsupported' ? 'rejected' : 'pass');
    }
  });

  it('gives a failed cell the command that reruns just that cell, listed and in its details', async () => {
    const command = `npx installctl conformance --only ${FAILED} --helm both`;
    expect(await page.locator('#failures li').allInnerTexts()).toEqual([expect.stringContaining(command)]);
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
  });

  it('produces a screenshot', async () => {
    const dir = join(REPO, 'test-results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'conformance-heatmap.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
  });
});
