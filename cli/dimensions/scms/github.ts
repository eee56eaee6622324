import type { ScmDescriptor } from '../types.js';

export const github: ScmDescriptor<'github'> = {
  id: 'github',
  label: 'GitHub',
  emit: {
    scopes: (scm) => scm.organizations,
    scopesLabel: 'GitHub organizations',
    serverUrl: () => 'https://github.com',
    caBundle: () => undefined,
    // GitHub.com is the SaaS service itself: no server URL to check, webhooks come from the internet.
    selfManaged: null,
    starterLines: ({ domain, secret, organization, webhookSecret }) => [
      'type: github                  # GitHub.com',
      `organizations: [${organization}]`,
      'auth:',
      '  method: github-app',
      '  appId: 123456',
      `  privateKey: ${secret('scm-credentials', 'private-key.pem')}`,
      `  ${webhookSecret}`,
      'webhooks:                     # GitHub.com must reach the install (or a relay) from the internet',
      '  delivery: ingress',
      `  url: https://agents-webhooks.${domain}/scm/webhooks`,
    ],
  },
};
