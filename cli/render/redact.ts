/**
 * What `render --diff` shows of a line: values that may be secret are replaced by [redacted].
 * The old side of a diff is the directory on disk, where Pulumi wrote `secure:` values and the
 * stack's encryption keys, and an operator may have put anything; a diff is pasted into tickets
 * and CI logs. Redaction only rewrites what is shown: which lines differ is decided on the bytes.
 */
import { mayHoldCredential } from '../spec/secret-shapes.js';

export const REDACTED = '[redacted]';

/** `secure: VALUE`, `encryptionsalt: VALUE`, `encryptedkey: VALUE`, also inside a flow mapping or JSON. */
const PULUMI_SECRET = /((?:^|[\s{,"'])(?:secure|encryptionsalt|encryptedkey)["']?\s*:\s*)("(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s,}]+)/gi;

/** `KEY: VALUE` or `KEY=VALUE`: the key is kept so the reader sees which setting changed. */
const KEYED = /^(\s*(?:-\s+)?["']?[\w.\-/]{1,100}["']?\s*[:=]\s*)\S/;

export function redactLine(line: string): string {
  const pulumi = line.replace(PULUMI_SECRET, `$1${REDACTED}`);
  if (pulumi !== line) return pulumi;
  if (!mayHoldCredential(line)) return line;
  const keyed = KEYED.exec(line);
  return keyed ? `${keyed[1]}${REDACTED}` : REDACTED;
}
