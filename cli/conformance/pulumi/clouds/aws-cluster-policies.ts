/**
 * AWS cluster policies (issue 13, points 3, 6, 8, 10): what makes an EKS install come up and stay
 * up, beyond what the emitted files say about themselves. NetworkPolicies enforced (vpc-cni's
 * network policy agent), node groups the autoscaler owns and can resize, everything that runs as a
 * role ordered after that role's policies, the add-ons managed at pinned versions, and ECR creation
 * templates with the role KMS encryption needs. They read the resource options the synthesis
 * records (ignoreChanges, dependsOn), not only the inputs.
 */
import { eksAddonVersions, EKS_ADDONS, VPC_CNI_CONFIGURATION, type EksAddon } from '../../../../stacks/decisions/eks-addons.js';
import { resourceId, type PolicyContext, type SynthesizedResource, type Violation } from '../types.js';

const NODE_GROUP = 'aws:eks/nodeGroup:NodeGroup';
const ADDON = 'aws:eks/addon:Addon';
const ROLE = 'aws:iam/role:Role';
const ATTACHMENT = 'aws:iam/rolePolicyAttachment:RolePolicyAttachment';
const INLINE_POLICY = 'aws:iam/rolePolicy:RolePolicy';
const ASG_TAG = 'aws:autoscaling/tag:Tag';
const CREATION_TEMPLATE = 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate';
const AUTOSCALER = 'k8s.io/cluster-autoscaler';

const violation = (policy: string, resource: SynthesizedResource | null, message: string): Violation => ({ policy, resource: resource ? resourceId(resource) : null, message });
const parsed = (json: unknown): Record<string, any> => {
  try {
    return typeof json === 'string' ? (JSON.parse(json) as Record<string, any>) : {};
  } catch {
    return {};
  }
};
const statementsOf = (policy: SynthesizedResource): Array<Record<string, any>> => [parsed(policy.inputs.policy).Statement ?? []].flat();
const actionsOf = (statement: Record<string, any>): string[] => [statement.Action ?? []].flat();
const scales = (group: SynthesizedResource) => group.inputs.scalingConfig?.minSize < group.inputs.scalingConfig?.maxSize;

/** A cell's charts render NetworkPolicies on every cluster: on a new EKS cluster the stack turns the vpc-cni agent on; an existing one is checked by the runbook. */
export function networkPolicyEnforced({ settings, ofType }: PolicyContext): Violation[] {
  if (settings.cluster.mode === 'existing') return [];
  const cni = ofType(ADDON).find((addon) => addon.inputs.addonName === 'vpc-cni');
  if (!cni) return [violation('network-policy-enforced', null, 'no vpc-cni add-on: NetworkPolicies are not enforced on a new EKS cluster')];
  const wanted = VPC_CNI_CONFIGURATION.enableNetworkPolicy;
  return parsed(cni.inputs.configurationValues).enableNetworkPolicy === wanted
    ? []
    : [violation('network-policy-enforced', cni, `vpc-cni configurationValues.enableNetworkPolicy is not "${wanted}": NetworkPolicies are silent no-ops`)];
}

/** A group the autoscaler can resize must ignore desired size, or every `pulumi up` scales it back to the stack's number. */
export function autoscalerOwnsSize({ ofType }: PolicyContext): Violation[] {
  return ofType(NODE_GROUP)
    .filter((group) => scales(group) && !(group.options?.ignoreChanges ?? []).includes('scalingConfig.desiredSize'))
    .map((group) =>
      violation('autoscaler-owns-size', group, 'scales between min and max but does not ignore changes to scalingConfig.desiredSize: pulumi up fights the autoscaler'),
    );
}

/** The autoscaler's role: trusted by kube-system/cluster-autoscaler and allowed to resize this cluster's tagged groups. */
function autoscalerCanResize({ ofType }: PolicyContext, clusterName: string): boolean {
  const roles = ofType(ROLE).filter((role) => JSON.stringify(parsed(role.inputs.assumeRolePolicy)).includes('system:serviceaccount:kube-system:cluster-autoscaler'));
  return roles.some((role) =>
    ofType(INLINE_POLICY)
      .filter((policy) => policy.inputs.role === `${role.name}-id` || policy.inputs.role === role.inputs.name)
      .flatMap(statementsOf)
      .some(
        (statement) =>
          actionsOf(statement).includes('autoscaling:SetDesiredCapacity') && statement.Condition?.StringEquals?.[`aws:ResourceTag/${AUTOSCALER}/${clusterName}`] === 'owned',
      ),
  );
}

