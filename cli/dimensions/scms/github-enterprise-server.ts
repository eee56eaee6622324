import type { ScmDescriptor } from '../types.js';

export const githubEnterpriseServer: ScmDescriptor = {
  id: 'github-enterprise-server',
  label: 'GitHub Enterprise Server',
};
