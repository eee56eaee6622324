/** init --customer: every value the spec would refuse is a user error (exit 2, INIT_INVALID_CUSTOMER), never "this is a bug". */
import { describe, expect, it } from 'vitest';
import { CONTROL_CHARACTER } from '../../cli/schema/control-characters.js';
import { runCli } from '../helpers/cli.js';
import { SECRET_SAMPLES } from '../helpers/secrets.js';

const cell = ['--platform', 'aws', '--scm', 'github-enterprise-server', '--models', 'self-hosted', '--network', 'air-gapped'];
const token = SECRET_SAMPLES.find((sample) => sample.detector === 'github-token')!.secret;

const bad: Array<[string, string, string]> = [
  ['empty', '', 'SCHEMA_RANGE'],
  ['only spaces', '   ', 'VALUE_WHITESPACE'],
  ['padded', '  Acme Corp ', 'VALUE_WHITESPACE'],
  ['101 characters', 'A'.repeat(101), 'SCHEMA_RANGE'],
  ['a GitHub token inside', `Acme ${token}`, 'SECRET_LITERAL'],
  ['a password assignment', 'Acme password=Zx81kd0QpL2mWq7', 'SECRET_LITERAL'],
  ['credentials in a URL', 'https://bob:Pa55w0rd@acme.internal', 'SECRET_LITERAL'],
  ['an ANSI escape', 'Acme\u001b[31m Corp', 'VALUE_CONTROL_CHARACTER'],
  ['a newline (Markdown injection)', 'Acme\n```sh\nrm -rf /\n```', 'VALUE_CONTROL_CHARACTER'],
  ['a tab', 'Acme\tCorp', 'VALUE_CONTROL_CHARACTER'],
  ['a bidi override', 'Acme \u202eproC', 'VALUE_CONTROL_CHARACTER'],
  ['a zero-width space', 'Acme\u200bCorp', 'VALUE_CONTROL_CHARACTER'],
  ['a line separator', 'Acme\u2028Corp', 'VALUE_CONTROL_CHARACTER'],
  ['a C1 control', 'Acme\u009bCorp', 'VALUE_CONTROL_CHARACTER'],
  ['a public URL in an air-gapped cell', 'Acme (https://github.com/acme)', 'REQUIRE_NO_PUBLIC_ENDPOINTS'],
];

describe('init --customer', () => {
  it.each(bad)('%s: INIT_INVALID_CUSTOMER, exit 2', (_, customer, cause) => {
    const run = runCli(['init', ...cell, '--customer', customer, '--json']);
    expect(run.status, run.stderr).toBe(2);
    const { error } = run.json();
    expect(error.code).toBe('INIT_INVALID_CUSTOMER');
    expect(error.message).toContain(`(${cause})`);
    expect(error.hint).toBeTruthy();
    const text = runCli(['init', ...cell, '--customer', customer]);
    expect(text.status).toBe(2);
    expect(text.stderr).not.toMatch(/this is a bug/);
    expect(text.stderr).toMatch(/INIT_INVALID_CUSTOMER/);
    for (const output of [text.stdout, text.stderr.replace(/\n/g, ''), run.stdout.replace(/\n/g, '')]) expect(CONTROL_CHARACTER.test(output)).toBe(false);
    if (cause === 'SECRET_LITERAL') for (const output of [text.stdout, text.stderr, run.stdout]) expect(output).not.toMatch(/Pa55w0rd|Zx81kd0QpL2mWq7|ghp_/);
  });

  it('accepts a customer with accents, punctuation and 100 characters', () => {
    for (const customer of ['Zoë & Søn (EMEA) GmbH', 'A'.repeat(100)]) {
      const run = runCli(['init', ...cell, '--customer', customer, '--json']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.json().spec).toContain(JSON.stringify(customer));
    }
  });

  it('--name with an escape sequence is refused without echoing it raw', () => {
    const run = runCli(['init', ...cell, '--name', 'x\u001b[2Jy']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/INIT_INVALID_NAME/);
    expect(run.stderr).not.toContain('\u001b');
  });
});