/** Every group that can grow has an autoscaler that finds it (tags) and may resize it (role); GPU groups also scale up from zero (node-template tags). */
export function nodeAutoscaling(context: PolicyContext): Violation[] {
  const out: Violation[] = [];
  for (const group of context.ofType(NODE_GROUP).filter(scales)) {
    const clusterName = String(group.inputs.clusterName);
    const tags = (group.inputs.tags ?? {}) as Record<string, string>;
    if (tags[`${AUTOSCALER}/enabled`] !== 'true' || tags[`${AUTOSCALER}/${clusterName}`] !== 'owned')
      out.push(violation('node-autoscaling', group, `lacks the autoscaler discovery tags ${AUTOSCALER}/enabled and ${AUTOSCALER}/${clusterName}`));
    if (!autoscalerCanResize(context, clusterName))
      out.push(violation('node-autoscaling', group, `no cluster-autoscaler role may resize groups tagged ${AUTOSCALER}/${clusterName}`));
    if (!String(group.inputs.amiType ?? '').includes('NVIDIA')) continue;
    const templates = context.ofType(ASG_TAG).filter((tag) => (tag.options?.dependsOn ?? []).includes(resourceId(group)));
    const template = (key: string) => templates.find((tag) => tag.inputs.tag?.key === `${AUTOSCALER}/node-template/${key}`)?.inputs.tag?.value;
    if (!(Number(template('resources/nvidia.com/gpu')) > 0))
      out.push(violation('node-autoscaling', group, 'the GPU group cannot scale up from zero: no node-template/resources/nvidia.com/gpu tag on its Auto Scaling group'));
    for (const taint of (group.inputs.taints ?? []) as Array<{ key: string }>) {
      if (!template(`taint/${taint.key}`))
        out.push(violation('node-autoscaling', group, `no node-template/taint/${taint.key} tag: the autoscaler would not know its pods tolerate the new node`));
    }
  }
  return out;
}

/** The role an ARN input names, among the synthesized roles. */
function roleByArn(roles: SynthesizedResource[], arn: unknown): SynthesizedResource | undefined {
  return typeof arn === 'string' ? roles.find((role) => arn.endsWith(`:role/${role.inputs.name ?? role.name}`)) : undefined;
}

/** Role ARN inputs of the resources that run as a role: cluster, node groups, add-ons, ECR creation templates. */
const RUNS_AS: Readonly<Record<string, string>> = {
  'aws:eks/cluster:Cluster': 'roleArn',
  [NODE_GROUP]: 'nodeRoleArn',
  [ADDON]: 'serviceAccountRoleArn',
  [CREATION_TEMPLATE]: 'customRoleArn',
};

/** Anything that runs as a role is created after that role's policies are attached (a role's ARN exists long before its permissions). */
export function dependsOnIam({ ofType }: PolicyContext): Violation[] {
  const roles = ofType(ROLE);
  const grants = [...ofType(ATTACHMENT), ...ofType(INLINE_POLICY)];
  const out: Violation[] = [];
  for (const [type, property] of Object.entries(RUNS_AS)) {
    for (const resource of ofType(type)) {
      const role = roleByArn(roles, resource.inputs[property]);
      if (!role) continue;
      const waitsFor = new Set(resource.options?.dependsOn ?? []);
      for (const grant of grants.filter((g) => g.inputs.role === role.inputs.name || g.inputs.role === `${role.name}-id`)) {
        if (!waitsFor.has(resourceId(grant)))
          out.push(violation('depends-on-iam', resource, `runs as ${role.inputs.name ?? role.name} but does not wait for ${resourceId(grant)} (dependsOn)`));
      }
    }
  }
  return out;
}

/** The add-ons a cell's stack manages: all four on a new cluster, the EBS CSI driver on an existing one (which keeps its own networking add-ons). */
function managedAddons(mode: 'new' | 'existing'): readonly EksAddon[] {
  return mode === 'new' ? EKS_ADDONS : ['aws-ebs-csi-driver'];
}

