import type { ScmDescriptor } from '../types.js';

export const gitlabSelfManaged: ScmDescriptor<'gitlab-self-managed'> = {
  id: 'gitlab-self-managed',
  label: 'GitLab Self-Managed',
  emit: {
    scopes: (scm) => scm.groups,
    scopesLabel: 'GitLab groups',
    serverUrl: (scm) => scm.url,
    caBundle: (scm) => scm.caBundle,
    selfManaged: { saasHost: 'gitlab.com', saasHint: "installctl supports gitlab-self-managed at the customer's own URL" },
    starterLines: ({ domain, secret, webhookSecret, caBundle }) => [
      'type: gitlab-self-managed',
      `url: https://gitlab.${domain}`,
      'groups: [platform]',
      'auth:',
      '  method: access-token        # a group access token; or: method: oauth-app',
      `  token: ${secret('scm-credentials', 'token')}`,
      `  ${webhookSecret}`,
      ...caBundle,
    ],
  },
};
