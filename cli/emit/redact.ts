/**
 * What `render --diff` shows of a file: values that may be secret are replaced by [redacted].
 * The old side of a diff is the directory on disk, where Pulumi wrote `secure:` values and the
 * stack's encryption keys, and an operator may have put anything (`pulumi config set` without
 * --secret writes plaintext); a diff is pasted into tickets and CI logs. Redaction only rewrites
 * what is shown: which lines differ is decided on the bytes.
 *
 * Three layers, each enough on its own for what it covers:
 * - a value under a credential-named key (pass, secret, token, key, auth, credential), whatever
 *   its shape, in YAML and JSON, on one line or as a nested block;
 * - in a Pulumi stack file, every config value the render does not set itself;
 * - anything the secret detectors recognise, anywhere.
 */
import { mayHoldCredential } from '../schema/secret-shapes.js';

export const REDACTED = '[redacted]';

/** `secure: VALUE`, `encryptionsalt: VALUE`, `encryptedkey: VALUE`, also inside a flow mapping or JSON. */
const PULUMI_SECRET = /((?:^|[\s{,"'])(?:secure|encryptionsalt|encryptedkey)["']?\s*:\s*)("(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s,}]+)/gi;

/** `KEY: VALUE` or `KEY=VALUE`: the key is kept so the reader sees which setting changed. */
const KEYED = /^(\s*(?:-\s+)?["']?[\w.\-/]{1,100}["']?\s*[:=]\s*)\S/;

/** A key whose value is treated as a credential, whatever the value looks like. */
export const CREDENTIAL_KEY = /pass|secret|token|key|auth|credential/i;

/** Values that hold nothing: shown as they are even under a credential-named key. */
const EMPTY_VALUE = /^(?:null|~|true|false|""|''|\{\}|\[\])?$/i;

/** A block-style mapping key at the start of a line (YAML `key:`, JSON `"key":`), after indentation and list dashes. */
const BLOCK_KEY = /^(\s*(?:-\s+)*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#"'{}[\],][^#{}[\],]*?)\s*:(?=\s|$)/;

/** A key inside a flow mapping or JSON object on one line: after `{` or `,`. */
const FLOW_KEY = /([{,]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z_][\w.\-/]*)\s*:\s*/g;

/** A Pulumi stack settings file, where `pulumi config set` writes. */
export const PULUMI_STACK_FILE = /(?:^|\/)Pulumi\.[^/]+\.ya?ml$/;

function unquote(key: string): string {
  return /^["']/.test(key) ? key.slice(1, -1) : key;
}

/** Where a value starting at `from` ends: a quoted string, a bracketed group, or up to the next `,`, `}` or `]` (flow) or the line's end. */
function valueEnd(line: string, from: number, flow: boolean): number {
  const first = line[from];
  if (first === '"' || first === "'") {
    for (let at = from + 1; at < line.length; at++) {
      if (first === '"' && line[at] === '\\') at++;
      else if (line[at] === first) return at + 1;
    }
    return line.length;
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    let quote: string | null = null;
    for (let at = from; at < line.length; at++) {
      const char = line[at]!;
      if (quote) {
        if (char === '\\' && quote === '"') at++;
        else if (char === quote) quote = null;
      } else if (char === '"' || char === "'") quote = char;
      else if (char === '{' || char === '[') depth++;
      else if ((char === '}' || char === ']') && --depth === 0) return at + 1;
    }
    return line.length;
  }
  if (!flow) return line.length;
  const stop = line.slice(from).search(/\s*(?:[,}\]]|$)/);
  return from + stop;
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

/** A value that opens a nested block on the following lines: nothing, a block scalar indicator, or an unclosed `{`/`[`. */
function opensBlock(value: string): boolean {
  if (value === '' || /^[|>][-+0-9]*(?:\s+#.*)?$/.test(value)) return true;
  return /^[{[]/.test(value) && valueEnd(value, 0, true) === value.length && !/[}\]]\s*,?$/.test(value);
}

/** Credential-named keys on one line: every value under one is redacted (flow and JSON forms). */
function redactFlowValues(line: string): string {
  let out = '';
  let last = 0;
  FLOW_KEY.lastIndex = 0;
  for (let match = FLOW_KEY.exec(line); match; match = FLOW_KEY.exec(line)) {
    const from = match.index + match[0].length;
    if (!CREDENTIAL_KEY.test(unquote(match[2]!))) continue;
    const end = valueEnd(line, from, true);
    const value = line.slice(from, end).trim();
    if (EMPTY_VALUE.test(value)) continue;
    out += line.slice(last, from) + REDACTED;
    last = end;
    FLOW_KEY.lastIndex = Math.max(end, FLOW_KEY.lastIndex);
  }
  return out + line.slice(last);
}

/** One line on its own: Pulumi secrets, credential-named keys, then the detectors. */
export function redactLine(line: string): string {
  const pulumi = line.replace(PULUMI_SECRET, `$1${REDACTED}`);
  if (pulumi !== line) return pulumi;
  const block = BLOCK_KEY.exec(line);
  if (block && CREDENTIAL_KEY.test(unquote(block[2]!))) {
    const from = block[0].length + indentOf(line.slice(block[0].length));
    const value = line.slice(from);
    const bare = value.replace(/,$/, '');
    if (!EMPTY_VALUE.test(bare) && !opensBlock(value)) return `${line.slice(0, from)}${REDACTED}${value.endsWith(',') ? ',' : ''}`;
  }
  const flow = redactFlowValues(line);
  if (flow !== line) return flow;
  if (!mayHoldCredential(line)) return line;
  const keyed = KEYED.exec(line);
  return keyed ? `${keyed[1]}${REDACTED}` : REDACTED;
}

/** The entry lines of a stack file's top-level `config:` mapping: index, key and indentation. */
function configEntries(lines: readonly string[]): Array<{ index: number; key: string; indent: number }> {
  const entries: Array<{ index: number; key: string; indent: number }> = [];
  let inConfig = false;
  let entryIndent = -1;
  lines.forEach((line, index) => {
    if (/^\s*(?:#.*)?$/.test(line)) return;
    const indent = indentOf(line);
    if (indent === 0) {
      inConfig = /^["']?config["']?\s*:\s*$/.test(line);
      entryIndent = -1;
      return;
    }
    if (!inConfig) return;
    if (entryIndent === -1) entryIndent = indent;
    if (indent !== entryIndent) return;
    const key = BLOCK_KEY.exec(line);
    entries.push({ index, key: key ? unquote(key[2]!.trim()) : line.trim(), indent });
  });
  return entries;
}

/** A redacted stand-in for a whole line, keeping its indentation and key. */
function redactWhole(line: string): string {
  const key = BLOCK_KEY.exec(line);
  if (!key) return `${/^\s*(?:-\s+)?/.exec(line)![0]}${REDACTED}`;
  const rest = line.slice(key[0].length).trim();
  return rest === '' || opensBlock(rest) ? line : `${key[0]} ${REDACTED}`;
}

/**
 * Each line of a file as shown in a diff (same count as splitLines, terminators dropped).
 * `renderedConfigKeys`: for a Pulumi stack file, the config keys the render writes; every other
 * config entry is the operator's and shown redacted.
 */
export function redactFile(path: string, text: string, renderedConfigKeys: ReadonlySet<string> | null): string[] {
  const lines = text.split(/(?<=\n)/).map((line) => line.replace(/\n$/, ''));
  if (lines.length === 1 && lines[0] === '' && text === '') lines.pop();
  const hidden = new Set<number>();
  // A nested block under a credential-named key (`password: |`, `token:` then a mapping, `"auths": {`).
  lines.forEach((line, index) => {
    const block = BLOCK_KEY.exec(line);
    if (!block || !CREDENTIAL_KEY.test(unquote(block[2]!))) return;
    if (!opensBlock(line.slice(block[0].length).trim())) return;
    hideNested(lines, index, hidden);
  });
  if (PULUMI_STACK_FILE.test(path)) {
    for (const entry of configEntries(lines)) {
      if (renderedConfigKeys?.has(entry.key)) continue;
      hidden.add(entry.index);
      hideNested(lines, entry.index, hidden);
    }
  }
  return lines.map((line, index) => (hidden.has(index) ? redactWhole(line) : redactLine(line)));
}

/** Lines below `index` indented deeper than it (blank lines included), up to the first that is not. */
function hideNested(lines: readonly string[], index: number, hidden: Set<number>): void {
  const indent = indentOf(lines[index]!) + (/^\s*-\s/.test(lines[index]!) ? 2 : 0);
  for (let at = index + 1; at < lines.length; at++) {
    const line = lines[at]!;
    if (line.trim() !== '' && indentOf(line) <= indent) break;
    hidden.add(at);
  }
}

/**
 * The config keys a rendered stack file sets. Not the `secure:` entries a render carries over from
 * the earlier stack file (carry-over.ts): those are the operator's, and so is anything beside them there.
 */
export function stackConfigKeys(text: string | null): Set<string> {
  if (text === null) return new Set();
  const lines = text.split(/\r?\n/);
  const carried = (index: number) => /:\s*\{\s*["']?secure["']?\s*:/.test(lines[index]!) || /^\s*["']?secure["']?\s*:/.test(lines[index + 1] ?? '');
  return new Set(
    configEntries(lines)
      .filter((entry) => !carried(entry.index))
      .map((entry) => entry.key),
  );
}
