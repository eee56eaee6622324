/**
 * What a call refused with: the code of the UserError it threw, or null when it returned. A lower
 * layer's CodedError (an OciError) counts as the UserError the service boundary makes of it.
 */
import { expect } from 'vitest';
import { asUserError, CodedError, UserError } from '../../cli/lib/errors.js';

/** Any other error escaping is a bug in installctl and fails the test; with exitCode, the error's exit code is checked too. */
export function userErrorCode(run: () => unknown, exitCode?: number): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    if (exitCode !== undefined) expect((asUserError(error) as UserError).exitCode).toBe(exitCode);
    return error.code;
  }
}

/** The UserError a call refused with, whole (code, message, hint, details); a call that returns fails the test. */
export function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof CodedError) return asUserError(error) as UserError;
    throw error;
  }
  throw new Error('accepted');
}
