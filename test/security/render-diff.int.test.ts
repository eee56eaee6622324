/**
 * Adversarial rows for render --diff, which reads the earlier render in --out (operator-writable)
 * and prints it: a listed file replaced by a link, a FIFO, an endless device link, an oversized
 * file, escape sequences and credentials inside a file, a manifest naming files outside --out, a
 * rendered directory replaced by a link. Each row: the exit code, that nothing is
 * followed, hung on or written, and that nothing raw or secret reaches stdout or stderr.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/cli.js';

const SAAS = join(REPO, 'examples', 'aws-github-saas-connected.yaml');
const TOKEN = 'glpat-' + 'Zx8Yw7Vu6Ts5Rq4Po3Nm';
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function rendered(): string {
  const root = mkdtempSync(join(tmpdir(), 'installctl-sec-diff-'));
  const out = join(root, 'out');
  expect(runCli(['render', SAAS, '--out', out]).status).toBe(0);
  return out;
}

const rows: Array<[string, number, (out: string) => void]> = [
  ['a listed file replaced by a link to a secret file', 1, (out) => (rmSync(join(out, 'RUNBOOK.md')), symlinkSync('/etc/shadow', join(out, 'RUNBOOK.md')))],
  ['a listed file replaced by a link to /dev/zero', 1, (out) => (rmSync(join(out, 'images.txt')), symlinkSync('/dev/zero', join(out, 'images.txt')))],
  ['a listed file replaced by a FIFO', 1, (out) => (rmSync(join(out, 'images.txt')), spawnSync('mkfifo', [join(out, 'images.txt')]))],
  ['a listed file over 16 MiB', 2, (out) => truncateSync(join(out, 'RUNBOOK.md'), 17 * 1024 * 1024)],
  ['escape sequences in a listed file', 1, (out) => appendFileSync(join(out, 'RUNBOOK.md'), '\u001b]0;owned\u0007\u001b[2J\u202eevil\r\n')],
  ['a token in a listed file', 1, (out) => appendFileSync(join(out, 'RUNBOOK.md'), `\nexport GITLAB_TOKEN=${TOKEN}\n`)],
  ['a token in the stack file', 1, (out) => appendFileSync(join(out, 'pulumi', 'Pulumi.northwind-prod.yaml'), `  installctl:token:\n    secure: ${TOKEN}\n`)],
  [
    'a manifest listing a file outside --out',
    1,
    (out) => {
      writeFileSync(join(out, '..', 'leak.txt'), 'root:leaked\n');
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      manifest.files.push({ path: '../leak.txt', sha256: '0'.repeat(64), bytes: 12 }, { path: '/etc/passwd', sha256: '0'.repeat(64), bytes: 1 });
      writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));
    },
  ],
  [
    'a rendered directory replaced by a link to another directory',
    1,
    (out) => {
      mkdirSync(join(out, '..', 'elsewhere'));
      writeFileSync(join(out, '..', 'elsewhere', 'Pulumi.yaml'), 'root:leaked\n');
      renameSync(join(out, 'pulumi'), join(out, '..', 'moved'));
      symlinkSync(join(out, '..', 'elsewhere'), join(out, 'pulumi'));
    },
  ],
  ['an unparseable manifest', 1, (out) => writeFileSync(join(out, 'manifest.json'), '{"kind": "RenderManifest", "files": 7}')],
];

describe('render --diff over a hostile earlier render', () => {
  it.each(rows)(
    '%s: exit %i, nothing followed, written or echoed raw',
    (_, status, spoil) => {
      const out = rendered();
      spoil(out);
      const before = readdirSync(join(out, '..')).sort();
      for (const json of [false, true]) {
        const run = runCli(['render', SAAS, '--out', out, '--diff', ...(json ? ['--json'] : [])]);
        expect(run.status, run.stderr).toBe(status);
        // Trouble is the file's cap, not a usage error: a rendered file is far below 16 MiB.
        if (json && status === 2) expect(run.json().error.code).toBe('FILE_TOO_LARGE');
        for (const output of [run.stdout, run.stderr]) {
          expect(CONTROL_CHARACTER.test(output.replace(/\n/g, ''))).toBe(false);
          expect(output).not.toContain(TOKEN);
          expect(output).not.toContain('root:');
        }
      }
      expect(readdirSync(join(out, '..')).sort()).toEqual(before);
    },
    30_000,
  );
});

/**
 * Plaintext an operator put into files of --out: each must be shown as [redacted] on the diff's
 * `-` lines, whatever its shape (the detectors alone recognise none of these).
 */
