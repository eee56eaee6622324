/**
 * Runbook: logging helm and oras in to the registry before the first pull or push of a section
 * (conformance's registry-login policy holds every section to it). ECR, ACR and Artifact Registry
 * answer an anonymous pull with 401: the cloud CLI mints a short-lived token that goes to the login
 * on stdin. Any other registry (an on-prem mirror) is logged in to with the pull secret's
 * credentials, read from the Secret the secrets step created and never printed; before that Secret
 * exists, the login asks for them.
 */
import { cloudRegistry } from './runbook-weights.js';
import { operand, operator, option, shellLine, syntax, type ShellArg } from './shell.js';

export type RegistryClient = 'helm' | 'oras';

/** The Secret holding the registry's credentials (`kubernetes.io/dockerconfigjson`), once the secrets step made it. */
export interface PullSecretRef {
  namespace: string;
  name: string;
}

/** Whether the login reads the pull Secret (kubectl, base64, jq), not a cloud token. */
export const loginReadsPullSecret = (host: string, pullSecret: PullSecretRef | null): boolean => pullSecret !== null && cloudRegistry(host) === null;

const loginCommand = (client: RegistryClient): string[] => (client === 'helm' ? ['helm', 'registry', 'login'] : ['oras', 'login']);

/**
 * The lines that log each client in to host. pullSecret: where the credentials of a registry that
 * is not a cloud registry are (null: none yet, the login prompts for them).
 */
export function registryLoginLines(host: string, clients: readonly RegistryClient[], pullSecret: PullSecretRef | null): string[] {
  const cloud = cloudRegistry(host);
  if (cloud) {
    // The token command is installctl's own text over a host matched by cloudRegistry's patterns: plain words.
    const token: ShellArg[] = cloud.password.split(' ');
    return clients.map((client) =>
      shellLine(
        [...token, operator('|'), ...loginCommand(client), '--username', cloud.username, '--password-stdin', operand(host)],
        `${client} with a token valid ${cloud.lifetime}`,
      ),
    );
  }
  if (!pullSecret) return clients.map((client) => shellLine([...loginCommand(client), operand(host)], `asks for the credentials of ${host} (the pull secret's user and password)`));
  const read = shellLine([
    'kubectl',
    ...option('-n', pullSecret.namespace),
    'get',
    'secret',
    operand(pullSecret.name),
    '-o',
    syntax("jsonpath='{.data.\\.dockerconfigjson}'"),
    operator('|'),
    'base64',
    '-d',
    operator('|'),
    'jq',
    '-r',
    syntax("'.auths[$ARGS.positional[0]].auth'"),
    '--args',
    operand(host),
    operator('|'),
    'base64',
    '-d',
  ]);
  return [
    `REGISTRY_AUTH="$(${read})"   # user:password of the pull secret, kept in this shell only (never printed)`,
    ...clients.map((client) =>
      shellLine([
        syntax(`printf '%s' "\${REGISTRY_AUTH#*:}"`),
        operator('|'),
        ...loginCommand(client),
        '--username',
        syntax('"${REGISTRY_AUTH%%:*}"'),
        '--password-stdin',
        operand(host),
      ]),
    ),
    'unset REGISTRY_AUTH',
  ];
}
