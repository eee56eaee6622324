/**
 * Runs the ```sh blocks of a RUNBOOK.md in bash with every tool stubbed: PATH is empty, each tool
 * the runbook uses is a function that records its argv, and command_not_found_handle records
 * anything else a line would run. Nothing reaches a real cluster, cloud or registry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASH = '/bin/bash';

/** Every external command (and the builtins that touch files or the cwd) a runbook may run. */
export const RUNBOOK_TOOLS = [
  'kubectl',
  'helm',
  'aws',
  'az',
  'gcloud',
  'pulumi',
  'jq',
  'oras',
  'psql',
  'pg_dump',
  'pg_restore',
  'npm',
  'openssl',
  'curl',
  'cat',
  'tr',
  'test',
  'printf',
  'base64',
  'umask',
  'mkdir',
  'cd',
  'installctl',
];

export interface Call {
  tool: string;
  args: string[];
}

export interface SandboxRun {
  calls: Call[];
  /** Commands that were not a stubbed tool: each one ran because a value became shell code. */
  notFound: Call[];
  status: number | null;
  stderr: string;
}

/** The ```sh blocks, in order, as one script. */
export function shellBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (current === null) {
      if (line === '```sh') current = [];
    } else if (line === '```') {
      blocks.push(current.join('\n'));
      current = null;
    } else current.push(line);
  }
  return blocks;
}

/** Logical commands of a block: physical lines joined at a trailing backslash, a here-document with its body. */
export function logicalCommands(block: string): string[] {
  const commands: string[] = [];
  let pending: string[] = [];
  let heredoc: string | null = null;
  for (const line of block.split('\n')) {
    pending.push(line);
    if (heredoc !== null) {
      if (line === heredoc) heredoc = null;
    } else {
      heredoc = /<<-?'?(\w+)'?\s*$/.exec(line)?.[1] ?? null;
      if (heredoc === null && line.endsWith('\\')) continue;
    }
    if (heredoc === null) {
      commands.push(pending.join('\n'));
      pending = [];
    }
  }
  if (pending.length) commands.push(pending.join('\n'));
  return commands;
}

/** The commands `bash -n` refuses (one bash process checks each command in a file of its own). */
export function syntaxErrors(commands: string[]): string[] {
  if (commands.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'installctl-bash-n-'));
  commands.forEach((command, index) => writeFileSync(join(dir, `${index}.sh`), command + '\n'));
  const result = spawnSync(BASH, ['--noprofile', '--norc', '-c', 'for f in "$1"/*.sh; do bash -n "$f" 2>/dev/null || echo "${f##*/}"; done', 'check', dir], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((file) => commands[Number(file.replace('.sh', ''))]!);
}

/** The calls recorded in `dir`, one file per call (concurrent members of a pipeline cannot interleave). */
function readCalls(dir: string): Call[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const [count, tool, ...args] = readFileSync(join(dir, name), 'utf8').split('\0').slice(0, -1);
      if (Number(count) !== args.length + 1) throw new Error(`${dir}/${name}: malformed call record`);
      return { tool: tool!, args };
    });
}

/**
 * Runs the script in `cwd` with the stubs returning `status` (0 or 1: run once with each to take
 * both sides of every || and &&). mkdir really creates directories, so redirections into
 * secrets/ and trust/ reach the next command as they would for an operator.
 */
export function runStubbed(script: string, cwd: string, status: 0 | 1): SandboxRun {
  const logDir = mkdtempSync(join(tmpdir(), 'installctl-stub-log-'));
  const calls = join(logDir, 'calls');
  const notFound = join(logDir, 'not-found');
  mkdirSync(calls);
  mkdirSync(notFound);
  // One file per call, named by the subshell's pid and a counter of its own.
  const record = (dir: string) => `builtin printf '%s\\0' "$#" "$@" > ${JSON.stringify(dir)}/$BASHPID-$((++__n))`;
  const prelude = [
    'PATH=',
    '__n=0',
    `__log() { ${record(calls)}; }`,
    `command_not_found_handle() { ${record(notFound)}; return 127; }`,
    ...RUNBOOK_TOOLS.filter((tool) => tool !== 'mkdir').map((tool) => `${tool}() { __log ${tool} "$@"; return ${status}; }`),
    'mkdir() { __log mkdir "$@"; /bin/mkdir "$@"; }',
  ].join('\n');
  const file = join(logDir, 'runbook.sh');
  writeFileSync(file, `${prelude}\n${script}\n`);
  // Generous: the script takes well under a second, but CI machines are shared.
  const result = spawnSync(BASH, ['--noprofile', '--norc', file], { cwd, encoding: 'utf8', env: { HOME: cwd, LANG: 'C.UTF-8' }, timeout: 120_000 });
  if (result.signal) throw new Error(`the stubbed runbook was killed (${result.signal}) after ${result.stderr}`);
  return { calls: readCalls(calls), notFound: readCalls(notFound), status: result.status, stderr: result.stderr };
}
