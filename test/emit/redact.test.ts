/** What render --diff shows of a line: secret-bearing values are [redacted], everything else as is. */
import { describe, expect, it } from 'vitest';
import { REDACTED, redactFile, redactLine, stackConfigKeys } from '../../cli/emit/redact.js';

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
    // A credential-named key hides its value whatever its shape: no detector knows these.
    ['a plain password', 'password: hunter2', `password: ${REDACTED}`],
    ['a quoted admin password', 'adminPassword: "Summer2024!"', `adminPassword: ${REDACTED}`],
    ['a list item password', '  - password: x', `  - password: ${REDACTED}`],
    ['a JSON password', '  "password": "hunter2",', `  "password": ${REDACTED},`],
    ['a docker config auth', '{"auths":{"r.io":{"auth":"Ym9iOnB3"}}}', `{"auths":${REDACTED}}`],
    ['a flow mapping token', '{ user: bob, token: abc }', `{ user: bob, token: ${REDACTED} }`],
    ['a credential key in upper case', 'API_KEY: k', `API_KEY: ${REDACTED}`],
    ['a secret reference (a name, but under a credential-named key)', '  secretName: scm-credentials', `  secretName: ${REDACTED}`],
  ])('redacts %s', (_, line, shown) => {
    expect(redactLine(line)).toBe(shown);
  });

  it.each([
    ['a digest', '  digest: sha256:5d2e8c1f0a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d'],
    ['a manifest hash', '      "sha256": "838497571dae4e851dcf0a28661d0c705c7682209d1833452b23fdf977a994dd",'],
    ['a replica count', '  replicas: 4'],
    ['a shell line', 'kubectl -n acme-gov-platform get pods'],
    ['an empty line', ''],
    ['an empty credential value', '  password: ""'],
    ['a null credential value', '  kmsKeyArn: null'],
    ['a boolean under a credential-named key', '  authEnabled: true'],
    ['a comment naming a token', '#   pulumi config set --secret installctl:redisAuthToken   # ElastiCache AUTH token: 16-128 printable characters'],
  ])('keeps %s', (_, line) => {
    expect(redactLine(line)).toBe(line);
  });
});

describe('redactFile', () => {
  const stack = ['config:', '  aws:region: eu-west-1', '  installctl:install:', '    name: prod', ''].join('\n');
  it.each([
    ['an operator config value', 'pulumi/Pulumi.prod.yaml', `${stack}  aws:profile: admin\n`, [4], '  aws:profile: [redacted]'],
    ['an operator config block', 'pulumi/Pulumi.prod.yaml', `${stack}  installctl:extra:\n    a: b\n`, [5], '    a: [redacted]'],
    ['a block scalar under a password', 'values.yaml', 'password: |\n  hunter2\nnext: 1\n', [1], `  ${REDACTED}`],
    ['a JSON object under auths', 'config.json', '{\n  "auths": {\n    "r": "x"\n  }\n}\n', [2], `    "r": ${REDACTED}`],
  ])('redacts %s', (_, path, text, indexes, shown) => {
    const lines = redactFile(path, text, stackConfigKeys(stack));
    for (const index of indexes) expect(lines[index]).toBe(shown);
  });

  it('keeps the config the render writes and lines after a block', () => {
    const lines = redactFile('pulumi/Pulumi.prod.yaml', `${stack}`, stackConfigKeys(stack));
    expect(lines.slice(0, 4)).toEqual(stack.split('\n').slice(0, 4));
    expect(redactFile('v.yaml', 'password: |\n  x\nnext: 1\n', null)[2]).toBe('next: 1');
  });
});
