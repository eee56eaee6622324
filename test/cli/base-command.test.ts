import { afterEach, describe, expect, it, vi } from 'vitest';
import { BaseCommand } from '../../cli/lib/base-command.js';
import { UserError } from '../../cli/lib/errors.js';

class Probe extends BaseCommand {
  async run(): Promise<void> {}
  fail(error: Error) {
    return this.catch(error);
  }
}

function capture(argv: string[], error: Error) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  const probe = new Probe(argv, { bin: 'installctl', scopedEnvVar: () => undefined } as never);
  return probe.fail(error).then(() => ({ stdout: out.join(''), stderr: err.join(''), exitCode: process.exitCode }));
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
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
    expect(JSON.parse(result.stdout).error.code).toBe('BUG');
  });
});
