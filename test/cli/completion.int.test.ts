/**
 * installctl completion bash|zsh|fish: every command and flag is in every script, each script
 * parses, and bash completes what a user types. zsh and fish are not installed on the CI image:
 * their scripts are parsed by bash -n where the syntax is shared (zsh) and checked for balanced
 * blocks and quotes (zsh, fish).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';

interface Catalog {
  commands: Array<{ id: string; flags: Array<{ name: string; char: string | null; options: string[] }> }>;
}
const catalog = runCli(['help', '--json']).json<Catalog>();
const scripts = Object.fromEntries((['bash', 'zsh', 'fish'] as const).map((shell) => [shell, runCli(['completion', shell]).stdout])) as Record<'bash' | 'zsh' | 'fish', string>;
const dir = mkdtempSync(join(tmpdir(), 'installctl-completion-'));
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

/** sh and zsh: no escapes inside '...'; fish: \\ and \' are. */
const SH_QUOTES = /\\.|'[^']*'|"(?:[^"\\]|\\.)*"/g;
const FISH_QUOTES = /\\.|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

/** Block keywords and quotes balance, line by line, the way a shell parser would first reject a broken script. */
function structureProblems(script: string, blocks: Array<[RegExp, RegExp]>, quotes: RegExp): string[] {
  const problems: string[] = [];
  const stack: number[] = [];
  script.split('\n').forEach((raw, index) => {
    if (/^\s*#/.test(raw)) return;
    const line = raw.replace(quotes, 'Q');
    if (/['"]/.test(line)) problems.push(`line ${index + 1}: unbalanced quote`);
    blocks.forEach(([open, close], kind) => {
      for (const _ of line.matchAll(open)) stack.push(kind);
      for (const _ of line.matchAll(close)) if (stack.pop() !== kind) problems.push(`line ${index + 1}: unexpected ${close}`);
    });
  });
  if (stack.length) problems.push(`${stack.length} block(s) never closed`);
  return problems;
}

describe('installctl completion', () => {
  it.each(['bash', 'zsh', 'fish'] as const)('%s: names every command word and every flag', (shell) => {
    const script = scripts[shell];
    expect(script.length).toBeGreaterThan(500);
    for (const command of catalog.commands) {
      for (const word of command.id.split(' ')) expect(script, `${shell}: ${command.id}`).toMatch(new RegExp(`(^|[\\s'(|])${word}([\\s'|:)]|$)`, 'm'));
      for (const flag of command.flags) {
        const spelled = shell === 'fish' ? `-l ${flag.name}` : `--${flag.name}`;
        expect(script, `${shell}: ${command.id} --${flag.name}`).toContain(spelled);
        if (flag.char) expect(script, `${shell}: ${command.id} -${flag.char}`).toContain(shell === 'fish' ? `-s ${flag.char}` : `-${flag.char}`);
        for (const option of flag.options) expect(script, `${shell}: --${flag.name} ${option}`).toContain(option);
      }
    }
  });

  it.each(['bash', 'zsh'] as const)('%s: bash -n parses the script (zsh: written in the syntax both shells share)', (shell) => {
    const file = join(dir, `${shell}.sh`);
    writeFileSync(file, scripts[shell]);
    const run = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('zsh: blocks and quotes balance (and zsh -n parses it where zsh is installed)', () => {
    expect(
      structureProblems(
        scripts.zsh,
        [
          [/\{\s*$/g, /^\s*\}/g],
          [/\bcase\b/g, /\besac\b/g],
          [/\bdo\b/g, /\bdone\b/g],
          [/\bthen\b/g, /\bfi\b/g],
        ],
        SH_QUOTES,
      ),
    ).toEqual([]);
    if (has('zsh')) {
      const file = join(dir, '_installctl');
      writeFileSync(file, scripts.zsh);
      expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    }
  });

  it('fish: blocks and quotes balance, every line is a fish statement (and fish -n parses it where fish is installed)', () => {
    const opens = /^\s*(function|if|for|switch|while|begin)\b/g;
    expect(structureProblems(scripts.fish, [[opens, /^\s*end\b/g]], FISH_QUOTES)).toEqual([]);
    const statements = /^\s*(#.*|function .*|end|if .*|else|for .*|set .*|continue|break|echo .*|test .*|complete -c installctl .*|)$/;
    expect(scripts.fish.split('\n').filter((line) => !statements.test(line))).toEqual([]);
    if (has('fish')) {
      const file = join(dir, 'installctl.fish');
      writeFileSync(file, scripts.fish);
      expect(spawnSync('fish', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    }
  });

  it('bash: completes commands, topics, flags, flag values, help subjects and falls back to files', () => {
    const file = join(dir, 'complete.sh');
    writeFileSync(file, scripts.bash);
    const cases: Array<[string, string]> = [
      ['installctl ', 'bundle completion conformance help init matrix preflight render status support-bundle upgrade validate version'],
      ['installctl bu', 'bundle'],
      ['installctl bundle ', 'create keygen push verify'],
      ['installctl bundle push --re', '--registry --retries'],
      ['installctl matrix --format ', 'table markdown grid csv json github-actions'],
      ['installctl matrix ', 'explain'],
      ['installctl conformance --helm ', '3 4 both'],
      ['installctl completion ', 'bash zsh fish'],
      ['installctl help ', 'bundle completion conformance help init matrix preflight render status support-bundle upgrade validate version'],
      ['installctl help bundle ', 'create keygen push verify'],
      ['installctl support-bundle ', 'analyze'],
      ['installctl upgrade ', 'apply-spec plan'],
      ['installctl render --out ', ''],
      ['installctl validate ', ''],
      ['installctl status --', '--json --spec --help'],
      ['installctl init -', '--customer --force --json --models --name --network --out -o --platform --scm --help'],
      // init's and matrix's dimension flags complete the support matrix's values, not file names.
      ['installctl init --platform ', 'aws azure gcp onprem'],
      ['installctl init --scm ', 'github github-enterprise-server gitlab-self-managed bitbucket-data-center'],
      ['installctl init --models s', 'saas-api self-hosted'],
      ['installctl init --network ', 'connected air-gapped'],
      ['installctl matrix --platform a', 'aws azure'],
      ['installctl matrix --status ', 'supported conditional unsupported'],
      ['installctl bundle create --platform ', ''],
      // --flag=value: split at = by COMP_WORDBREAKS (--flag, =, value), or one word when = is not a break.
      ['installctl init --platform = a', 'aws azure'],
      ['installctl init --network =', 'connected air-gapped'],
      ['installctl init --models=self', '--models=self-hosted'],
      ['installctl matrix --format=j', '--format=json'],
    ];
    const program = [
      `source ${file}`,
      ...cases.map(([line]) => {
        const words = line.split(' ');
        return `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _installctl; echo "\${COMPREPLY[*]}"`;
      }),
    ].join('\n');
    const run = spawnSync('bash', ['-c', program], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const got = run.stdout.split('\n').slice(0, cases.length);
    cases.forEach(([line, expected], index) => expect(got[index]!.split(' ').filter(Boolean).sort(), line).toEqual(expected.split(' ').filter(Boolean).sort()));
  });

  it('--json prints {shell, script}; an unknown shell is USAGE, exit 2', () => {
    const json = runCli(['completion', 'fish', '--json']);
    expectSchemaDef('cli-output.schema.json', 'completion', json.json());
    expect(json.json().script).toBe(scripts.fish);
    const bad = runCli(['completion', 'powershell', '--json']);
    expect(bad.status).toBe(2);
    expect(bad.json().error.code).toBe('USAGE');
  });
});
