import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../cli/lib/base-command.js';
import { UserError, type ErrorJson } from '../../cli/lib/errors.js';
import type { ErrorOutput } from '../../cli/generated/cli-output.js';
import { expectSchemaDef } from '../helpers/schemas.js';

interface ProbeResult {
  said: string;
  code: number;
}

/** A command as the real ones are: run() returns its result and shows its text with done(). */
class Probe extends BaseCommand<ProbeResult> {
  static override flags = { code: Flags.integer({ default: 0 }) };

  async run(): Promise<ProbeResult> {
    const { flags } = await this.parse(Probe);
    return this.done({ said: 'hi \u001b[31mred', code: flags.code }, (result) => `said ${result.said}`, flags.code);
  }

  fail(error: Error) {
    return this.catch(error);
  }

  /** As oclif runs a command: run(), then the result under --json. */
  start() {
    return this._run<ProbeResult>();
  }
}

/** Just enough of oclif's Config for a command to parse and run outside the CLI. */
const config = {
  bin: 'installctl',
  topicSeparator: ':',
  scopedEnvVar: () => undefined,
  scopedEnvVarKey: (key: string) => `INSTALLCTL_${key}`,
  runHook: async () => ({ successes: [], failures: [] }),
} as never;

function captureOutput() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { stdout: () => out.join(''), stderr: () => err.join('') };
}

function capture(argv: string[], error: Error) {
  const output = captureOutput();
  const probe = new Probe(argv, config);
  return probe.fail(error).then(() => ({ stdout: output.stdout(), stderr: output.stderr(), exitCode: process.exitCode }));
}

async function runProbe(argv: string[]) {
  const output = captureOutput();
  const returned = await new Probe(argv, config).start();
  return { returned, stdout: output.stdout(), stderr: output.stderr(), exitCode: process.exitCode };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('BaseCommand results', () => {
  it('prints the human text of the result run() returns, escaped, with the exit code done() was given', async () => {
    const run = await runProbe(['--code', '1']);
    expect(run.returned).toEqual({ said: 'hi \u001b[31mred', code: 1 });
    expect(run.stdout).toBe('said hi \\x1b[31mred\n');
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
  });

  it('with --json prints the returned result once, as installctl prints JSON (escaped, two-space indent), and no text', async () => {
    const run = await runProbe(['--json', '--code', '3']);
    expect(run.stdout).toBe('{\n  "said": "hi \\u001b[31mred",\n  "code": 3\n}\n');
    expect(JSON.parse(run.stdout)).toEqual(run.returned);
    expect(run.exitCode).toBe(3);
  });
});

describe('BaseCommand error handling', () => {
  it('prints a user error as code, message and hint, with its exit code', async () => {
    const result = await capture([], new UserError('no such file: x.yaml', { code: 'FILE_NOT_FOUND', hint: 'check the path' }));
    expect(result.stderr).toBe('installctl: error[FILE_NOT_FOUND]: no such file: x.yaml\n  hint: check the path\n');
    expect(result.exitCode).toBe(2);
  });

  it('prints a user error as JSON with --json', async () => {
    const result = await capture(['--json'], new UserError('bad', { code: 'USAGE' }));
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: 'USAGE', message: 'bad', hint: null } });
    expectSchemaDef('cli-output.schema.json', 'error', JSON.parse(result.stdout));
  });

  it('reports anything else as a bug in one line, exit 70, without a stack trace', async () => {
    const result = await capture([], new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^installctl: this is a bug: Cannot read properties/);
    expect(result.stderr).not.toMatch(/\bat \S+:\d+/);
    expect(result.exitCode).toBe(70);
  });

  it('reports a bug as JSON with code BUG under --json', async () => {
    const result = await capture(['--json'], new Error('boom'));
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: 'BUG', message: 'installctl: this is a bug: boom. Please report it with the command you ran.', hint: null } });
    expectSchemaDef('cli-output.schema.json', 'error', JSON.parse(result.stdout));
    expect(result.exitCode).toBe(70);
  });

  it("prints errors in the shape of cli-output's error entry (cli/lib cannot import the generated type: the compiler compares them here)", () => {
    expectTypeOf<ErrorJson>().toMatchTypeOf<ErrorOutput>();
    const json: ErrorOutput = { error: { code: 'USAGE', message: 'bad', hint: null, details: { cell: 'x' } } };
    expectSchemaDef('cli-output.schema.json', 'error', json);
  });
});
