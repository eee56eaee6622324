/**
 * Adversarial suite, conformance report -> index.html / junit.xml / summary.md. A report can come
 * from files (`conformance merge`), and cell messages carry whatever Helm or a validator printed.
 * Hostile text in messages, stage names, reasons, cell ids, statuses and options:
 * - index.html (in headless Chromium): exactly the page's own two scripts, no event-handler
 *   attribute, no dialog; the details panel shows the text, invisible characters escaped;
 * - junit.xml: well-formed for a strict XML parser (Chromium's) and fast-xml-parser, messages
 *   read back verbatim (characters XML 1.0 cannot hold shown as escapes);
 * - summary.md: every table row keeps its column count, on one line, nothing raw or active.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { heatmapHtml } from '../../cli/conformance/heatmap.js';
import { buildReport, junitXml, rerunCommand, summaryMarkdown } from '../../cli/conformance/reports.js';
import type { CellResult } from '../../cli/conformance/types.js';
import { supportMatrix } from '../../cli/matrix/engine.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Hostile text, and how it reads back where XML 1.0 cannot hold a character (C0 controls but tab and line breaks). */
const HOSTILE: Array<[string, string]> = [
  ['script end', '</script><script>alert(1)</script>'],
  ['comment open', '<!-- <script>alert(2)</script>'],
  ['attribute break (double)', '" onmouseover="alert(3)" x="'],
  ['attribute break (single)', "' onfocus='alert(4)' x='"],
  ['HTML tag', '<img src=x onerror=alert(5)>'],
  ['CDATA end and entities', ']]> &amp; &lt; &#x41;'],
  ['XML comment dashes', '-- --> -'],
  ['terminal escapes and C0', '\x1b[31mred\x1b]0;t\x07 \x00 \x0b \x7f \x9b'],
  ['bidi and separators', 'abc\u202edef \u2066x\u2069 \u2028 \u2029 \u200b'],
  ['Markdown table', 'a | b \\| c\nnext line\r\nlast `code` *em* [l](javascript:alert(6))'],
];
const ALL = HOSTILE.map(([, text]) => text).join(' ');
/** What XML 1.0 can hold of ALL: C0 controls other than \t \n \r shown as escapes. */
const XML_READBACK = ALL.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const FAILED = 'gcp/gitlab-self-managed/self-hosted/air-gapped';
const ODD_STATUS = 'aws/github/saas-api/connected';
const EXTRA_ID = `aws/${ALL}`;

function hostileReport() {
  const cells: CellResult[] = supportMatrix()
    .cells()
    .map((cell) => ({
      id: cell.id,
      platform: cell.platform,
      scm: cell.scm,
      models: cell.models,
      network: cell.network,
      status: cell.id === ODD_STATUS ? (`supported" onmouseover="alert(7)" x="${ALL}` as never) : cell.status,
      result: cell.id === FAILED ? 'fail' : 'pass',
      reasons: cell.id === FAILED ? [ALL] : cell.reasons.map((reason) => reason.code),
      durationMs: 1000,
      stages:
        cell.id === FAILED
          ? [
              { name: 'render', status: 'pass', durationMs: 10, message: null },
              { name: `helm4-template ${ALL}`, status: 'fail', durationMs: 20, message: ALL },
              { name: 'kube-schema', status: 'skip', durationMs: 0, message: `skipped: ${ALL}` },
            ]
          : [{ name: 'init', status: 'pass', durationMs: 5, message: null }],
      upgrades:
        cell.id === FAILED
          ? [
              { from: '2026.10.2', to: '2026.11.0', status: 'pass' as const, durationMs: 5, message: null, violations: [] },
              {
                from: '2026.11.0',
                to: '2026.12.0',
                status: 'fail' as const,
                durationMs: 5,
                message: `upgrade-immutable: ${ALL}`,
                violations: [{ policy: 'upgrade-immutable' as const, resource: `agent-platform StatefulSet/${ALL}`, message: ALL }],
              },
            ]
          : [],
    }));
  cells.push({ ...cells.find((cell) => cell.id === FAILED)!, id: EXTRA_ID, platform: 'aws' });
  return buildReport(cells, { helm: ['3', `4${ALL}` as never], shard: null, only: [ALL], affected: ALL }, `0.1.0${ALL}`, {
    run: { commit: ALL, dirty: true, startedAt: ALL, durationMs: 1 },
    affected: { rules: [{ rule: ALL, files: [ALL, `charts/${ALL}`, 'x'], cells: [FAILED] }], ignored: [{ reason: ALL as never, count: 1, examples: [ALL] }] },
  });
}

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
}, 60_000);
afterAll(async () => browser?.close());

