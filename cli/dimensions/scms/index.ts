/** Every Scm value's descriptor: exhaustive over ScmId, so a value without a descriptor does not compile. */
import type { ScmDescriptor, ScmId } from '../types.js';
import { github } from './github.js';
import { githubEnterpriseServer } from './github-enterprise-server.js';
import { gitlabSelfManaged } from './gitlab-self-managed.js';
import { bitbucketDataCenter } from './bitbucket-data-center.js';

export const SCMS: Readonly<Record<ScmId, ScmDescriptor>> = {
  github,
  'github-enterprise-server': githubEnterpriseServer,
  'gitlab-self-managed': gitlabSelfManaged,
  'bitbucket-data-center': bitbucketDataCenter,
};

export function scmDescriptor(id: ScmId): ScmDescriptor {
  return SCMS[id];
}
