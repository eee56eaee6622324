/** What render --diff shows of a line: secret-bearing values are [redacted], everything else as is. */
import { describe, expect, it } from 'vitest';
import { REDACTED, redactLine } from '../../cli/render/redact.js';

const TOKEN = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';

describe('redactLine', () => {
  it.each([
    ['a Pulumi secure value', '    secure: v1:Zm9vYmFyYmF6cXV4Y29ycmVjdGhvcnNl', `    secure: ${REDACTED}`],
    ['a secure value in a flow mapping', '  installctl:token: { secure: "v1:abc==" }', `  installctl:token: { secure: ${REDACTED} }`],
    ['the encryption salt', 'encryptionsalt: v1:lWc3bT1b1qE=:v1:x9+abc:Zk3==', `encryptionsalt: ${REDACTED}`],
    ['an encrypted key', 'encryptedkey: dmF1bHQ6djE6c29tZXRoaW5n', `encryptedkey: ${REDACTED}`],
    ['a token in a keyed value', `  token: ${TOKEN}`, `  token: ${REDACTED}`],
    ['a token in free text', `paste ${TOKEN} here`, REDACTED],
    ['a password in a URL', '  url: https://admin:s3cretPassw0rd@git.acme.internal', `  url: ${REDACTED}`],
    ['a JSON secure value', '      "secure": "v1:abc"', `      "secure": ${REDACTED}`],
  ])('redacts %s', (_, line, shown) => {
    expect(redactLine(line)).toBe(shown);
  });

  it.each([
    ['a digest', '  digest: sha256:5d2e8c1f0a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d'],
    ['a manifest hash', '      "sha256": "838497571dae4e851dcf0a28661d0c705c7682209d1833452b23fdf977a994dd",'],
    ['a replica count', '  replicas: 4'],
    ['a secret reference', '  secretName: scm-credentials'],
    ['a shell line', 'kubectl -n acme-gov-platform get pods'],
    ['an empty line', ''],
  ])('keeps %s', (_, line) => {
    expect(redactLine(line)).toBe(line);
  });
});