describe('index.html', () => {
  it('has only its own two scripts, no event-handler attribute, no dialog; cells and details show the text escaped', async () => {
    const html = heatmapHtml(hostileReport());
    expect(html.match(/<script/gi)).toHaveLength(2);
    const file = join(mkdtempSync(join(tmpdir(), 'installctl-reports-')), 'index.html');
    writeFileSync(file, html);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => (dialogs.push(dialog.message()), dialog.dismiss()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    // The page's DOM, read in the page (the test's TypeScript has no DOM types: `any` there).
    const dom = await page.evaluate(() => {
      const document = (globalThis as any).document;
      return {
        scripts: document.scripts.length as number,
        handlers: [...document.querySelectorAll('*')].flatMap((element: any) =>
          [...element.attributes].filter((attribute: any) => /^on/i.test(attribute.name)).map((attribute: any) => `${element.tagName} ${attribute.name}`),
        ),
        oddClass: document.querySelector('td[data-cell="aws/github/saas-api/connected"]').className as string,
        failedTitle: document.querySelector('td[data-cell="gcp/gitlab-self-managed/self-hosted/air-gapped"]').getAttribute('title') as string,
      };
    });
    expect(dom.scripts).toBe(2);
    expect(dom.handlers).toEqual([]);
    expect(dom.oddClass).toBe('cell failed');
    expect(dom.failedTitle).toContain('</script><script>alert(1)</script>');
    expect(dom.failedTitle).toContain('\\x1b[31mred');
    expect(dom.failedTitle).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e\u2028\u2029\u200b]/);
    // The run line (commit, date) and the rerun commands: the text, inert, nothing invisible.
    const run = await page.locator('#run').innerText();
    expect(run).toContain('commit </script><script>alert(1)</script>');
    expect(run).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e\u2028\u2029\u200b]/);
    const reruns = await page.locator('#failures code.rerun').allInnerTexts();
    expect(reruns).toHaveLength(2);
    for (const rerun of reruns) expect(rerun).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e\u2028\u2029\u200b]/);

    await page.click('td[data-cell="gcp/gitlab-self-managed/self-hosted/air-gapped"]');
    const details = await page.locator('#details').innerText();
    expect(details).toContain('</script><script>alert(1)</script>');
    expect(details).toContain('abc\\u202edef');
    expect(details).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e\u2028\u2029\u200b]/);
    await page.hover('td[data-cell="aws/github/saas-api/connected"]');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('junit.xml', () => {
  const xml = junitXml(hostileReport());

  it("is well-formed for Chromium's XML parser and fast-xml-parser, and shows nothing invisible", async () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const page = await browser.newPage();
    const problem = await page.evaluate((text) => {
      const doc = new (globalThis as any).DOMParser().parseFromString(text, 'application/xml');
      return (doc.getElementsByTagName('parsererror')[0]?.textContent ?? null) as string | null;
    }, xml);
    await page.close();
    expect(problem).toBeNull();
    expect(xml.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u);
  });

  it('holds names and messages verbatim', async () => {
    const page = await browser.newPage();
    const read = await page.evaluate((text) => {
      const doc = new (globalThis as any).DOMParser().parseFromString(text, 'application/xml');
      return [...doc.getElementsByTagName('failure')].map((failure: any) => ({
        classname: failure.parentElement.getAttribute('classname') as string,
        name: failure.parentElement.getAttribute('name') as string,
        message: failure.getAttribute('message') as string,
        text: failure.textContent as string,
      }));
    }, xml);
    await page.close();
    // A line break in element text is raw (readable), a \r a character reference: both read back as written.
    const expected = { name: `helm4-template ${XML_READBACK}`, message: XML_READBACK.slice(0, 500), text: XML_READBACK };
    expect(read).toHaveLength(4);
    expect(read).toContainEqual({ classname: FAILED, ...expected });
    expect(read).toContainEqual({ classname: `aws/${XML_READBACK}`, ...expected });
    // Each failed upgrade edge is a testcase of its own, its violations as the failure's text.
    const readback = (text: string) => text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    for (const id of [FAILED, EXTRA_ID])
      expect(read).toContainEqual({
        classname: readback(id),
        name: readback(`${id} upgrade 2026.11.0 -> 2026.12.0`),
        message: readback(`upgrade-immutable: ${ALL}`.slice(0, 500)),
        text: readback(`upgrade-immutable: agent-platform StatefulSet/${ALL}: ${ALL}`),
      });
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, htmlEntities: true, trimValues: false }).parse(xml);
    expect(JSON.stringify(parsed)).toContain('</script><script>alert(1)</script>');
  });
});

