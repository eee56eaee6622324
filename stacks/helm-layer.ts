/**
 * The infrastructure values layer: what only the created infrastructure knows (datastore hosts,
 * the database user the cloud grants the platform, the managed cache's CA, the cloud identities of
 * the service accounts, model endpoints), exported as stack outputs
 * `agentPlatformValues` and `modelServerValues` and passed to Helm as the third values file.
 * Key names follow charts/agent-platform and charts/model-server values.yaml.
 */
import * as pulumi from '@pulumi/pulumi';

export interface InfraLayerInputs {
  postgresHost?: pulumi.Input<string | null>;
  /** The port the managed database listens on: with the host, from the created service (never the chart's default). */
  postgresPort?: pulumi.Input<number | null>;
  /**
   * The database user the platform signs in as with IAM auth: the principal the cloud grants
   * (the identity component's databaseUser), so chart and grant cannot disagree.
   */
  postgresUser?: pulumi.Input<string | null>;
  /**
   * How the chart verifies the managed PostgreSQL server (stacks/decisions/datastores.ts postgresTls): its sslMode
   * and where the CA bundle comes from (postgres.serverCa: a bundle shipped in the chart, or a ConfigMap).
   */
  postgresTls?: { sslMode: string; serverCa: { bundle?: string; configMapName?: string; key?: string } } | null;
  /** The PEM of the server CA when the stack creates it (Cloud SQL's serverCaCerts): the chart renders it into a ConfigMap. */
  postgresServerCaPem?: pulumi.Input<string | null>;
  redisHost?: pulumi.Input<string | null>;
  /** The port the managed cache listens on (ElastiCache 6379, Memorystore with TLS 6378, Azure Managed Redis 10000). */
  redisPort?: pulumi.Input<number | null>;
  /** The ConfigMap holding the managed cache's server CA (Memorystore: no public root signs it). */
  redisCaBundle?: { configMapName: string; key: string } | null;
  /** Annotations per service account key (platform, aiGateway, modelServer). */
  serviceAccountAnnotations: { platform?: pulumi.Input<Record<string, pulumi.Input<string>>>; aiGateway?: pulumi.Input<Record<string, pulumi.Input<string>>>; modelServer?: pulumi.Input<Record<string, pulumi.Input<string>>> };
  /** Azure workload identity client ids, by Kubernetes service account name. */
  clientIds?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The model service endpoint when the install creates it (Azure OpenAI). */
  aiGatewayBaseUrl?: pulumi.Input<string | null>;
}

export interface InfraLayer {
  agentPlatform: pulumi.Output<Record<string, unknown>>;
  modelServer: pulumi.Output<Record<string, unknown>>;
}

/** postgres.sslMode and postgres.serverCa of the chart, when the stack manages the server. */
function postgresTlsValues(tls: InfraLayerInputs['postgresTls'], pem: string | null): Record<string, unknown> {
  if (!tls) return {};
  return { sslMode: tls.sslMode, serverCa: { ...tls.serverCa, ...(pem ? { pem } : {}) } };
}

export function infraValuesLayer(inputs: InfraLayerInputs): InfraLayer {
  const annotations = inputs.serviceAccountAnnotations;
  const postgres = pulumi
    .all([inputs.postgresHost ?? null, inputs.postgresPort ?? null, inputs.postgresUser ?? null, inputs.postgresServerCaPem ?? null])
    .apply(([host, port, user, serverCaPem]) => (host ? { host, ...(port ? { port } : {}), ...(user ? { user } : {}), ...postgresTlsValues(inputs.postgresTls ?? null, serverCaPem) } : null));
  const agentPlatform = pulumi
    .all([postgres, inputs.redisHost ?? null, inputs.redisPort ?? null, annotations.platform ?? {}, annotations.aiGateway ?? {}, inputs.clientIds ?? {}, inputs.aiGatewayBaseUrl ?? null])
    .apply(([postgres, redisHost, redisPort, platform, aiGateway, clientIds, baseUrl]) => {
      const values: Record<string, unknown> = {
        serviceAccounts: {
          platform: { annotations: platform },
          aiGateway: { annotations: aiGateway },
          ...(Object.keys(clientIds).length ? { workloadIdentity: { clientIds } } : {}),
        },
      };
      if (postgres) values.postgres = postgres;
      if (redisHost) values.redis = { host: redisHost, ...(redisPort ? { port: redisPort } : {}), ...(inputs.redisCaBundle ? { caBundle: inputs.redisCaBundle } : {}) };
      if (baseUrl) values.aiGatewayBackend = { baseUrl };
      return values;
    });
  const modelServer = pulumi.all([annotations.modelServer ?? {}, inputs.clientIds ?? {}]).apply(([modelAnnotations, clientIds]): Record<string, unknown> => {
    const clientId = (clientIds as Record<string, string>)['model-server'];
    return { serviceAccount: { annotations: modelAnnotations }, ...(clientId ? { workloadIdentity: { clientId } } : {}) };
  });
  return { agentPlatform, modelServer };
}
