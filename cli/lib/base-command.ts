/**
 * What every installctl command shares: --json, one way to print results, and error handling
 * that turns user errors into a code, a message, a hint and an exit code, and anything else into
 * a short "this is a bug" line (the stack only with INSTALLCTL_DEBUG=1). Everything printed goes
 * through visible-text: a value echoed in a message (an unknown key, a file name) cannot send
 * escape sequences, \r or bidi controls to the terminal; JSON is escaped the same way.
 */
import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import { isUserError, toErrorJson, UserError } from './errors.js';
import { EXIT_OK, exitCodeOf } from './error-catalogue.js';
import { jsonText, visible, visibleLine } from './visible-text.js';

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  /** Prints JSON (with --json) or text, and sets the exit code. */
  protected emit(json: unknown, text: () => string, exitCode: number = EXIT_OK): void {
    if (this.jsonEnabled()) process.stdout.write(jsonText(json, 2) + '\n');
    else {
      const body = visible(text());
      if (body) process.stdout.write(body.endsWith('\n') ? body : body + '\n');
    }
    process.exitCode = exitCode;
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
      const message = `installctl: this is a bug: ${error.message || String(error)}. Please report it with the command you ran.`;
      if (this.jsonEnabled()) process.stdout.write(jsonText({ error: { code: 'BUG', message, hint: null } }, 2) + '\n');
      else process.stderr.write(visible(message) + '\n');
      if (process.env.INSTALLCTL_DEBUG) process.stderr.write(`${visible(error.stack ?? '')}\n`);
      return;
    }
    process.exitCode = userError.exitCode;
    if (this.jsonEnabled()) {
      process.stdout.write(jsonText(toErrorJson(userError), 2) + '\n');
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
