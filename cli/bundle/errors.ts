/**
 * bundleError: the UserError of a bundle problem. Its exit code comes from the error catalogue
 * (cli/lib/error-catalogue.ts), like every other code's, so code and README's "Error codes" table
 * cannot drift apart again (BUNDLE_INVALID once exited 2 while the README said 4).
 */
import { UserError, type UserErrorOptions } from '../lib/errors.js';
import type { StoppingCode } from '../lib/error-catalogue.js';

export type BundleErrorCode = Extract<StoppingCode, `BUNDLE_${string}`>;

export function bundleError(code: BundleErrorCode, message: string, options: Omit<UserErrorOptions, 'code'> = {}): UserError {
  return new UserError(message, { ...options, code });
}
