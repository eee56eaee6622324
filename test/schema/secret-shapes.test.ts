/** Secret shapes: each detector finds its credential anywhere in a string, and realistic non-secrets pass. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findSecretShape, mayHoldCredential, SECRET_DETECTORS } from '../../cli/schema/secret-shapes.js';
import { init } from '../../cli/services/init.js';
import { checkSpecText } from '../../cli/install-spec/load-spec.js';
import { supportMatrix } from '../../cli/matrix/engine.js';
import { REPO } from '../helpers/cli.js';
import { SECRET_SAMPLES } from '../helpers/secrets.js';
import { exampleFiles } from '../helpers/specs.js';

describe('secret detectors', () => {
  it('has a sample for every detector (and a detector for every sample)', () => {
    expect(SECRET_SAMPLES.map((sample) => sample.detector).sort()).toEqual(SECRET_DETECTORS.map((detector) => detector.id).sort());
  });

  const positions: Array<[string, (secret: string) => string]> = [
    ['alone', (s) => s],
    ['after a word', (s) => `Acme ${s}`],
    ['between words', (s) => `Acme ${s} rotated`],
    ['after =', (s) => `pat=${s}`],
    ['after a colon and quote', (s) => `key: "${s}"`],
    ['in parentheses', (s) => `(${s})`],
    ['after an underscore', (s) => `token_${s}`],
  ];
  const rows = SECRET_SAMPLES.flatMap((sample) => positions.map(([where, place]) => [`${sample.detector} ${where}`, sample, place(sample.secret)] as const));

  it.each(rows)('%s', (_, sample, text) => {
    expect(findSecretShape(text, sample.context)?.id).toBe(sample.detector);
    expect(mayHoldCredential(text)).toBe(true);
  });

  it('finds tokens in URL paths and credential query parameters', () => {
    const token = SECRET_SAMPLES.find((sample) => sample.detector === 'github-token')!.secret;
    for (const url of [`https://relay.acme.internal/hooks/${token}/events`, `https://relay.acme.internal/x/${token}`]) expect(findSecretShape(url)?.id).toBe('github-token');
    for (const parameter of ['access_token', 'token', 'private_token', 'api_key', 'apikey', 'client_secret', 'sig', 'X-Amz-Signature', 'password']) {
      expect(findSecretShape(`https://relay.acme.internal/hook?a=1&${parameter}=Zx81kd0QpL2m`)?.id, parameter).toBe('url-query-token');
    }
  });

  it('takes an AWS secret access key only in an AWS context', () => {
    const secret = SECRET_SAMPLES.find((sample) => sample.detector === 'aws-secret-access-key')!.secret;
    const id = SECRET_SAMPLES.find((sample) => sample.detector === 'aws-access-key-id')!.secret;
    expect(findSecretShape(`${secret}`)).toBeNull();
    expect(findSecretShape(secret, { keys: ['spec', 'awsCredentials'] })?.id).toBe('aws-secret-access-key');
    expect(findSecretShape(secret, { besideAccessKeyId: true })?.id).toBe('aws-secret-access-key');
    expect(findSecretShape(`aws_secret_access_key ${secret}`)?.id).toBe('aws-secret-access-key');
    expect(findSecretShape(`${id} ${secret}`)?.id).toBe('aws-access-key-id');
    expect(findSecretShape(`the secret is ${secret}`)?.id).toBe('aws-secret-access-key');
  });

  it('does not take a prefix inside a longer word for a token', () => {
    expect(findSecretShape(`xghp_${'a1B2'.repeat(9)}`)).toBeNull();
    expect(findSecretShape(`risk-${'a1B2'.repeat(6)}`)).toBeNull();
  });

  // Realistic values of a spec that look a little like keys: none is a secret.
  const negatives = [
    '00000000-0000-0000-0000-000000000000',
    '9f3c2b1e-4d5a-4c8b-9e7f-1a2b3c4d5e6f',
    'sha256:4c1e5ad0c3e24bd7a2b0b1e9a7f6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4',
    'registry.acme.internal/models/qwen@sha256:4c1e5ad0c3e24bd7a2b0b1e9a7f6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4',
    'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:iam::123456789012:role/AgentsPlatformNodeRoleForClusterProduction',
    'arn:aws:secretsmanager:eu-west-1:481516234200:secret:prod/agents/openai-AbC123',
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-agents-prod/providers/Microsoft.Network/virtualNetworks/vnet-agents',
    'projects/example-project/regions/us-central1/subnetworks/agents-nodes',
    'sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    'CA fingerprint SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
    'a3f1c9e2b7d4058f6e1a2b3c4d5e6f7a8b9c0d1e',
    'Qwen/Qwen2.5-Coder-32B-Instruct',
    'meta-llama/Llama-3.1-70B-Instruct',
    'anthropic.claude-sonnet-4-5-20250929-v1:0',
    'https://acme.openai.azure.com/openai/deployments/gpt-4o?api-version=2024-06-01',
    'https://egress.northwind.corp:3128',
    'http://proxy.acme.internal:8080',
    'mailto:security@acme.com',
    'jane.doe@acme.com',
    'Approved in security review SR-2026-114; model traffic stays on Azure Private Link.',
    'token rotation: quarterly, secrets live in Vault at secret/agents/prod',
    'password policy: 90 days (see prod/agents/db-credentials)',
    'secretRef: agents-db-2024',
    'disk-encryption-key-for-cluster-prod-east',
    'task-runner-queue-processing-east-1',
    'desk-booking-service-2024-07-01-release',
    's3://acme-models/qwen2.5-coder/weights/',
    'gs://acme-models-us-central1/bge-large-en-v1.5/',
    'acmemodels.blob.core.windows.net/weights',
    'AgentsPlatformClusterAdmins',
    'Northwind Traders (EMEA) GmbH & Co. KG',
  ];
  it.each(negatives)('not a secret: %s', (text) => {
    expect(findSecretShape(text)).toBeNull();
  });
});

describe('no false positives on real specs', () => {
  const starters = supportMatrix()
    .cells()
    .filter((cell) => cell.status !== 'unsupported')
    .map(
      (cell) =>
        [
          `init ${cell.id}`,
          init({ platform: cell.platform, scm: cell.scm, models: cell.models, network: cell.network, name: 'acme-prod', customer: 'Example Corp' }).spec,
        ] as const,
    );
  const examples = exampleFiles().map((file) => [file.split('/').pop()!, readFileSync(file, 'utf8')] as const);

  it.each([...examples, ...starters])('%s: no SECRET_LITERAL, no VALUE_CONTROL_CHARACTER, no string or key with a secret shape', (name, text) => {
    const result = checkSpecText(name, text);
    expect(result.issues.filter((issue) => ['SECRET_LITERAL', 'VALUE_CONTROL_CHARACTER'].includes(issue.code))).toEqual([]);
    // Every string and key, even with the most permissive context (as if an access key id were beside it).
    const strings: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') strings.push(value);
      else if (value && typeof value === 'object')
        for (const [key, child] of Object.entries(value)) {
          if (!Array.isArray(value)) strings.push(key);
          walk(child);
        }
    };
    walk(parse(text));
    expect(strings.filter((text) => findSecretShape(text, { besideAccessKeyId: true, keys: ['aws'] }))).toEqual([]);
  });
});

describe('README secrets table', () => {
  it('lists exactly the detectors of cli/schema/secret-shapes.ts, with their shapes and sources', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const begin = '<!-- secret-detectors:begin (checked against SECRET_DETECTORS by test/schema/secret-shapes.test.ts) -->\n';
    const section = readme.slice(readme.indexOf(begin) + begin.length, readme.indexOf('<!-- secret-detectors:end -->'));
    const expected = ['| detector | finds | source |', '|---|---|---|', ...SECRET_DETECTORS.map((d) => `| \`${d.id}\` | ${d.shape} | ${d.source} |`)].join('\n') + '\n';
    expect(readme).toContain(begin);
    expect(section).toBe(expected);
  });
});
