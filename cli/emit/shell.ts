/**
 * Shell lines for RUNBOOK.md, built from argv arrays so that no value can be left unquoted: a
 * string is always one word, whatever it holds; shell syntax (pipes, redirections, "$(...)") is
 * written by this code with `syntax()` and `operator()`, never taken from a spec. Each line stays
 * one line, so a Markdown fence cannot be closed from inside it and every line passes `bash -n`.
 * A value cannot become an option either: `option()` joins a value starting with '-' to its flag
 * (--region=-x), and `operand()` values starting with '-' go after `--` at the end of their command.
 */
import { INVISIBLE, visibleLine } from '../lib/visible-text.js';

/** Words that mean the same quoted or not: left bare so the ordinary runbook stays readable. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
const NEEDS_ANSI_C = new RegExp(INVISIBLE.source, 'u');

/** Shell text written by installctl itself: a word (`"$(jq -r .vpcId pulumi-outputs.json)"`) or an operator or redirection (`|`, `&&`, `>`). */
export class ShellSyntax {
  constructor(
    readonly text: string,
    readonly kind: 'word' | 'operator',
  ) {}
}

/** A positional argument that comes from a value (a context, a name). */
export class ShellOperand {
  constructor(readonly value: string) {}
}

export type ShellArg = string | ShellSyntax | ShellOperand;

export const syntax = (text: string): ShellSyntax => new ShellSyntax(text, 'word');
export const operator = (text: string): ShellSyntax => new ShellSyntax(text, 'operator');
export const operand = (value: string): ShellOperand => new ShellOperand(value);

/** `--flag value`, or `--flag=-value` when the value would read as an option. */
export const option = (flag: string, value: string): string[] => (value.startsWith('-') ? [`${flag}=${value}`] : [flag, value]);

/**
 * One shell word with exactly this value: bare when safe, else in single quotes (' as '\''). A
 * value holding a control, format or separator character (newline, ESC, U+202E...) is written as
 * $'...' with those characters as \xHH bytes of their UTF-8 encoding, so the line stays on one line
 * and shows what it holds (bash, zsh and ksh read $'...'; a NUL cannot be passed in argv at all).
 */
export function shellQuote(value: string): string {
  if (SAFE_WORD.test(value)) return value;
  if (!NEEDS_ANSI_C.test(value)) return `'${value.replace(/'/g, `'\\''`)}'`;
  const body = value.replace(new RegExp(`[\\\\']|${INVISIBLE.source}`, 'gu'), (char) => {
    if (char === '\\' || char === "'") return `\\${char}`;
    return [...Buffer.from(char, 'utf8')].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
  });
  return `$'${body}'`;
}

/** One word from parts, e.g. `clusterName=` and the syntax `"$(jq -r .clusterName pulumi-outputs.json)"`. */
export function shellWord(...parts: Array<string | ShellSyntax>): ShellSyntax {
  return syntax(parts.map((part) => (part instanceof ShellSyntax ? part.text : part === '' ? '' : shellQuote(part))).join(''));
}

/** A comment's text: inert after `#`, on one line, every invisible character shown as an escape. */
export const commentText = (text: string): string => visibleLine(text);

/** `# text` as a line of its own. */
export const shellComment = (text: string): string => `# ${commentText(text)}`;

/** The words of one simple command; operands after `--` at its end when one of them starts with '-'. */
function commandWords(args: ShellArg[]): string[] {
  const word = (arg: ShellArg) => (arg instanceof ShellSyntax ? arg.text : shellQuote(arg instanceof ShellOperand ? arg.value : arg));
  if (!args.some((arg) => arg instanceof ShellOperand && arg.value.startsWith('-'))) return args.map(word);
  const operands = args.filter((arg) => arg instanceof ShellOperand);
  return [...args.filter((arg) => !(arg instanceof ShellOperand)).map(word), '--', ...operands.map(word)];
}

/** One shell line: every string in argv is one quoted word; an optional comment follows `   #`. */
export function shellLine(argv: ReadonlyArray<ShellArg>, comment?: string): string {
  const words: string[] = [];
  let command: ShellArg[] = [];
  for (const arg of argv) {
    if (arg instanceof ShellSyntax && arg.kind === 'operator') {
      words.push(...commandWords(command), arg.text);
      command = [];
    } else command.push(arg);
  }
  words.push(...commandWords(command));
  const line = words.join(' ');
  return comment === undefined ? line : `${line}   # ${commentText(comment)}`;
}
