/** installctl help COMMAND: the same help as COMMAND --help, for every command and topic. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';

const manifest = JSON.parse(readFileSync(join(REPO, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { flags: Record<string, unknown> }> };
const commandIds = Object.keys(manifest.commands).map((id) => id.split(':'));

describe('installctl help', () => {
  it.each(commandIds.map((words) => [words.join(' '), words]))('help %s prints what --help prints', (_id, words) => {
    const help = runCli(['help', ...words]);
    const flag = runCli([...words, '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(flag.status).toBe(0);
    expect(help.stdout).toBe(flag.stdout);
    expect(help.stdout).toContain('USAGE');
  });

  it('help TOPIC lists the topic commands; help alone lists every command', () => {
    const topic = runCli(['help', 'bundle']);
    expect(topic.status, topic.stderr).toBe(0);
    for (const command of ['bundle create', 'bundle keygen', 'bundle push', 'bundle verify']) expect(topic.stdout).toContain(command);
    const root = runCli(['help']);
    expect(root.status, root.stderr).toBe(0);
    expect(root.stdout).toBe(runCli(['--help']).stdout);
  });

  it.each([
    ['a typo', ['bundel', 'push'], 'bundle push'],
    ['a typo of a topic', ['bundel'], 'bundle'],
    ['nothing close', ['frobnicate'], null],
  ])('an unknown command (%s) is USAGE, exit 2, with a did-you-mean', (_case, words, suggestion) => {
    const run = runCli(['help', ...words, '--json']);
    expect(run.status).toBe(2);
    expect(run.json().error.code).toBe('USAGE');
    if (suggestion) expect(run.json().error.hint).toContain(`installctl help ${suggestion}`);
    const text = runCli(['help', ...words]);
    expect(text.status).toBe(2);
    expect(text.stderr).toMatch(/^installctl: error\[USAGE\]/);
    expect(text.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('--json lists the commands a subject covers, with every flag', () => {
    const all = runCli(['help', '--json']);
    expect(all.status, all.stderr).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'help', all.json());
    expect(
      all
        .json()
        .commands.map((command: { id: string }) => command.id)
        .sort(),
    ).toEqual(commandIds.map((words) => words.join(' ')).sort());
    for (const command of all.json().commands as Array<{ id: string; flags: Array<{ name: string }> }>) {
      expect(command.flags.map((flag) => flag.name).sort(), command.id).toEqual(Object.keys(manifest.commands[command.id.replace(/ /g, ':')]!.flags).sort());
    }
    const topic = runCli(['help', 'bundle', '--json']);
    expectSchemaDef('cli-output.schema.json', 'help', topic.json());
    expect(topic.json()).toMatchObject({ subject: 'bundle' });
    expect(topic.json().commands).toHaveLength(4);
  });
});