const STACK = join('pulumi', 'Pulumi.northwind-prod.yaml');
const VALUES = join('helm', 'agent-platform.values.yaml');
const plaintextRows: Array<[string, string, string, string]> = [
  ['a config value set without --secret', STACK, '  installctl:redisAuthToken: hunter2pass\n', 'hunter2pass'],
  ['a provider setting the render does not write', STACK, '  aws:profile: northwind-admin-sso\n', 'northwind-admin-sso'],
  ['a nested operator config value', STACK, '  installctl:extra:\n    opaque: Blue-Ocean-77\n', 'Blue-Ocean-77'],
  ['a list under an operator config key', STACK, '  installctl:seeds:\n    - Quartz-Lantern-5\n', 'Quartz-Lantern-5'],
  ['plaintext beside a secure value pulumi wrote', STACK, '  installctl:extraSetting:\n    secure: v1:abc\n    note: Plain-Beside-9\n', 'Plain-Beside-9'],
  ['password: hunter2', VALUES, 'password: hunter2\n', 'hunter2'],
  ['a quoted admin password', VALUES, 'adminPassword: "Summer2024!"\n', 'Summer2024!'],
  ['a nested password', VALUES, 'db:\n  password: correcthorse\n', 'correcthorse'],
  ['a password in a list item', VALUES, 'users:\n  - password: tr0ub4dor\n', 'tr0ub4dor'],
  ['a block scalar under a token key', VALUES, 'apiToken: |\n  plain-token-value\n', 'plain-token-value'],
  ['a mapping under a credentials key', VALUES, 'credentials:\n  user: bob\n  pw: s3same\n', 's3same'],
  ['a docker config auth', VALUES, 'dockerconfig: {"auths":{"registry.northwind.corp":{"auth":"Ym9iOnMzc2FtZQ=="}}}\n', 'Ym9iOnMzc2FtZQ=='],
  ['a flow mapping secret', VALUES, 'smtp: { host: mail, secret: lettuce42 }\n', 'lettuce42'],
  ['a pretty-printed JSON password', join('pulumi', 'tsconfig.json'), '\n  "password": "pa55-w0rd-json",\n', 'pa55-w0rd-json'],
  ['an auth object in JSON', join('pulumi', 'package.json'), '\n{\n  "auths": {\n    "r.io": { "x": "Ym9iOmhpZGRlbg==" }\n  }\n}\n', 'Ym9iOmhpZGRlbg=='],
  ['an upper-case key', VALUES, 'DB_PASSWORD: UPPERCASE1\n', 'UPPERCASE1'],
  ['a private key value', VALUES, 'sshKey: AAAAC3NzaC1lZDI1\n', 'AAAAC3NzaC1lZDI1'],
];

describe('render --diff redacts plaintext an operator added', () => {
  it.each(plaintextRows)(
    '%s',
    (_, file, text, secret) => {
      const out = rendered();
      appendFileSync(join(out, file), text);
      for (const json of [false, true]) {
        const run = runCli(['render', SAAS, '--out', out, '--diff', ...(json ? ['--json'] : [])]);
        expect(run.status, run.stderr).toBe(1);
        expect(run.stdout).toContain('[redacted]');
        expect(run.stdout + run.stderr).not.toContain(secret);
      }
    },
    30_000,
  );
});
