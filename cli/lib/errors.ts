/**
 * The two error kinds installctl knows. A UserError is something the person running the tool can fix
 * (bad input, wrong flag, missing file): it carries a stable code, a hint and an exit code. Anything
 * else that escapes a service is a bug in installctl and is reported as such, without a stack trace
 * unless INSTALLCTL_DEBUG is set.
 */

export const ExitCode = {
  ok: 0,
  invalid: 1,
  usage: 2,
  bug: 70,
} as const;

export interface UserErrorOptions {
  code: string;
  hint?: string;
  exitCode?: number;
  /** Extra structured detail for --json output (e.g. alternatives for an unsupported cell). */
  details?: Record<string, unknown>;
}

export class UserError extends Error {
  readonly code: string;
  readonly hint: string | null;
  readonly exitCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options: UserErrorOptions) {
    super(message);
    this.name = 'UserError';
    this.code = options.code;
    this.hint = options.hint ?? null;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.details = options.details;
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