describe('the command that reruns a failed cell', () => {
  // A NUL cannot be passed in argv at all: every other hostile id must come back as one argument.
  it.each(HOSTILE.map(([name, text]) => [name, `aws/${text.replace(/\0/g, '')}`]))('%s: one shell word, the exact id, on one visible line', (_, id) => {
    const command = rerunCommand({ options: { helm: ['3', '4'], upgradeEdges: true } }, id);
    expect(command).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
    const argv = execFileSync('bash', ['-c', `npx() { printf '%s\\0' "$@"; }\n${command}`], { encoding: 'utf8' })
      .split('\0')
      .slice(0, -1);
    expect(argv).toEqual(['installctl', 'conformance', '--only', id, '--helm', 'both']);
  });
});

describe('summary.md', () => {
  const summary = summaryMarkdown(hostileReport());
  /**
   * Cells of a GitHub table row, read both ways table parsers do: a backslash escaping any
   * character (CommonMark), or only a pipe (cmark-gfm's cell scanner). Both must agree.
   */
  const columns = (row: string) => {
    const anyEscape = row.replace(/\\[\s\S]/g, 'x').split('|').length - 2;
    const pipeEscape = row.replace(/\\\|/g, 'x').split('|').length - 2;
    return anyEscape === pipeEscape ? anyEscape : NaN;
  };

  it('every table row keeps its column count, on one line', () => {
    const rows = summary.split('\n').filter((line) => line.startsWith('|'));
    const header = '| cell | status | stage | message | rerun |';
    const failing = rows.slice(rows.indexOf(header));
    expect(failing).toHaveLength(4);
    for (const row of failing) expect(columns(row), row).toBe(5);
    const platforms = rows.slice(0, rows.indexOf(header));
    for (const row of platforms) expect(columns(row), row).toBe(columns(platforms[0]!));
  });

  it('shows nothing invisible and no active Markdown or HTML outside code spans', () => {
    expect(summary.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u);
    const outsideCode = summary.replace(/(?<!\\)(`+)([\s\S]*?[^`])\1(?!`)/g, '').replace(/\\[\s\S]/g, '');
    const headingsAndTables = /^(#{3,4} |\|)/;
    const prose = outsideCode.split('\n').map((line) => line.replace(headingsAndTables, '').replace(/\|/g, ''));
    expect(prose.join('\n')).not.toMatch(/[<>[\]`*_~$!&]/);
  });
});
