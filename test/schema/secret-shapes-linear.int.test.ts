/**
 * Secret detection runs over every string and key of a spec (up to 1 MiB) and decides what messages
 * may quote of relocation maps and conformance reports (strings of up to 16 MiB). It must cost time
 * linear in the length: a regex that restarts at every offset of a long run is quadratic, and the
 * ones found here were (a scheme pattern on a long word, the JWT pattern on "ey-ey-ey-...", the AWS
 * secret check rescanning the text per candidate), and one overflowed V8's regex stack on an 8 MiB
 * run. The grid below repeats each detector's own prefix with every separator: a quadratic detector
 * takes tens of seconds at 256 KiB, a linear one milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { findSecretShape, mayHoldCredential } from '../../cli/schema/secret-shapes.js';
import { showValue, VALUE_NOT_SHOWN } from '../../cli/schema/show-value.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Each detector's fixed parts, and the characters that end or continue its runs. */
const PREFIXES = [
  'ey',
  'ghp_',
  'github_pat_',
  'glpat-',
  'ATATT3',
  'sk-',
  'sk-ant-api03-',
  'AKIA',
  'AIza',
  'hf_',
  'api_org_',
  'xoxb-',
  'hooks.slack.com/services/',
  '.webhook.office.com/webhookb2/',
  'npm_',
  'pypi-AgEIcHlwaS5vcmc',
  'dckr_pat_',
  'AKCp',
  'cmVmd',
  'hvs.',
  'abc1Q~',
  'sk_live_',
  '-----BEGIN ',
  'http://',
  'a:',
  'a!',
  '?token=',
  '&sig=',
  'password=',
  'secret: ',
  'aws',
  'Ab1+',
  'a/',
];
const SEPARATORS = ['', '-', '_', '.', '/', ' ', ':', '=', '+', '@', '~', 'A', 'a1'];

describe('secret detection is linear in the length of a string', () => {
  it.each(PREFIXES)(
    '%j repeated with every separator (256 KiB each)',
    (prefix) => {
      for (const separator of SEPARATORS) {
        const text = fill(prefix + separator, 256 * KiB);
        findSecretShape(text);
        expect(typeof mayHoldCredential(text)).toBe('boolean');
      }
    },
    15_000,
  );

  it('random 40-character words across a 1 MiB value (the AWS secret candidates)', () => {
    // No W or T in either case: random text never spells the "aws" or "secret" context the detector looks for.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSUVXYZabcdefghijklmnopqrsuvxyz0123456789';
    let state = 7;
    const word = () => Array.from({ length: 40 }, () => alphabet[(state = (state * 48271) % 2147483647) % alphabet.length]).join('');
    const text = Array.from({ length: Math.floor(MiB / 41) }, word).join(' ');
    expect(findSecretShape(text)).toBeNull();
    expect(findSecretShape(`aws ${text}`)?.id).toBe('aws-secret-access-key');
  }, 15_000);

  it('an 8 MiB run of key characters (once a regex stack overflow: exit 70)', () => {
    expect(mayHoldCredential(fill('a', 8 * MiB))).toBe(false);
    expect(mayHoldCredential(fill('aB3', 8 * MiB))).toBe(false);
  }, 15_000);

  it('quoting a 16 MiB hostile value in a message checks its head only, and hides a credential there', () => {
    expect(showValue(fill('ey-', 16 * MiB))).toMatch(/^"(ey-)+e?y?-?\.\.\."$/);
    expect(showValue(`https://bob:pa55word@registry.acme.internal ${fill('a!', 16 * MiB)}`)).toBe(VALUE_NOT_SHOWN);
  }, 15_000);

  it('still finds a credential at the end of a long value', () => {
    expect(findSecretShape(`${fill('a ', MiB)} https://bob:pa55word@registry.acme.internal`)?.id).toBe('url-credentials');
    expect(findSecretShape(`${fill('ey-', MiB)} token_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig`)?.id).toBe('jwt');
  }, 15_000);
});
