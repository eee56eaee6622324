/**
 * Secret detection runs over every string of a spec and every value a message might quote, up to
 * the 1 MiB a spec may hold and the 4 MiB strings a relocation map may carry. One detector once took
 * quadratic time (a scheme pattern tried at every offset of a long word): a 4 MiB string stalled
 * render --relocate for hours. Each hostile shape below is a 1 MiB string; quadratic time is
 * minutes, linear time well under the test's bound.
 */
import { describe, expect, it } from 'vitest';
import { findSecretShape, mayHoldCredential } from '../../cli/spec/secret-shapes.js';

const MiB = 1024 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil(MiB / unit.length)).slice(0, MiB);

const SHAPES: Array<[string, string]> = [
  ['one letter', fill('a')],
  ['upper case', fill('A')],
  ['mixed run', fill('aB3')],
  ['userinfo characters', fill('a!')],
  ['colons', fill('a:')],
  ['colons and at signs', fill('a:b@')],
  ['slashes', fill('a/')],
  ['JWT starts', fill('ey')],
  ['JWT-like parts', fill('eyAAAAAAAAAAAAAAAAAAAA.')],
  ['assignments', fill('password=')],
  ['query parameters', fill('?token=&')],
  ['PEM headers', fill('-----BEGIN ')],
  ['scheme starts', fill('h+')],
  ['spaces', fill('a ')],
];

describe('secret detection is linear in the length of a string', () => {
  it.each(SHAPES)('%s (1 MiB)', (_name, text) => {
    // Two shapes really are credentials ("a:b@" is userinfo, the dotted ey-parts a JWT): found, and fast.
    expect(findSecretShape(text)?.id ?? null).toBe(/^(a:b@)/.test(text) ? 'url-credentials' : text.startsWith('eyAAA') ? 'jwt' : null);
    expect(typeof mayHoldCredential(text)).toBe('boolean');
  }, 20_000);

  it('still finds a credential at the end of a long value', () => {
    expect(findSecretShape(`${fill('a ')} https://bob:pa55word@registry.acme.internal`)?.id).toBe('url-credentials');
  }, 20_000);
});
