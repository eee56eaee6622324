/**
 * The exit code of every bundle error code, in one table: the services build their errors from it
 * and test/bundle/errors.test.ts checks it against README's "Error codes" table, so code and
 * documentation cannot drift apart again (BUNDLE_INVALID once exited 2 while the README said 4).
 */
import { UserError, type UserErrorOptions } from '../lib/errors.js';

export const BUNDLE_ERROR_EXITS = {
  /** Not a bundle: a tar entry, name or JSON document bundle create would not write. */
  BUNDLE_INVALID: 4,
  /** An incomplete copy. */
  BUNDLE_TRUNCATED: 4,
  BUNDLE_BLOB_MISSING: 4,
  BUNDLE_BLOB_CORRUPT: 4,
  /** A blob in the tar that the bundle manifest does not list. */
  BUNDLE_BLOB_EXTRA: 4,
  BUNDLE_SIGNATURE_INVALID: 3,
  BUNDLE_KEY_INVALID: 2,
  /** verify or push without --key (and without --allow-unsigned). */
  BUNDLE_KEY_REQUIRED: 2,
  BUNDLE_SOURCE_INVALID: 2,
  BUNDLE_SOURCE_CORRUPT: 2,
  BUNDLE_IMAGE_MISSING: 2,
} as const;

export type BundleErrorCode = keyof typeof BUNDLE_ERROR_EXITS;

export function bundleError(code: BundleErrorCode, message: string, options: Omit<UserErrorOptions, 'code' | 'exitCode'> = {}): UserError {
  return new UserError(message, { ...options, code, exitCode: BUNDLE_ERROR_EXITS[code] });
}
