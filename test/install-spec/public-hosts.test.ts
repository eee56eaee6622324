/** Air-gapped specs name no public service anywhere: metadata, values that contain a host, prose. */
import { describe, expect, it } from 'vitest';
import { publicMentions } from '../../cli/install-spec/rules/public-hosts.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { checkData, loadExample, withValue } from '../helpers/specs.js';

const awsAir = loadExample('aws-ghes-self-hosted-air-gapped.yaml');
const azureConditional = loadExample('azure-bitbucket-cloud-managed-air-gapped.yaml');
const awsSaas = loadExample('aws-github-saas-connected.yaml');
const onpremAir = loadExample('onprem-bitbucket-self-hosted-air-gapped.yaml');
const digest = 'a'.repeat(64);

const withLabels = (spec: any, labels: Record<string, string>) => ({ ...spec, metadata: { ...spec.metadata, labels } });

/** [name, spec, code or null for none, path, severity] */
const cases: Array<[string, unknown, string | null, string, ('error' | 'warning')?]> = [
  ['a label naming a model API', withLabels(awsAir, { src: 'api.openai.com' }), 'REQUIRE_NO_PUBLIC_ENDPOINTS', 'metadata.labels.src'],
  ['a label naming a registry', withLabels(awsAir, { mirror: 'quay.io' }), 'REQUIRE_NO_PUBLIC_ENDPOINTS', 'metadata.labels.mirror'],
  ['a label naming a subdomain of a public host', withLabels(awsAir, { hub: 'cdn-lfs.huggingface.co' }), 'REQUIRE_NO_PUBLIC_ENDPOINTS', 'metadata.labels.hub'],
  ['a URL inside the customer name', withValue(awsAir, 'metadata.customer', 'Litware https://github.com/litware'), 'REQUIRE_NO_PUBLIC_ENDPOINTS', 'metadata.customer'],
  [
    'a URL in an acknowledgement note',
    withValue(azureConditional, 'spec.acknowledgements.0.note', 'see https://github.com/fabrikam/sec/issues/114'),
    'REQUIRE_NO_PUBLIC_ENDPOINTS',
    'spec.acknowledgements[0].note',
  ],
  [
    'a host mentioned in a note (prose)',
    withValue(azureConditional, 'spec.acknowledgements.0.note', 'Weights were copied from huggingface.co.'),
    'RULE_PUBLIC_HOST_MENTION',
    'spec.acknowledgements[0].note',
    'warning',
  ],
  ['a host mentioned in the customer name', withValue(awsAir, 'metadata.customer', 'Acme (formerly on GitHub.com)'), 'RULE_PUBLIC_HOST_MENTION', 'metadata.customer', 'warning'],
  [
    'a URL inside a longer value',
    withValue(onpremAir, 'spec.platform.kubeContext', 'enclave,server=https://api.anthropic.com'),
    'REQUIRE_NO_PUBLIC_ENDPOINTS',
    'spec.platform.kubeContext',
  ],
  // Not findings: a private mirror that keeps the public host in its path, prose without hosts, connected specs.
  ['a private mirror path', withValue(awsAir, 'spec.models.catalog.1.weights.reference', `registry.acme-federal.internal/docker.io/bge@sha256:${digest}`), null, ''],
  ['a path that merely contains a host', withValue(awsAir, 'spec.models.catalog.0.weights.path', '/models/github.com/qwen'), null, ''],
  ['prose without a host', withValue(azureConditional, 'spec.acknowledgements.0.note', 'Approved in SR-2026-114; see the review notes.'), null, ''],
  ['a connected spec', withLabels(awsSaas, { src: 'api.openai.com' }), null, ''],
];

describe('public hosts in air-gapped specs', () => {
  it.each(cases)('%s', (_, spec, code, path, severity = 'error') => {
    const result = checkData(spec);
    const found = result.issues.filter((issue) => issue.code === 'REQUIRE_NO_PUBLIC_ENDPOINTS' || issue.code === 'RULE_PUBLIC_HOST_MENTION');
    if (code === null) {
      expect(found).toEqual([]);
      return;
    }
    expect(found.map((issue) => [issue.code, issue.path, issue.severity])).toEqual([[code, path, severity]]);
    expect(found[0]!.line).not.toBeNull();
    expect(result.exitCode).toBe(severity === 'error' ? 1 : 0);
  });

  it('reports a value the requirement already reported once', () => {
    const result = checkData(withValue(awsAir, 'spec.registry.mirror', 'docker.io/acme'));
    expect(result.issues.filter((issue) => issue.path === 'spec.registry.mirror').map((issue) => issue.code)).toEqual(['REQUIRE_NO_PUBLIC_ENDPOINTS']);
  });

  it.each<[string, string[]]>([
    ['https://api.openai.com/v1', ['api.openai.com']],
    ['mirror of ghcr.io, quay.io and ghcr.io.', ['ghcr.io', 'quay.io']],
    ['no_proxy=.github.com,registry.internal', ['github.com']],
    ['registry.internal/docker.io/library', []],
    ['someone@github.com', []],
    ['1.31', []],
  ])('publicMentions(%j)', (value, hosts) => {
    expect(publicMentions(value, supportMatrix().publicHosts()).map((mention) => mention.host)).toEqual(hosts);
  });
});
