/** Line breaks: LF, CRLF and a lone CR (old Mac files) are each one line, for parsing and for line:column. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSpecText, loadSpecFile } from '../../cli/install-spec/load-spec.js';
import { parseSpecText } from '../../cli/install-spec/parse-yaml.js';
import { EXAMPLES_DIR } from '../helpers/specs.js';

const example = readFileSync(join(EXAMPLES_DIR, 'aws-github-saas-connected.yaml'), 'utf8');

describe('line breaks', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('%s: an example (its first line a comment) is valid, not FILE_EMPTY', (_, newline) => {
    const result = checkSpecText('mac.yaml', example.replace(/\n/g, newline));
    expect(result.issues).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
    ['mixed', '\r'],
  ])('%s: an error keeps its line and column', (name, newline) => {
    const lines = example.replace('sizing: medium', 'sizing: huge').split('\n');
    const text = name === 'mixed' ? lines.map((line, i) => line + (i % 2 ? '\r\n' : '\r')).join('') : lines.join(newline);
    const issue = checkSpecText('a.yaml', text).issues.find((i) => i.code === 'SCHEMA_ENUM')!;
    const expectedLine = lines.findIndex((line) => line.includes('sizing: huge')) + 1;
    expect([issue.path, issue.line, issue.column]).toEqual(['spec.sizing', expectedLine, 11]);
  });

  it('a: 1 CR b: 2 is two keys', () => {
    const result = parseSpecText('a: 1\rb: 2\r');
    expect(result.ok && result.data).toEqual({ a: 1, b: 2 });
  });

  it('only line breaks, of any kind, is FILE_EMPTY', () => {
    for (const text of ['\r\r\r', '\r\n\r\n', '\n\r', '# comment\r# another\r']) {
      expect(
        checkSpecText('a.yaml', text).issues.map((i) => i.code),
        JSON.stringify(text),
      ).toEqual(['FILE_EMPTY']);
    }
  });

  it('a CR inside a quoted value is a line break there too (folded to a space)', () => {
    const result = parseSpecText('a: "x\r  y"\r');
    expect(result.ok && result.data).toEqual({ a: 'x y' });
  });

  it('counts a lone CR as a line for files refused before parsing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'installctl-cr-'));
    const file = join(dir, 'bin.yaml');
    writeFileSync(file, Buffer.from('a: 1\rb: 2\rc: \u0000\r', 'latin1'));
    const issue = loadSpecFile(file).issues[0]!;
    expect([issue.code, issue.line, issue.column]).toEqual(['FILE_BINARY', 3, 4]);
  });
});
