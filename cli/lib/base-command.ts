/**
 * What every installctl command shares: --json through oclif's JSON flow, one way to print
 * results, and error handling that turns user errors into a code, a message, a hint and an exit
 * code, and anything else into a short "this is a bug" line (the stack only with
 * INSTALLCTL_DEBUG=1). Everything printed goes through visible-text: a value echoed in a message
 * (an unknown key, a file name) cannot send escape sequences, \r or bidi controls to the terminal;
 * JSON is escaped the same way.
 *
 * A command's run() returns its Result, a type generated from its schemas/cli-output.schema.json
 * $defs entry (cli/generated/cli-output.ts), so the --json shape has one source: oclif prints the
 * returned result under --json (logJson below), and the command prints its human text with done().
 */
import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import { isUserError, toErrorJson, UserError, type ErrorJson } from './errors.js';
import { EXIT_OK, exitCodeOf } from './error-catalogue.js';
import { jsonText, visible, visibleLine } from './visible-text.js';

export abstract class BaseCommand<Result extends object> extends Command {
  static override enableJsonFlag = true;

  abstract override run(): Promise<Result>;

  /**
   * Prints a result's human text (not with --json: oclif prints the result run() returns) and sets
   * the exit code, which is the same with and without --json.
   */
  protected done<Shown extends Result>(result: Shown, format: (result: Shown) => string, exitCode: number = EXIT_OK): Shown {
    if (!this.jsonEnabled()) {
      const body = visible(format(result));
      if (body) process.stdout.write(body.endsWith('\n') ? body : body + '\n');
    }
    process.exitCode = exitCode;
    return result;
  }

  /** oclif's JSON printer, as installctl prints JSON: two-space indent, invisible characters escaped, no colour. */
  protected override logJson(json: unknown): void {
    process.stdout.write(jsonText(json, 2) + '\n');
  }

  protected override toSuccessJson(result: Result): Result {
    return result;
  }

  /**
   * A failure under --json: a user error with its code and hint, anything else as BUG
   * (cli-output.schema.json#/$defs/error; cli/lib imports no generated types, a test checks they agree).
   */
  protected override toErrorJson(error: unknown): ErrorJson {
    if (isUserError(error)) return toErrorJson(error);
    return { error: { code: 'BUG', message: bugMessage(error), hint: null } };
  }

  protected override async catch(error: Error & { oclif?: { exit?: number } }): Promise<void> {
    if (error instanceof Errors.ExitError) throw error;
    let userError: UserError;
    if (isUserError(error)) userError = error;
    else if (error instanceof Errors.CLIError && error.oclif?.exit !== undefined) {
      // Flag and argument parsing failures from oclif.
      userError = new UserError(error.message.replace(/\s*See more help with --help$/m, ''), {
        code: 'USAGE',
        hint: `see installctl ${(this.id ?? '').replace(/:/g, ' ')} --help`.replace(/\s+--help/, ' --help'),
      });
    } else {
      process.exitCode = exitCodeOf('BUG');
      if (this.jsonEnabled()) this.logJson(this.toErrorJson(error));
      else process.stderr.write(visible(bugMessage(error)) + '\n');
      if (process.env.INSTALLCTL_DEBUG) process.stderr.write(`${visible(error.stack ?? '')}\n`);
      return;
    }
    process.exitCode = userError.exitCode;
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(userError));
      return;
    }
    // installctl's own messages are one line, so a value in one cannot start a line of its own;
    // oclif's usage messages have line breaks of their own.
    const shown = isUserError(error) ? visibleLine : visible;
    const lines = [`installctl: error[${userError.code}]: ${shown(userError.message)}`];
    if (userError.hint) lines.push(`  hint: ${shown(userError.hint)}`);
    process.stderr.write(lines.join('\n') + '\n');
  }
}

function bugMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || String(error) : String(error);
  return `installctl: this is a bug: ${text}. Please report it with the command you ran.`;
}
