/**
 * Whether verify and push check who made a bundle. A bundle is trusted only once its signature
 * verifies with the signer's public key, so --key is required; skipping the check takes an explicit
 * --allow-unsigned, which skips the signature entirely in verify and push alike (FILE.sig is not
 * read: without the key it proves nothing), and then every output says so: a warning on stderr,
 * the `signature` field of --json and of the delivery receipt.
 */
import { bundleError } from './errors.js';

/** The `signature` value of verify and push output, and of the receipt, when --allow-unsigned skipped the check. */
export const SIGNATURE_SKIPPED = 'skipped (--allow-unsigned)';

/** Refuses to go on without a key unless the check was skipped on purpose; offline, before anything else. */
export function requireKey(command: 'verify' | 'push', key: string | null | undefined, allowUnsigned: boolean | undefined): void {
  if (key || allowUnsigned) return;
  throw bundleError('BUNDLE_KEY_REQUIRED', `bundle ${command} needs --key PUB: nothing else proves who made the bundle`, {
    hint: `pass --key PUB (the signer's public key from bundle keygen, obtained separately from the bundle), or --allow-unsigned to ${command} without checking the signature (said in the output${command === 'push' ? ' and the receipt' : ''})`,
  });
}

/** The warning line a command prints on stderr when --allow-unsigned skipped the signature check. */
export function unsignedWarning(command: 'verify' | 'push'): string {
  return `installctl: warning: --allow-unsigned: the bundle's signature is not checked; nothing proves who made what ${command === 'push' ? 'is pushed' : 'was verified'}`;
}
