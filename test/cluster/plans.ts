/** Collection plans and evidence metadata the cluster tests share. */
import { COLLECTORS, type CollectionPlan } from '../../cli/preflight/types.js';
import type { EvidenceMeta } from '../../cli/cluster/collect.js';

export const META: EvidenceMeta = {
  install: { name: 'acme-agents', cell: 'aws/github-enterprise-server/self-hosted/connected', specSha256: 'a'.repeat(64) },
  namespacePrefix: '',
  installctl: '0.14.0',
  now: new Date('2026-12-02T22:00:00.000Z'),
};

/** Every collector but --active, with the install's namespaces, references and access checks. */
export function fullPlan(overrides: Partial<CollectionPlan> = {}): CollectionPlan {
  return {
    namespaces: ['agents-platform', 'agents-models'],
    secrets: [
      { namespace: 'agents-platform', name: 'registry-pull' },
      { namespace: 'agents-platform', name: 'scm-app' },
    ],
    configMaps: [{ namespace: 'agents-platform', name: 'corporate-ca' }],
    accessReviews: [
      { namespace: 'agents-platform', verb: 'create', group: 'apps', resource: 'deployments' },
      { namespace: 'agents-platform', verb: 'create', group: '', resource: 'secrets' },
      { namespace: null, verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
    ],
    active: null,
    collectors: COLLECTORS.filter((name) => name !== 'active'),
    ...overrides,
  };
}
