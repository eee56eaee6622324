/**
 * The one place that decides how a value from a spec may appear in a message, a hint or a path:
 * never when it may hold a credential (the message says a value is not shown instead), otherwise
 * quoted, with every control character escaped (a message goes to a terminal), cut to a readable
 * length, and YAML's non-finite numbers named as YAML spells them (JSON would print null).
 * Every message builder that quotes a spec value or key goes through here.
 */
import { CONTROL_CHARACTER } from './control-characters.js';
import { MAX_QUOTED, quoteForMessage } from '../lib/visible-text.js';
import { mayHoldCredential } from './secret-shapes.js';

/** Longest quoted value in a message; past it the value is cut with an ellipsis. */
const MAX_SHOWN = MAX_QUOTED;

export const VALUE_NOT_SHOWN = '(a value not shown: it may hold a credential)';
export const KEY_NOT_SHOWN = '(a key not shown: it may hold a credential)';

/**
 * How much of a long text is checked: messages show at most MAX_SHOWN characters of it, and a
 * credential reaching into those starts within this many. Checking only the head keeps a hostile
 * 16 MiB value from costing more than a short one.
 */
const CHECKED_HEAD = 1024;

/** Whether text may appear in output at all (escaped, cut to MAX_SHOWN); false when it may hold a credential. */
export function mayShow(text: string): boolean {
  return !mayHoldCredential(text.length > CHECKED_HEAD ? text.slice(0, CHECKED_HEAD) : text);
}

/** A number as YAML would write it: .inf, -.inf and .nan for the values JSON cannot represent. */
export function showNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  return String(value);
}

/** Quoted and escaped text, cut to MAX_SHOWN characters; no credential check (callers decide). */
export function quoteText(text: string): string {
  return quoteForMessage(text, MAX_SHOWN);
}

/** A spec value for a message: "quoted" text, a number, true/false, null, or VALUE_NOT_SHOWN. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return mayShow(value) ? quoteText(value) : VALUE_NOT_SHOWN;
  if (typeof value === 'number') return showNumber(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** A key for a message, in single quotes as messages write keys, or KEY_NOT_SHOWN. */
export function showKey(key: string): string {
  if (!mayShow(key)) return KEY_NOT_SHOWN;
  return CONTROL_CHARACTER.test(key) || key.includes("'") || key.length > MAX_SHOWN ? quoteText(key) : `'${key}'`;
}

/** A path as far as it may be shown: it stops at a key that may hold a credential (its mapping is shown). */
export function showPath(path: ReadonlyArray<string | number>): ReadonlyArray<string | number> {
  const hidden = path.findIndex((segment) => typeof segment === 'string' && !mayShow(segment));
  return hidden === -1 ? path : path.slice(0, hidden);
}
