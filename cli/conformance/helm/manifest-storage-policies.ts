/**
 * Manifest policies on storage and the model servers (issue 13, points 7 and 9); run by
 * checkManifests (manifest-policies.ts).
 *
 *   storage-class   every claim (PersistentVolumeClaim, StatefulSet volumeClaimTemplates, ephemeral
 *                   volumes' claim templates) names a storageClassName, one of
 *                   context.storageClasses (what the cell's stack or prerequisites provide,
 *                   stacks/decisions/storage.ts): EKS >= 1.30 has no default class, so a claim
 *                   without one stays Pending
 *   model-weights   per self-hosted model (context.models): a model whose weights come from a claim
 *                   mounts that claim, and a claim the spec asks the release to create is a
 *                   PersistentVolumeClaim of the release (one not created is declared pre-existing);
 *                   no ReadWriteOnce claim of the release is mounted by a workload that runs (or
 *                   scales to) more than one replica; an embedding model runs vLLM's pooling runner
 *                   (--runner pooling); the vLLM container's liveness probe differs from its
 *                   readiness probe (a busy engine must be taken out of the Service, not killed)
 */
import type { Install } from '../../generated/install-spec.js';
import type { Violation } from '../pulumi/types.js';
import { objectRef, type KubeObject } from './helm.js';
import { canonical } from './immutable-fields.js';
import type { Container, PodTemplate } from './pods.js';

/** What the model-weights policy knows of a served model from the spec (ManifestContext.models). */
export interface ModelFacts {
  name: string;
  tensorParallelSize: number;
  role?: string;
  /** The claim the weights come from (source pvc); create: the access mode the release creates it with, null: declared pre-existing. */
  claim?: { name: string; create: string | null } | null;
}

type ServedModel = Extract<Install['spec']['models'], { hosting: 'self-hosted' }>['catalog'][number];

/** The claim a self-hosted model's weights come from (helm-values.ts: a model without weights reads the pre-existing claim weights-<name>). */
export function specWeightsClaim(model: ServedModel): ModelFacts['claim'] {
  const weights = model.weights ?? { source: 'pvc' as const, claimName: `weights-${model.name}` };
  return weights.source === 'pvc' ? { name: weights.claimName, create: ('create' in weights ? weights.create?.accessMode : undefined) ?? null } : null;
}

interface Claim {
  owner: string;
  where: string;
  spec: { storageClassName?: string; accessModes?: string[] } | undefined;
}

function claimsOf(objects: readonly KubeObject[], templates: readonly PodTemplate[]): Claim[] {
  const claims: Claim[] = [];
  for (const object of objects) {
    const spec = object.spec as Record<string, any> | undefined;
    if (object.kind === 'PersistentVolumeClaim') claims.push({ owner: objectRef(object), where: 'spec', spec });
    if (object.kind === 'StatefulSet')
      for (const [index, template] of ((spec?.volumeClaimTemplates ?? []) as any[]).entries())
        claims.push({ owner: objectRef(object), where: `volumeClaimTemplates[${index}] ${template?.metadata?.name ?? ''}`.trim(), spec: template?.spec });
  }
  for (const template of templates)
    for (const volume of template.spec.volumes ?? [])
      if (volume.ephemeral) claims.push({ owner: template.owner, where: `ephemeral volume ${volume.name}`, spec: (volume.ephemeral as any)?.volumeClaimTemplate?.spec });
  return claims;
}

export function storageClassViolations(objects: readonly KubeObject[], templates: readonly PodTemplate[], provided: readonly string[] | undefined): Violation[] {
  if (!provided) return [];
  const violations: Violation[] = [];
  for (const claim of claimsOf(objects, templates)) {
    const name = claim.spec?.storageClassName;
    if (typeof name !== 'string' || name === '')
      violations.push({
        policy: 'storage-class',
        resource: claim.owner,
        message: `${claim.where}: no storageClassName, so the claim waits for a default class (none on EKS >= 1.30)`,
      });
    else if (!provided.includes(name))
      violations.push({
        policy: 'storage-class',
        resource: claim.owner,
        message: `${claim.where}: storage class ${name} is not one the cluster provides (${provided.join(', ') || 'none'})`,
      });
  }
  return violations;
}

