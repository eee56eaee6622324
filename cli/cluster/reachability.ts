/**
 * The first request of every run: GET /version. No answer (connection refused, DNS, TLS, timeout,
 * a redirect) means the cluster is unreachable and nothing else is worth asking; 401 (or an exec
 * plugin that fails before anything is sent) means the credentials are refused. Both stop the run
 * with a user error (exit 1, could not run); any other answer is the version collector's business.
 */
import { VersionApi, type VersionInfo } from '@kubernetes/client-node';
import { UserError } from '../lib/errors.js';
import { visibleLine } from '../lib/visible-text.js';
import { bounded, httpStatusOf, transportReason } from './api-status.js';
import type { ClusterConnection } from './connect.js';

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|EPROTO|SSL/;

function unreachableHint(error: unknown): string {
  const reason = transportReason(error);
  if (TLS_CODES.test(reason)) return "the server's certificate is not signed by the kubeconfig's certificate-authority(-data): fix the CA in the kubeconfig";
  if (/redirect|another origin/i.test(reason)) return 'the kubeconfig server answers with a redirect: point it at the API server itself';
  return 'check the server URL of the context, that you are on a network that reaches it (VPN, bastion, private endpoint), and try kubectl version';
}

/** Runs the kubeconfig's credential step (exec plugin, auth provider, token) once, before any request: its failure is a login problem. */
async function credentials(connection: ClusterConnection): Promise<void> {
  try {
    await connection.kubeConfig.applyToHTTPSOptions({});
  } catch (error) {
    throw new UserError(`the credentials of context ${visibleLine(connection.context ?? '')} could not be obtained: ${bounded(transportReason(error), 300)}`, {
      code: 'CLUSTER_UNAUTHORIZED',
      hint: "run the kubeconfig's exec command (or kubectl version) yourself and fix its login",
    });
  }
}

/** GET /version: the VersionInfo, or a rejected promise with an ApiException for another HTTP answer (403 ...). */
export async function probeVersion(connection: ClusterConnection): Promise<VersionInfo> {
  await credentials(connection);
  try {
    return await connection.api(VersionApi).getCode();
  } catch (error) {
    const status = httpStatusOf(error);
    const where = visibleLine(connection.server);
    if (status === 401)
      throw new UserError(`the API server at ${where} refused the credentials of context ${visibleLine(connection.context ?? '')} (401 Unauthorized)`, {
        code: 'CLUSTER_UNAUTHORIZED',
        hint: 'refresh the credentials (a token expires; aws eks update-kubeconfig, az aks get-credentials, gcloud container clusters get-credentials, oc login)',
      });
    if (status !== null && status >= 300 && status < 400)
      throw new UserError(`the API server at ${where} answered /version with a redirect (HTTP ${status}), which is not followed with the cluster's credentials`, {
        code: 'CLUSTER_UNREACHABLE',
        hint: 'point the kubeconfig server at the API server itself, not at a proxy or login page that redirects',
      });
    if (status !== null) throw error;
    throw new UserError(`the API server at ${where} cannot be reached: ${bounded(transportReason(error), 300)}`, { code: 'CLUSTER_UNREACHABLE', hint: unreachableHint(error) });
  }
}
