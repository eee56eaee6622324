/**
 * Values written into Markdown (RUNBOOK.md, summary.md) stay inert text: they cannot start a
 * line (so no heading, list, quote or ```sh fence), open a link, image, HTML tag, entity, code
 * span, emphasis or math, or split a table cell. Invisible characters are shown as escapes.
 */
import { visibleLine } from './visible-text.js';

/** Characters with an inline meaning anywhere in a line (GitHub flavour: ~ strikethrough, $ math, | table cells). */
const INLINE_SPECIAL = /[\\`*_[\]<>&|~#$!]/g;

/**
 * A value as inline Markdown text, shown verbatim, for a place after other text on its line (a
 * heading's title, a sentence, a table cell). It cannot reach the start of a line: line breaks
 * become a visible `\n`, so block syntax (headings, lists, fences) cannot begin inside it.
 */
export function markdownText(value: string): string {
  return visibleLine(value.replace(INLINE_SPECIAL, (char) => `\\${char}`));
}

/**
 * A value as an inline code span: a backtick fence longer than any run of backticks inside, padded
 * when the value starts or ends with a backtick or a space. In a table cell (`table: true`) a value
 * holding a pipe is inert text instead: inside code a backslash cannot be escaped, so `\|` would
 * read differently to different table parsers.
 */
export function markdownCode(value: string, options: { table?: boolean } = {}): string {
  if (options.table && value.includes('|')) return markdownText(value);
  const text = visibleLine(value);
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
