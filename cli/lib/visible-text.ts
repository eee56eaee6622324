/**
 * Text that reaches a person's screen (terminal, RUNBOOK.md, reports) shows what it holds: a value
 * from a spec, a file name or a registry response cannot move the cursor, set the window title,
 * overwrite a line with \r, reorder text with bidi overrides or hide itself. Such characters are
 * shown as escapes (\x1b, \u202e); everything else, including non-ASCII letters, passes unchanged.
 */

/**
 * Controls (C0, DEL, C1), format characters (bidi overrides and isolates, zero-width characters,
 * BOM, soft hyphen...), the line and paragraph separators and lone surrogates.
 */
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\n`, `\r`, `\t`; `\x1b` up to U+00FF, `\u202e` in the BMP (lone surrogates included), `\u{e0001}` beyond. */
export function escapeCodePoint(char: string): string {
  if (SHORT[char]) return SHORT[char];
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  if (code <= 0xffff) return `\\u${hex(code, 4)}`;
  return `\\u{${hex(code, 5)}}`;
}

/** Multi-line text that installctl composed: its line breaks and tabs stay, every other invisible character is escaped. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (char) => (char === '\n' || char === '\t' ? char : escapeCodePoint(char)));
}

/** One value on one line: line breaks and tabs are escaped too, so a value cannot forge a line of output. */
export function visibleLine(text: string): string {
  return text.replace(INVISIBLE, escapeCodePoint);
}

/**
 * JSON for a terminal or a pipe: JSON.stringify escapes C0 controls and lone surrogates but leaves
 * DEL, C1 controls (U+009B is CSI on some terminals), bidi controls and U+2028/2029 raw. They are
 * written as \uXXXX escapes instead, which parse back to the same value.
 */
export function jsonText(value: unknown, indent?: number): string {
  // Inside strings JSON.stringify escapes every C0 control: a raw line break is indentation.
  return JSON.stringify(value, null, indent).replace(INVISIBLE, (char) =>
    char === '\n' ? char : [...Array(char.length).keys()].map((index) => `\\u${hex(char.charCodeAt(index), 4)}`).join(''),
  );
}

/** Longest value a message quotes; past it the value is cut with an ellipsis. */
export const MAX_QUOTED = 120;

/** A value for a message: JSON-quoted, cut to max characters, every invisible character escaped. */
export function quoteForMessage(text: string, max: number = MAX_QUOTED): string {
  return visibleLine(JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text));
}
