/**
 * Characters no spec string or key may hold, because they change how text looks or where it goes
 * once it lands in a terminal, a Markdown runbook or a shell line: C0 controls (tab and line breaks
 * included: every spec value is one line), DEL, C1 controls, the Unicode line and paragraph
 * separators, every format character (bidi overrides and isolates, zero-width characters, the
 * BOM, tag characters: Unicode category Cf) and lone surrogates (YAML and JSON "\ud800" escapes
 * produce them; they are not text at all).
 */

import { INVISIBLE, visibleLine } from '../lib/visible-text.js';

/**
 * One such character anywhere: the class the terminal sinks escape (cli/lib/visible-text.ts), so
 * what a spec may hold and what output shows escaped never drift apart.
 */
export const CONTROL_CHARACTER = new RegExp(INVISIBLE.source, 'u');

const C0_NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x07: 'BEL, the terminal bell',
  0x08: 'BACKSPACE',
  0x09: 'TAB',
  0x0a: 'LINE FEED, a line break',
  0x0d: 'CARRIAGE RETURN, a line break',
  0x1b: 'ESCAPE, which starts terminal escape sequences',
  0x7f: 'DELETE',
};

const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/** U+202E, U+0000, U+1F600: how a code point is named in messages (never the raw character). */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What a control character is, for a message: "U+202E (a bidirectional override or isolate)". */
export function describeControlCharacter(codePoint: number): string {
  const name = codePointName(codePoint);
  if (C0_NAMES[codePoint]) return `${name} (${C0_NAMES[codePoint]})`;
  if (codePoint < 0x20) return `${name} (a C0 control character)`;
  if (codePoint >= 0x80 && codePoint <= 0x9f) return `${name} (a C1 control character)`;
  if (codePoint === 0x2028 || codePoint === 0x2029) return `${name} (the Unicode ${codePoint === 0x2028 ? 'line' : 'paragraph'} separator, a line break)`;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return `${name} (a lone surrogate: half of a UTF-16 pair, not a character)`;
  if (BIDI.has(codePoint)) return `${name} (a bidirectional control, which reorders the text around it)`;
  if (codePoint === 0xfeff) return `${name} (a byte order mark, invisible)`;
  return `${name} (an invisible format character)`;
}

/** The first control character in text, as a code point (a lone surrogate counts as one); null when none. */
export function firstControlCharacter(text: string): number | null {
  const match = CONTROL_CHARACTER.exec(text);
  return match ? match[0].codePointAt(0)! : null;
}

/** Every control character escaped (\x1b, \u202e, \u{e0041}), so a quoted value shows what it holds. */
export const escapeControlCharacters = visibleLine;
