/**
 * Where a push goes (HOST[:PORT]/PREFIX) and what registry failures mean to the person pushing:
 * each becomes a user error with a stable code and a hint instead of a socket error.
 */
import { asUserError, CodedError, UserError } from '../lib/errors.js';
import { isRegistryTargetProblem, readRegistryTarget, type RegistryTarget } from '../oci/registry-target.js';
import { HttpError, TransientError } from '../oci/http.js';

// The files push writes next to the bundle are named in emit (the runbook names them too): commands reach them here.
export { pushFiles, type PushFiles } from '../emit/push-files.js';

/** Where a push goes: the registry target of oci/registry-target.ts. */
export type PushTarget = RegistryTarget;

/**
 * --registry as HOST[:PORT][/PREFIX] (oci/registry-target.ts), refused as a user error. Credentials
 * never go here, and such text is never echoed.
 */
export function parseTarget(text: string, flag = '--registry'): PushTarget {
  const invalid = (why: string, shown = true) =>
    new UserError(`${flag} ${shown ? `${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text)} ` : ''}is not HOST[:PORT][/PREFIX]: ${why}`, {
      code: 'REGISTRY_TARGET_INVALID',
      hint: `for example ${flag === '--registry' ? '--registry registry.acme.internal:5000/installctl' : `${flag}mirror.vendor.example:5000`} (credentials go in --username and --password-stdin)`,
    });
  const read = readRegistryTarget(text);
  if (isRegistryTargetProblem(read)) throw invalid(read.problem, read.shown);
  return read;
}

/** scheme://host:port of the registry: the one origin credentials are for (oci/origin.ts). */
export function targetOrigin(target: PushTarget, plainHttp: boolean): string {
  return new URL(`${plainHttp ? 'http' : 'https'}://${target.host}`).origin;
}

export function targetRepository(target: PushTarget, repository: string): string {
  return target.prefix ? `${target.prefix}/${repository}` : repository;
}

export function targetReference(target: PushTarget, repository: string, digest: string): string {
  return `${target.host}/${targetRepository(target, repository)}@${digest}`;
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** A registry failure as a user error; anything unrecognised is returned unchanged (a bug). */
export function registryFailure(error: unknown, context: { host: string; stage: 'probe' | 'push'; journal?: string; credentials?: string }): unknown {
  // Already explained (an OciError of the registry client, or a UserError): keep its code.
  if (error instanceof CodedError) return asUserError(error);
  const resume = context.journal ? `; rerun the same command to resume (progress is kept in ${context.journal})` : '';
  if (error instanceof HttpError) {
    if ((error.status === 401 || error.status === 403) && !error.offOrigin && context.credentials === 'none') {
      return new UserError(`${context.host} asks for credentials (HTTP ${error.status}) and no credentials were given`, {
        code: 'REGISTRY_AUTH_REQUIRED',
        hint: `pass --username and --password-stdin, or docker login ${context.host} (installctl reads the Docker config: $DOCKER_CONFIG/config.json or ~/.docker/config.json)`,
      });
    }
    if ((error.status === 401 || error.status === 403) && !error.offOrigin && context.credentials?.includes(':')) {
      return new UserError(`${context.host} refused the credentials from ${context.credentials} (HTTP ${error.status})`, {
        code: 'REGISTRY_AUTH_FAILED',
        hint: `docker login ${context.host} again, or pass --username and --password-stdin; check that the account may push under the prefix`,
      });
    }
    if ((error.status === 401 || error.status === 403) && !error.offOrigin) {
      return new UserError(`${context.host} refused the credentials (HTTP ${error.status})`, {
        code: 'REGISTRY_AUTH_FAILED',
        hint: 'check --username and the password given on stdin (--password-stdin), and that the account may push under the prefix',
      });
    }
    if (error.status === 400 && /HTTP request to an HTTPS server/i.test(error.body)) {
      return new UserError(`${context.host} speaks HTTPS, but --plain-http was given`, {
        code: 'REGISTRY_TLS_FAILED',
        hint: 'drop --plain-http (add --ca-file if the registry uses a private CA)',
      });
    }
    return new UserError(`${context.host}: ${error.message}`, { code: 'REGISTRY_REJECTED', hint: `the registry refused a request it should accept; check its logs${resume}` });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (TLS_CODES.has(code) || /wrong version number|certificate|self.signed/i.test(message)) {
    return new UserError(`TLS with ${context.host} failed: ${message}`, {
      code: 'REGISTRY_TLS_FAILED',
      hint: 'give the registry CA with --ca-file, or --plain-http if the registry has no TLS',
    });
  }
  if (error instanceof TransientError || ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(code)) {
    const stage = context.stage === 'probe' ? 'cannot reach' : 'lost the connection to';
    return new UserError(`${stage} ${context.host}: ${message}`, {
      code: context.stage === 'probe' ? 'REGISTRY_UNREACHABLE' : 'PUSH_INTERRUPTED',
      hint: context.stage === 'probe' ? 'check the host and port, and that the registry is running' : `the registry failed mid-push${resume}`,
    });
  }
  return error;
}
