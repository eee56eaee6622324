/**
 * YAML for files other programs read back: Helm values (go-yaml: YAML 1.1, plus Go's number syntax),
 * Pulumi stack config, the API server. Each reads a plain scalar its own way: `yes`, `on`, `y`,
 * `1_000`, `1:20`, `0b101` or `2026-01-01` are strings to a YAML 1.2 reader but a boolean, a number
 * or a date to Helm. Written with the YAML 1.1 schema (which quotes its booleans, numbers and dates)
 * and every string that starts like a number double-quoted, a value reads back as written everywhere.
 */
import { Document, visit } from 'yaml';

const NUMBER_LIKE = /^[-+.]?[0-9]/;

export function portableYaml(value: unknown): string {
  const document = new Document(value, { version: '1.1' });
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && NUMBER_LIKE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString({ lineWidth: 0 });
}

/** Plain scalars that read the same everywhere: anything else is written double-quoted. */
const PLAIN_WORD = /^[A-Za-z0-9_/][A-Za-z0-9_./@-]*$/;

/**
 * portableYaml for a shell here-document in RUNBOOK.md: every scalar on its key's line (a string
 * with a line break, a quote or a Markdown fence double-quoted, never a block scalar) and every
 * invisible character as a YAML escape, so no value can end the here-document or the Markdown
 * fence around it, or hide in the operator's terminal.
 */
export function hereDocYaml(value: unknown): string {
  const document = new Document(value, { version: '1.1' });
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && (NUMBER_LIKE.test(node.value) || !PLAIN_WORD.test(node.value))) node.type = 'QUOTE_DOUBLE';
    },
  });
  // JSON-style double quotes: escapes instead of folding a long or multi-line string over several lines.
  return document.toString({ lineWidth: 0, doubleQuotedAsJSON: true, doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER }).replace(INVISIBLE_IN_YAML, (char) => {
    if (char === '\n') return char;
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
  });
}

/** Characters the yaml library leaves raw inside double quotes (DEL, C1, bidi, zero-width, separators); line breaks are its own. */
const INVISIBLE_IN_YAML = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;
