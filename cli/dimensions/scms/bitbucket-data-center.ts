import type { ScmDescriptor } from '../types.js';

export const bitbucketDataCenter: ScmDescriptor<'bitbucket-data-center'> = {
  id: 'bitbucket-data-center',
  label: 'Bitbucket Data Center',
  emit: {
    scopes: (scm) => scm.projects,
    scopesLabel: 'Bitbucket Data Center projects',
    serverUrl: (scm) => scm.url,
    caBundle: (scm) => scm.caBundle,
    selfManaged: { saasHost: 'bitbucket.org', saasHint: "installctl supports bitbucket-data-center at the customer's own URL" },
    starterLines: ({ domain, secret, webhookSecret, caBundle }) => [
      'type: bitbucket-data-center',
      `url: https://bitbucket.${domain}`,
      'projects: [PLAT]',
      'auth:',
      '  method: access-token        # an HTTP access token; or: method: oauth-app',
      `  token: ${secret('scm-credentials', 'token')}`,
      `  ${webhookSecret}`,
      ...caBundle,
    ],
  },
};
