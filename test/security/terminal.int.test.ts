/**
 * Adversarial suite, spec / file names / arguments -> terminal. Whatever installctl prints (issue
 * lines, errors, hints, --json) shows control characters, bidi controls, separators and other
 * invisible format characters as escapes: a key, a value or a file name cannot recolour the
 * terminal, set its title, overwrite a line with \r or reorder what the operator reads.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonText, visible, visibleLine } from '../../cli/lib/visible-text.js';
import { createPushProgress } from '../../cli/bundle/push-progress.js';
import { createProgress } from '../../cli/conformance/progress.js';
import { describeAffected, explainAffected } from '../../cli/conformance/selection.js';
import type { CellResult } from '../../cli/conformance/types.js';
import { runCli } from '../helpers/cli.js';
import { EXAMPLES_DIR } from '../helpers/specs.js';

/** Hostile text and the escaped form the operator sees instead. */
const HOSTILE: Array<[string, string, string]> = [
  ['SGR colour', '\x1b[31mred', '\\x1b[31mred'],
  ['OSC window title', '\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
  ['carriage return overwrite', 'ok\rEVIL', 'ok\\rEVIL'],
  ['right-to-left override', 'abc\u202efed.yaml', 'abc\\u202efed.yaml'],
  ['bidi isolates', '\u2066x\u2069\u2067y\u2068', '\\u2066x\\u2069\\u2067y\\u2068'],
  ['NUL', 'a\x00b', 'a\\x00b'],
  ['DEL and C1 CSI', 'a\x7f\x9b31m', 'a\\x7f\\x9b31m'],
  ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
  ['zero-width, BOM, soft hyphen', 'a\u200bb\ufeffc\u00ad', 'a\\u200bb\\ufeffc\\xad'],
  ['tag characters', 'a\u{e0041}', 'a\\u{e0041}'],
  ['lone surrogate', 'a\ud800b', 'a\\ud800b'],
];

const RAW = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
/** Output may hold line breaks of its own, nothing else invisible. */
const rawIn = (text: string) => text.replace(/\n/g, '').match(RAW)?.[0] ?? null;

describe('visible-text', () => {
  it.each(HOSTILE)('%s is shown escaped, on one line', (_, hostile, shown) => {
    expect(visibleLine(hostile)).toBe(shown);
    expect(visible(`line one\n${hostile}`)).toBe(`line one\n${shown}`);
  });

  it('ordinary text passes unchanged: accents, CJK, emoji, tabs and line breaks of multi-line text', () => {
    for (const text of ['café', 'Zürich', '日本語', 'עברית', '😀 👍🏽', 'a\tb\nc']) expect(visible(text)).toBe(text);
    expect(visibleLine('a\tb\nc')).toBe('a\\tb\\nc');
  });

  it.each(HOSTILE)('jsonText: %s is a \\u escape inside JSON strings and parses back to the same value', (_, hostile) => {
    const json = jsonText({ message: hostile, nested: [hostile] }, 2);
    expect(rawIn(json)).toBeNull();
    // JSON.stringify itself keeps well-formedness for lone surrogates; everything else round-trips exactly.
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ message: hostile, nested: [hostile] })));
  });
});

/** A YAML double-quoted scalar with every invisible character as an escape (YAML refuses most of them raw). */
const yamlQuoted = (text: string) =>
  JSON.stringify(text).replace(new RegExp(RAW.source, 'gu'), (char) => {
    const code = char.codePointAt(0)!;
    return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });

/** The on-prem example with one line under spec changed or added. */
function specFile(dir: string, line: string, name = 'spec.yaml'): string {
  const file = join(dir, name);
  writeFileSync(file, readFileSync(join(EXAMPLES_DIR, 'onprem-bitbucket-self-hosted-air-gapped.yaml'), 'utf8').replace('  sizing: small\n', `${line}\n`));
  return file;
}

/** Every class but the lone surrogate (not valid UTF-8 in a file or an argument), and NUL where an argument cannot hold it. */
const IN_FILES = HOSTILE.filter(([label]) => label !== 'lone surrogate');
const IN_ARGS = IN_FILES.filter(([label]) => label !== 'NUL');

