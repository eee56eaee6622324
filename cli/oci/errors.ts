/**
 * What the OCI layer throws when its input is wrong (a bundle tar, an image layout, a registry's
 * answer, a Docker config): a catalogue code, a message and a hint, but no exit code. The layer
 * below the command line does not know how installctl exits; the service boundary (withUserErrors
 * in cli/lib/errors.ts) turns an OciError into the UserError the command reports.
 */
import { CodedError } from '../lib/errors.js';
import type { StoppingCode } from '../lib/error-catalogue.js';

/** The codes the OCI layer raises, each documented in the error catalogue. */
export type OciErrorCode = Extract<
  StoppingCode,
  | 'BUNDLE_INVALID'
  | 'BUNDLE_TRUNCATED'
  | 'BUNDLE_SOURCE_INVALID'
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FILE_IS_DIRECTORY'
  | 'FILE_NOT_REGULAR'
  | 'REGISTRY_LOCATION_REFUSED'
  | 'REGISTRY_REALM_REFUSED'
  | 'REGISTRY_TOKEN_INVALID'
  | 'REGISTRY_RESPONSE_TOO_LARGE'
  | 'REGISTRY_CREDENTIAL_HELPER_FAILED'
  | 'USAGE'
>;

export class OciError extends CodedError {
  declare readonly code: OciErrorCode;

  constructor(code: OciErrorCode, message: string, options: { hint?: string; details?: Record<string, unknown> } = {}) {
    super(message, { ...options, code });
    this.name = 'OciError';
  }
}
