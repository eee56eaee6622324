import type { ScmDescriptor } from '../types.js';

export const githubEnterpriseServer: ScmDescriptor<'github-enterprise-server'> = {
  id: 'github-enterprise-server',
  label: 'GitHub Enterprise Server',
  emit: {
    scopes: (scm) => scm.organizations,
    scopesLabel: 'GitHub Enterprise Server organizations',
    serverUrl: (scm) => scm.url,
    caBundle: (scm) => scm.caBundle,
    selfManaged: { saasHost: 'github.com', saasHint: 'for GitHub.com use scm.type: github' },
    starterLines: ({ domain, secret, organization, webhookSecret, caBundle }) => [
      'type: github-enterprise-server',
      `url: https://github.${domain}`,
      `organizations: [${organization}]`,
      'auth:',
      '  method: github-app          # or: method: access-token + token',
      '  appId: 42',
      `  privateKey: ${secret('scm-credentials', 'private-key.pem')}`,
      `  ${webhookSecret}`,
      ...caBundle,
    ],
  },
};