function argValues(container: Container): string[] {
  return [...(container.command ?? []), ...(container.args ?? [])].map(String);
}

function flag(container: Container, name: string): string | undefined {
  const args = argValues(container);
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : args.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** The replicas a workload runs or scales to (HorizontalPodAutoscaler, KEDA ScaledObject). */
function maxReplicas(objects: readonly KubeObject[], template: PodTemplate): number {
  let replicas = Number((template.object.spec as any)?.replicas ?? 1);
  for (const object of objects) {
    const spec = object.spec as any;
    const target = spec?.scaleTargetRef;
    if (!target || `${target.kind ?? 'Deployment'}/${target.name}` !== template.owner) continue;
    if (object.kind === 'HorizontalPodAutoscaler') replicas = Math.max(replicas, Number(spec.maxReplicas ?? 1));
    if (object.kind === 'ScaledObject') replicas = Math.max(replicas, Number(spec.maxReplicaCount ?? 100));
  }
  return replicas;
}

/** ReadWriteOnce claims of the release mounted by a workload of several replicas (they cannot all attach it). */
function sharedOnceViolations(objects: readonly KubeObject[], templates: readonly PodTemplate[]): Violation[] {
  const once = new Set(
    objects
      .filter((object) => object.kind === 'PersistentVolumeClaim')
      .filter((object) => {
        const modes = ((object.spec as any)?.accessModes ?? []) as string[];
        return modes.includes('ReadWriteOnce') && !modes.includes('ReadOnlyMany') && !modes.includes('ReadWriteMany');
      })
      .map((object) => object.metadata.name),
  );
  const violations: Violation[] = [];
  for (const template of templates.filter((candidate) => candidate.longRunning && candidate.object.kind !== 'DaemonSet')) {
    const replicas = maxReplicas(objects, template);
    for (const volume of template.spec.volumes ?? []) {
      const claim = (volume.persistentVolumeClaim as { claimName?: string } | undefined)?.claimName;
      if (claim && once.has(claim) && replicas > 1)
        violations.push({
          policy: 'model-weights',
          resource: template.owner,
          message: `mounts the ReadWriteOnce claim ${claim} with up to ${replicas} replicas: it attaches to one node`,
        });
    }
  }
  return violations;
}

export function modelWeightsViolations(objects: readonly KubeObject[], templates: readonly PodTemplate[], models: readonly ModelFacts[] | undefined): Violation[] {
  const violations: Violation[] = sharedOnceViolations(objects, templates);
  const releaseClaims = new Set(objects.filter((object) => object.kind === 'PersistentVolumeClaim').map((object) => object.metadata.name));
  for (const model of models ?? []) {
    for (const template of templates) {
      for (const container of (template.spec.containers ?? []).filter((candidate) => flag(candidate, '--served-model-name') === model.name)) {
        const fail = (message: string) => violations.push({ policy: 'model-weights', resource: template.owner, message: `model ${model.name}: ${message}` });
        if (model.claim) {
          const mounted = (template.spec.volumes ?? []).some((volume) => (volume.persistentVolumeClaim as { claimName?: string } | undefined)?.claimName === model.claim!.name);
          if (!mounted) fail(`does not mount its weights claim ${model.claim.name}`);
          if (model.claim.create !== null && !releaseClaims.has(model.claim.name)) fail(`the spec asks the release to create the claim ${model.claim.name}, which it does not`);
        }
        if (model.role === 'embedding' && flag(container, '--runner') !== 'pooling')
          fail('an embedding model needs --runner pooling (vLLM >= 0.10.2 serves /v1/embeddings only from the pooling runner)');
        if (container.livenessProbe && canonical(container.livenessProbe) === canonical(container.readinessProbe))
          fail('liveness probe equals the readiness probe: a busy engine would be restarted instead of taken out of the Service');
      }
    }
  }
  return violations;
}
