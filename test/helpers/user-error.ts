/** What a call refused with: the code of the UserError it threw, or null when it returned. */
import { expect } from 'vitest';
import { UserError } from '../../cli/lib/errors.js';

/** Any other error escaping is a bug in installctl and fails the test; with exitCode, the error's exit code is checked too. */
export function userErrorCode(run: () => unknown, exitCode?: number): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (exitCode !== undefined) expect(error.exitCode).toBe(exitCode);
    return error.code;
  }
}

/** The UserError a call refused with, whole (code, message, hint, details); a call that returns fails the test. */
export function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('accepted');
}
