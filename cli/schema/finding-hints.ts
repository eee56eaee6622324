/**
 * The wording of schema findings: what a value is, what a limit means, and the hint that says how
 * to fix it (did-you-mean, unquote, lowercase, an example from the schema).
 */
import type { ErrorObject } from 'ajv';
import { closest, quoteList } from '../lib/suggest.js';
import type { JsonSchema } from './schema-resolver.js';
import { showNumber, showValue } from './show-value.js';

/**
 * Did-you-mean for names (typos are a few edits away); for numbers an edit distance means nothing
 * (3 is "one edit" from 1 and from 8), so those list the allowed values, or unquote a quoted one.
 */
export function enumHint(actual: unknown, allowed: unknown[]): string {
  const list = `use ${allowed.length === 1 ? JSON.stringify(allowed[0]) : `one of ${quoteList(allowed)}`}`;
  if (allowed.every((value) => typeof value === 'number')) {
    if (typeof actual === 'string' && actual.trim() !== '' && allowed.includes(Number(actual)))
      return `write ${Number(actual)} without quotes; YAML reads ${showValue(actual)} as a string`;
    return list;
  }
  if (actual === null || typeof actual === 'object') return list;
  const suggestion = closest(String(actual), allowed.map(String));
  if (suggestion === null || suggestion === String(actual)) return list;
  return `did you mean ${JSON.stringify(suggestion)}?${typeof actual === 'string' && actual.toLowerCase() !== actual ? ' values are lowercase' : ''}`;
}

/** What a value is, for "expected X, got Y": infinity and NaN by name (JSON would print null). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'not a number (.nan)' : `${value > 0 ? '' : 'minus '}infinity (${showNumber(value)})`;
  return `${typeof value} ${showValue(value)}`;
}

export function article(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false' };
  return names[type] ?? type;
}

export function rangeMessage(error: ErrorObject): string {
  const limit = (error.params as { limit?: number }).limit;
  switch (error.keyword) {
    case 'minLength':
      return `too short (minimum ${limit} characters)`;
    case 'maxLength':
      return `too long (maximum ${limit} characters)`;
    case 'minimum':
      return `too small (minimum ${limit})`;
    case 'maximum':
      return `too large (maximum ${limit})`;
    case 'minItems':
      return `too few items (minimum ${limit})`;
    case 'maxItems':
      return `too many items (maximum ${limit})`;
    case 'minProperties':
      return `too few keys (minimum ${limit})`;
    case 'maxProperties':
      return `too many keys (maximum ${limit})`;
    default:
      return error.message ?? 'out of range';
  }
}

export function rangeHint(error: ErrorObject): string {
  const { limit, multipleOf } = error.params as { limit?: number; multipleOf?: number };
  const plural = (count: number | undefined, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  switch (error.keyword) {
    case 'minLength':
      return `use at least ${plural(limit, 'character')}`;
    case 'maxLength':
      return `shorten it to ${plural(limit, 'character')} or fewer`;
    case 'minimum':
      return `use ${limit} or more`;
    case 'maximum':
      return `use ${limit} or less`;
    case 'exclusiveMinimum':
      return `use a value greater than ${limit}`;
    case 'exclusiveMaximum':
      return `use a value less than ${limit}`;
    case 'minItems':
      return `list at least ${plural(limit, 'item')}`;
    case 'maxItems':
      return `list at most ${plural(limit, 'item')}`;
    case 'minProperties':
      return `give at least ${plural(limit, 'key')}`;
    case 'maxProperties':
      return `keep at most ${plural(limit, 'key')}`;
    case 'multipleOf':
      return `use a multiple of ${multipleOf}`;
    default:
      return 'bring the value into the allowed range';
  }
}

export function patternHint(value: unknown, schema: JsonSchema | undefined): string | null {
  if (typeof value === 'string') {
    if (value !== value.toLowerCase() && !/[A-Z]/.test(String(schema?.pattern ?? ''))) return 'use lowercase';
    if (value.startsWith('http://') && String(schema?.pattern ?? '').startsWith('^https://')) return 'use an https:// URL';
  }
  const example = schema?.examples?.[0];
  return example !== undefined ? `for example ${typeof example === 'string' ? example : JSON.stringify(example)}` : null;
}
