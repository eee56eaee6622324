/** Every Scm value's descriptor: exhaustive over ScmId, so a value without a descriptor does not compile. */
import type { ScmDescriptor, ScmId, ScmSpecOf } from '../types.js';
import { github } from './github.js';
import { githubEnterpriseServer } from './github-enterprise-server.js';
import { gitlabSelfManaged } from './gitlab-self-managed.js';
import { bitbucketDataCenter } from './bitbucket-data-center.js';

export const SCMS: { readonly [Id in ScmId]: ScmDescriptor<Id> } = {
  github,
  'github-enterprise-server': githubEnterpriseServer,
  'gitlab-self-managed': gitlabSelfManaged,
  'bitbucket-data-center': bitbucketDataCenter,
};

/**
 * The descriptor for an SCM value, typed to take any spec `scm` block: SCMS files each value under
 * its own descriptor, so the block handed to it is always the one its methods expect.
 */
export function scmDescriptor(id: ScmId): ScmDescriptor {
  return SCMS[id];
}

/** Whether a value has a descriptor: false only for a block that skipped schema validation. */
export function isScmId(value: string): value is ScmId {
  return Object.hasOwn(SCMS, value);
}

/**
 * The descriptor of a spec's `scm` block (the usual entry point for emitters). The emitters treat
 * every spec value as hostile, and the security tests hand them blocks outside the schema: a type
 * without a descriptor is read as a self-managed server with organizations, URL and CA bundle (the
 * shape of github-enterprise-server), as the emitters always did; the runbook shows the type itself.
 */
export function scmOf(scm: ScmSpecOf<ScmId>): ScmDescriptor {
  return isScmId(scm.type) ? scmDescriptor(scm.type) : SCMS['github-enterprise-server'];
}