/** The EBS CSI add-on makes the default StorageClass, and its role may use a KMS key (the encrypted gp3 class the claims name). */
function ebsCsiStorage(ofType: PolicyContext['ofType'], addon: SynthesizedResource): Violation[] {
  const out: Violation[] = [];
  if (parsed(addon.inputs.configurationValues).defaultStorageClass?.enabled !== true)
    out.push(
      violation('eks-addons', addon, 'the EBS CSI add-on does not create the default StorageClass (defaultStorageClass.enabled): claims without a class stay Pending on EKS 1.30+'),
    );
  const role = roleByArn(ofType(ROLE), addon.inputs.serviceAccountRoleArn);
  const usesKey =
    role !== undefined &&
    ofType(INLINE_POLICY)
      .filter((policy) => policy.inputs.role === `${role.name}-id` || policy.inputs.role === role.inputs.name)
      .flatMap(statementsOf)
      .some((statement) => actionsOf(statement).includes('kms:CreateGrant'));
  if (!usesKey) out.push(violation('eks-addons', addon, "the EBS CSI driver's role may not use the install's KMS key: volumes of the encrypted gp3 class cannot be created"));
  return out;
}

/** vpc-cni, kube-proxy, coredns and aws-ebs-csi-driver are managed add-ons pinned to the version table of their Kubernetes minor; the EBS CSI driver makes the default StorageClass. */
export function eksAddons({ settings, ofType }: PolicyContext): Violation[] {
  const versions = eksAddonVersions(settings.cluster.kubernetesVersion);
  if (!versions) return [violation('eks-addons', null, `no pinned EKS add-on versions for Kubernetes ${settings.cluster.kubernetesVersion} (stacks/decisions/eks-addons.ts)`)];
  const out: Violation[] = [];
  const addons = ofType(ADDON);
  for (const name of managedAddons(settings.cluster.mode)) {
    const found = addons.filter((addon) => addon.inputs.addonName === name);
    if (found.length !== 1) {
      out.push(violation('eks-addons', null, `expected one managed ${name} add-on, found ${found.length}`));
      continue;
    }
    const addon = found[0]!;
    if (addon.inputs.addonVersion !== versions[name])
      out.push(
        violation(
          'eks-addons',
          addon,
          `${name} is at ${addon.inputs.addonVersion ?? 'no pinned version'}, not ${versions[name]} (Kubernetes ${settings.cluster.kubernetesVersion})`,
        ),
      );
    if (name === 'aws-ebs-csi-driver') out.push(...ebsCsiStorage(ofType, addon));
  }
  return out;
}

/** A creation template with KMS encryption names a role ECR can assume that may use the template's key. */
export function ecrTemplateRole({ ofType }: PolicyContext): Violation[] {
  const out: Violation[] = [];
  for (const template of ofType(CREATION_TEMPLATE)) {
    const kms = ((template.inputs.encryptionConfigurations ?? []) as Array<{ encryptionType?: string; kmsKey?: string }>).find((config) => config.encryptionType === 'KMS');
    if (!kms) continue;
    const role = roleByArn(ofType(ROLE), template.inputs.customRoleArn);
    if (!role) {
      out.push(violation('ecr-template-role', template, 'KMS encryption without a customRoleArn naming a role of the stack: ECR cannot create repositories on push'));
      continue;
    }
    if (!JSON.stringify(parsed(role.inputs.assumeRolePolicy)).includes('ecr.amazonaws.com'))
      out.push(violation('ecr-template-role', role, 'the creation template role is not trusted by ecr.amazonaws.com'));
    const grantsKey = ofType(INLINE_POLICY)
      .filter((policy) => policy.inputs.role === `${role.name}-id` || policy.inputs.role === role.inputs.name)
      .flatMap(statementsOf)
      .some((statement) => actionsOf(statement).includes('kms:CreateGrant') && [statement.Resource].flat().some((resource) => resource === '*' || resource === kms.kmsKey));
    if (!grantsKey) out.push(violation('ecr-template-role', role, `the creation template role may not use the template's key ${kms.kmsKey} (kms:CreateGrant)`));
  }
  return out;
}

export const AWS_CLUSTER_POLICIES = [networkPolicyEnforced, autoscalerOwnsSize, nodeAutoscaling, dependsOnIam, eksAddons, ecrTemplateRole];
