import type { ScmDescriptor } from '../types.js';

export const gitlabSelfManaged: ScmDescriptor = {
  id: 'gitlab-self-managed',
  label: 'GitLab Self-Managed',
};