// One CLI run validates the files of every class (validate takes several files), so the table stays fast.
describe('installctl validate end to end (built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-terminal-'));

  // The spec rule refuses these characters in any key or value (VALUE_CONTROL_CHARACTER) and names
  // them as code points; whatever the message, nothing reaches the terminal raw.
  it('unknown keys holding each class: refused, named as code points, never printed raw', () => {
    const files = IN_FILES.map(([, hostile], index) => specFile(dir, `  sizing: small\n  ${yamlQuoted(`key${hostile}`)}: 1`, `key-${index}.yaml`));
    const text = runCli(['validate', ...files]);
    expect(text.status).toBe(1);
    expect(rawIn(text.stdout + text.stderr)).toBeNull();
    expect(text.stdout.match(/error\[VALUE_CONTROL_CHARACTER\] spec\["key/g)).toHaveLength(IN_FILES.length);

    const json = runCli(['validate', ...files, '--json']);
    expect(rawIn(json.stdout)).toBeNull();
    for (const file of json.json().files) {
      expect(file.issues[0].code).toBe('VALUE_CONTROL_CHARACTER');
      expect(file.issues[0].message).toMatch(/^the key holds U\+[0-9A-F]{4,5} /);
    }
  });

  it('values holding each class: refused, named as code points, never printed raw', () => {
    const files = IN_FILES.map(([, hostile], index) => specFile(dir, `  sizing: ${yamlQuoted(`small${hostile}`)}`, `value-${index}.yaml`));
    const run = runCli(['validate', ...files]);
    expect(run.stdout.match(/error\[VALUE_CONTROL_CHARACTER\] spec\.sizing:/g)).toHaveLength(IN_FILES.length);
    expect(rawIn(run.stdout + run.stderr)).toBeNull();
  });

  it('file names holding each class, missing and present', () => {
    const missing = runCli(['validate', ...IN_ARGS.map(([, hostile]) => `no-such-${hostile}.yaml`)], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(rawIn(missing.stdout + missing.stderr)).toBeNull();
    for (const [label, , shown] of IN_ARGS) expect(missing.stdout, label).toContain(`no-such-${shown}.yaml: error[FILE_NOT_FOUND]`);

    const names = IN_ARGS.map(([, hostile]) => `spec-${hostile}.yaml`);
    for (const name of names) specFile(dir, '  sizing: huge', name);
    const present = runCli(['validate', ...names], { cwd: dir });
    expect(present.status).toBe(1);
    expect(rawIn(present.stdout + present.stderr)).toBeNull();
    for (const [label, , shown] of IN_ARGS) expect(present.stdout, label).toContain(`spec-${shown}.yaml:`);
  });
});

describe('errors of other commands end to end: every class in one argument', () => {
  const all = IN_ARGS.map(([, hostile]) => hostile).join('');
  const cases: Array<[string, string[]]> = [
    ['an unknown command (command_not_found hook)', [`val${all}idate`]],
    ['an unknown help subject (help command)', ['help', `bun${all}dle`, 'push']],
    ['an unknown cell id (UserError)', ['matrix', 'explain', `aws/${all}`]],
    ['a bad flag value (oclif)', ['init', '--platform', `aws${all}`, '--scm', 'github', '--models', 'saas-api', '--network', 'connected', '--name', 'x', '--customer', 'y']],
    ['a missing render input (issue lines)', ['render', `missing${all}.yaml`, '--out', 'out']],
  ];
  it.each(cases)('%s', (_, argv) => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-terminal-'));
    const text = runCli(argv, { cwd: dir });
    expect([1, 2]).toContain(text.status);
    expect(rawIn(text.stdout + text.stderr)).toBeNull();
    expect(text.stdout + text.stderr).toContain('\\x1b]0;pwned\\x07');
    const json = runCli([...argv, '--json'], { cwd: dir });
    expect(rawIn(json.stdout + json.stderr)).toBeNull();
  });
});

describe('progress lines on stderr', () => {
  const sink = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY, write: (text: string) => (chunks.push(text), true) } as unknown as NodeJS.WriteStream };
  };
  /** The progress writers' own control sequences (\r, erase line) are theirs; the rest must be visible. */
  const ownControls = (text: string) => text.replace(/\r\x1b\[2K/g, '');

  it.each(HOSTILE)("bundle push: a registry's retry reason or a repository holding %s", (_, hostile, shown) => {
    for (const isTTY of [false, true]) {
      const out = sink(isTTY);
      const progress = createPushProgress(out.stream, () => 0);
      progress({ type: 'retry', attempt: 1, reason: `HTTP 503 ${hostile}`, delayMs: 1000 });
      progress({ type: 'resume', digest: `sha256:${'0'.repeat(64)}`, repository: `site/${hostile}`, offset: 10 });
      const text = ownControls(out.chunks.join(''));
      expect(rawIn(text)).toBeNull();
      expect(text).toContain(`HTTP 503 ${shown}`);
    }
  });

  it.each(HOSTILE)('conformance: a failing stage message or cell id holding %s', (_, hostile, shown) => {
    const cell: CellResult = {
      id: `aws/${hostile}`,
      platform: 'aws',
      scm: 'github',
      models: 'saas-api',
      network: 'connected',
      status: 'supported',
      result: 'fail',
      reasons: [],
      durationMs: 1,
      stages: [{ name: 'render', status: 'fail', durationMs: 1, message: `helm said ${hostile}` }],
      upgrades: [],
    };
    for (const isTTY of [false, true]) {
      const out = sink(isTTY);
      const progress = createProgress(out.stream, () => 0);
      progress.start(1);
      progress.cell(cell, 1, 1);
      progress.finish();
      const text = ownControls(out.chunks.join(''));
      expect(rawIn(text)).toBeNull();
      expect(text).toContain(`helm said ${shown}`);
    }
  });

  it.each(HOSTILE)('conformance --affected: a changed file name holding %s (git names any byte)', (_, hostile, shown) => {
    const files = [`charts/model-server/templates/${hostile}.yaml`, `${hostile}.yaml`].map((path) => ({ path, untracked: true }));
    const lines = describeAffected(explainAffected(`origin/${hostile}`, files), 1);
    for (const line of lines) expect(rawIn(line)).toBeNull();
    expect(lines[0]).toBe(`--affected origin/${shown}: 1 cell to run`);
    expect(lines).toContain(`  ignored (untracked-outside-sources): ${shown}.yaml`);
    expect(lines.some((line) => line.includes(`charts/model-server/templates/${shown}.yaml -> `))).toBe(true);
  });

  it.each(HOSTILE)('conformance progress: a phase text holding %s', (_, hostile, shown) => {
    for (const isTTY of [false, true]) {
      const out = sink(isTTY);
      const progress = createProgress(out.stream, () => 0);
      progress.phase(`checking Helm ${hostile}`);
      progress.stop();
      const text = ownControls(out.chunks.join(''));
      expect(rawIn(text)).toBeNull();
      expect(text).toContain(`checking Helm ${shown}`);
    }
  });
});
