/**
 * The two error kinds installctl knows. A UserError is something the person running the tool can fix
 * (bad input, wrong flag, missing file): it carries a stable code, a hint, and the exit code the
 * error catalogue (error-catalogue.ts) gives that code. Anything else that escapes a service is a
 * bug in installctl and is reported as such, without a stack trace unless INSTALLCTL_DEBUG is set.
 *
 * Lower layers that must not know about the command line (cli/oci) throw a CodedError of their own
 * (OciError): a catalogue code, a message and a hint, no exit code. The service boundary turns it
 * into a UserError with asUserError.
 */
import { exitCodeOf, type StoppingCode } from './error-catalogue.js';

export interface UserErrorOptions {
  code: StoppingCode;
  hint?: string;
  /** Extra structured detail for --json output (e.g. alternatives for an unsupported cell). */
  details?: Record<string, unknown>;
}

/** An error with a catalogue code and a hint, but no exit code: what lower layers throw. */
export class CodedError extends Error {
  readonly code: StoppingCode;
  readonly hint: string | null;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options: UserErrorOptions) {
    super(message);
    this.name = 'CodedError';
    this.code = options.code;
    this.hint = options.hint ?? null;
    this.details = options.details;
  }
}

export class UserError extends CodedError {
  /** From the error catalogue: the same code always exits the same way. */
  readonly exitCode: number;

  constructor(message: string, options: UserErrorOptions) {
    super(message, options);
    this.name = 'UserError';
    this.exitCode = exitCodeOf(options.code);
  }
}

/** A lower layer's CodedError as the UserError the command reports; anything else unchanged. */
export function asUserError(error: unknown): unknown {
  if (!(error instanceof CodedError) || error instanceof UserError) return error;
  const userError = new UserError(error.message, { code: error.code, ...(error.hint === null ? {} : { hint: error.hint }), ...(error.details ? { details: error.details } : {}) });
  userError.stack = error.stack;
  return userError;
}

/** Runs a service, turning a lower layer's CodedError into a UserError on the way out. */
export async function withUserErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asUserError(error);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The shape of an error in --json output, for every command. */
export interface ErrorJson {
  error: {
    code: string;
    message: string;
    hint: string | null;
    details?: Record<string, unknown>;
  };
}

export function toErrorJson(error: UserError): ErrorJson {
  const body: ErrorJson['error'] = { code: error.code, message: error.message, hint: error.hint };
  if (error.details) body.details = error.details;
  return { error: body };
}
