/**
 * JSON schemas (draft-07) for the custom resources the charts emit, which kubernetes-models does
 * not cover. Each is a small, hand-written subset of the upstream CRD's OpenAPI schema: the
 * fields the charts use plus their documented neighbours, strict (additionalProperties: false)
 * inside spec so a typo fails, and the upstream's required fields and enums.
 *   route.openshift.io/v1 Route             openshift/api route/v1 (OpenShift 4.16+: externalCertificate)
 *   external-secrets.io/v1 ExternalSecret   External Secrets Operator 0.17+ (v1 API)
 *   keda.sh/v1alpha1 ScaledObject           KEDA 2.x; trigger metadata values must be strings
 */

const metadata = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

const envelope = (apiVersion: string, kind: string, spec: object) => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: { apiVersion: { const: apiVersion }, kind: { const: kind }, metadata, spec },
});

const route = envelope('route.openshift.io/v1', 'Route', {
  type: 'object',
  required: ['to'],
  additionalProperties: false,
  properties: {
    host: { type: 'string', maxLength: 253, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
    subdomain: { type: 'string' },
    path: { type: 'string', pattern: '^/' },
    to: {
      type: 'object',
      required: ['kind', 'name'],
      additionalProperties: false,
      properties: { kind: { enum: ['Service', ''] }, name: { type: 'string', minLength: 1 }, weight: { type: 'integer', minimum: 0, maximum: 256 } },
    },
    alternateBackends: { type: 'array', maxItems: 3 },
    port: { type: 'object', required: ['targetPort'], additionalProperties: false, properties: { targetPort: { type: ['string', 'integer'] } } },
    tls: {
      type: 'object',
      required: ['termination'],
      additionalProperties: false,
      properties: {
        termination: { enum: ['edge', 'reencrypt', 'passthrough'] },
        insecureEdgeTerminationPolicy: { enum: ['Allow', 'None', 'Redirect', ''] },
        certificate: { type: 'string' },
        key: { type: 'string' },
        caCertificate: { type: 'string' },
        destinationCACertificate: { type: 'string' },
        externalCertificate: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 } } },
      },
    },
    wildcardPolicy: { enum: ['None', 'Subdomain', ''] },
    httpHeaders: { type: 'object' },
  },
});

const externalSecret = envelope('external-secrets.io/v1', 'ExternalSecret', {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['data'] }, { required: ['dataFrom'] }],
  properties: {
    refreshInterval: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' },
    refreshPolicy: { enum: ['CreatedOnce', 'Periodic', 'OnChange'] },
    secretStoreRef: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1 }, kind: { enum: ['SecretStore', 'ClusterSecretStore'] } },
    },
    target: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        creationPolicy: { enum: ['Owner', 'Orphan', 'Merge', 'None'] },
        deletionPolicy: { enum: ['Delete', 'Merge', 'Retain'] },
        immutable: { type: 'boolean' },
        template: { type: 'object' },
      },
    },
    data: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['secretKey', 'remoteRef'],
        additionalProperties: false,
        properties: {
          secretKey: { type: 'string', minLength: 1 },
          sourceRef: { type: 'object' },
          remoteRef: {
            type: 'object',
            required: ['key'],
            additionalProperties: false,
            properties: {
              key: { type: 'string', minLength: 1 },
              property: { type: 'string' },
              version: { type: 'string' },
              conversionStrategy: { enum: ['Default', 'Unicode'] },
              decodingStrategy: { enum: ['Auto', 'Base64', 'Base64URL', 'None'] },
              metadataPolicy: { enum: ['None', 'Fetch'] },
            },
          },
        },
      },
    },
    dataFrom: { type: 'array', items: { type: 'object' } },
  },
});

const scaledObject = envelope('keda.sh/v1alpha1', 'ScaledObject', {
  type: 'object',
  required: ['scaleTargetRef', 'triggers'],
  additionalProperties: false,
  properties: {
    scaleTargetRef: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1 }, apiVersion: { type: 'string' }, kind: { type: 'string' }, envSourceContainerName: { type: 'string' } },
    },
    pollingInterval: { type: 'integer', minimum: 1 },
    cooldownPeriod: { type: 'integer', minimum: 0 },
    initialCooldownPeriod: { type: 'integer', minimum: 0 },
    idleReplicaCount: { type: 'integer', minimum: 0 },
    minReplicaCount: { type: 'integer', minimum: 0 },
    maxReplicaCount: { type: 'integer', minimum: 1 },
    fallback: { type: 'object' },
    advanced: { type: 'object' },
    triggers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['type', 'metadata'],
        additionalProperties: false,
        properties: {
          type: { type: 'string', minLength: 1 },
          name: { type: 'string' },
          metadata: { type: 'object', additionalProperties: { type: 'string' } },
          authenticationRef: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, kind: { enum: ['TriggerAuthentication', 'ClusterTriggerAuthentication'] } },
          },
          metricType: { enum: ['AverageValue', 'Value', 'Utilization'] },
          useCachedMetrics: { type: 'boolean' },
        },
      },
    },
  },
});

/** Schema per "apiVersion/kind". */
export const CUSTOM_RESOURCE_SCHEMAS: Readonly<Record<string, object>> = {
  'route.openshift.io/v1/Route': route,
  'external-secrets.io/v1/ExternalSecret': externalSecret,
  'keda.sh/v1alpha1/ScaledObject': scaledObject,
};
