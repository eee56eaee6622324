/** RUNBOOK.md's "Prerequisites" step: what must exist before the charts install, per platform, each with the command that checks it. */
import type { Install } from '../generated/install-spec.js';
import type { AwsCloud, AzureCloud, CloudSettings, GcpCloud, InstallSettings } from '../../stacks/settings.js';
import { gpuNodeSelector, ingressClassOf } from './helm-values.js';
import { gpuSoftware } from '../../stacks/decisions/gpu.js';
import { AKS_APP_ROUTING, defaultIngressClass } from '../../stacks/decisions/ingress.js';
import { AWS_LB_CONTROLLER } from '../../stacks/aws/lb-controller.js';
import { awsClusterPrerequisites } from './runbook-aws-cluster.js';
import { markdownCode, markdownText } from '../lib/markdown-text.js';
import { operand, operator, option, shellLine, shellWord, syntax, type ShellArg } from './shell.js';
import { azureIngressDns } from './runbook-azure-dns.js';
import { gcpDeployabilityPrerequisites } from './runbook-gcp.js';
import { registryLoginLines } from './runbook-registry-login.js';

export interface Prerequisites {
  /** Bullets, then one ```sh block of checks (and installs guarded by them). */
  lines: string[];
  /** Checks that hold only once the charts run (the chart's own device plugin). */
  verify: string[];
}

/** `"$(jq -r .KEY pulumi-outputs.json)"`: a stack output the runbook saved in step 1. */
const output = (key: string) => syntax(`"$(jq -r .${key} pulumi-outputs.json)"`);

/** A prerequisite: bullets saying what must exist, and the commands that check (or install) it. */
interface Prerequisite {
  bullets: string[];
  commands: string[];
}

/** What the ingress prerequisites of every platform read. */
interface IngressContext {
  install: Install;
  settings: InstallSettings;
  /** The class the chart's Ingress uses (ingressClassOf). */
  className: string;
  internal: boolean;
  /** `kubectl get ingressclass CLASS`: whether a controller serves the class. */
  classCheck: ShellArg[];
  /** `>/dev/null 2>&1 ||`: run what follows only when the check fails. */
  quiet: ShellArg;
  mirror: string;
}

/** The chart exposes OpenShift installs with Routes whatever ingress.className says: no Ingress object is involved. */
function openshiftRoutes({ install }: IngressContext): Prerequisite {
  const { spec } = install;
  return {
    bullets: [
      `- Routes: on OpenShift the chart creates one Route (route.openshift.io/v1) per path for ${markdownCode(spec.ingress.hostname)}, admitted by the default IngressController (the router), and no Ingress${spec.ingress.className ? `, so ingress.className ${markdownCode(spec.ingress.className)} has no effect` : ''}. The host must fall under the router's domain or a DNS name that points at the router.`,
    ],
    commands: [
      shellLine(
        ['kubectl', '-n', 'openshift-ingress-operator', 'get', 'ingresscontroller', 'default', '-o', syntax("jsonpath='{.status.domain}'")],
        "the router's domain; with oc: oc -n openshift-ingress-operator get ingresscontroller default",
      ),
    ],
  };
}

/** EKS: the AWS Load Balancer Controller, installed by the runbook when its class is missing. */
function awsIngress({ settings, className, classCheck, quiet, mirror }: IngressContext, cloud: AwsCloud): Prerequisite {
  const lbc = AWS_LB_CONTROLLER;
  const airGapped = settings.network.mode === 'air-gapped';
  const source = airGapped
    ? [
        `oci://${mirror}/charts/aws-load-balancer-controller`,
        '--set',
        `image.repository=${mirror}/eks/aws-load-balancer-controller`,
        '--set',
        'enableShield=false',
        '--set',
        'enableWaf=false',
        '--set',
        'enableWafv2=false',
      ]
    : ['aws-load-balancer-controller', '--repo', 'https://aws.github.io/eks-charts'];
  return {
    bullets: [
      `- Ingress: the AWS Load Balancer Controller (IngressClass ${markdownCode(className)}), once per cluster. The stack created its IAM role (output \`loadBalancerControllerRoleArn\`, trusted by ${lbc.namespace}/${lbc.serviceAccount}); the line below installs the controller only when the class is missing.`,
      ...(airGapped
        ? [
            `- Air-gapped: the controller's chart and image are not in the installctl bundle; mirror them to ${markdownCode(`${mirror}/charts/aws-load-balancer-controller`)} and ${markdownCode(`${mirror}/eks/aws-load-balancer-controller`)} first.`,
          ]
        : []),
    ],
    commands: [
      // The mirror is ECR (or the site's registry): helm logs in first; the pull secret does not exist yet.
      ...(airGapped ? registryLoginLines(mirror.split('/')[0]!, ['helm'], null) : []),
      shellLine([
        ...classCheck,
        quiet,
        'helm',
        'upgrade',
        '--install',
        'aws-load-balancer-controller',
        ...source,
        '-n',
        lbc.namespace,
        '--set',
        shellWord('clusterName=', output('clusterName')),
        '--set',
        `region=${cloud.region}`,
        '--set',
        shellWord('vpcId=', output('vpcId')),
        '--set',
        `serviceAccount.name=${lbc.serviceAccount}`,
        // Helm reads the dots of the annotation's name escaped; the quotes keep the backslashes from the shell.
        '--set',
        shellWord('serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=', output('loadBalancerControllerRoleArn')),
        '--wait',
      ]),
      shellLine(classCheck, "the AWS Load Balancer Controller serves the platform's Ingress"),
    ],
  };
}

/** AKS: the application routing add-on, enabled by the stack on a new cluster and by the runbook on an existing one. */
function azureIngress({ install, settings, className, classCheck, quiet, internal }: IngressContext, cloud: AzureCloud): Prerequisite {
  const cluster = settings.cluster.mode === 'existing' ? settings.cluster.name : settings.name;
  const controller = internal ? 'Internal' : 'External';
  const approuting = (verb: string) => ['az', 'aks', 'approuting', verb, ...option('--resource-group', cloud.resourceGroup), ...option('--name', cluster)];
  const dns = azureIngressDns(settings, cloud, install.spec.ingress.hostname, internal);
  return {
    bullets: [
      `- Ingress: the AKS application routing add-on (managed NGINX, IngressClass ${markdownCode(className)}) with its default controller's load balancer ${controller.toLowerCase()}. ${settings.cluster.mode === 'new' ? 'The stack enabled it on the cluster.' : 'An existing cluster needs it enabled (the line below does so when the class is missing).'}`,
      ...dns.bullets,
    ],
    commands: [
      ...(settings.cluster.mode === 'existing'
        ? [
            shellLine([
              ...classCheck,
              quiet,
              operator('{'),
              ...approuting('enable'),
              operator('&&'),
              ...approuting('update'),
              '--nginx',
              shellWord(controller, syntax(';')),
              operator('}'),
            ]),
          ]
        : []),
      shellLine(classCheck, "the application routing add-on serves the platform's Ingress"),
      shellLine(
        [
          'kubectl',
          '-n',
          AKS_APP_ROUTING.namespace,
          'get',
          'service',
          AKS_APP_ROUTING.service,
          '-o',
          syntax("jsonpath='{.metadata.annotations.service\\.beta\\.kubernetes\\.io/azure-load-balancer-internal}'"),
        ],
        internal ? 'true: an internal load balancer' : 'empty: an external load balancer',
      ),
      ...dns.commands,
    ],
  };
}

/** GKE: the HTTP load balancing add-on, and for internal load balancers a proxy-only subnetwork. */
function gcpIngress({ settings, className, internal }: IngressContext, cloud: GcpCloud): Prerequisite {
  const cluster = settings.cluster.mode === 'existing' ? settings.cluster.name : settings.name;
  const network = cloud.vpc.mode === 'existing' ? cloud.vpc.network : null;
  const createSubnet = network
    ? shellLine([
        'gcloud',
        'compute',
        'networks',
        'subnets',
        'create',
        'NAME',
        '--purpose=REGIONAL_MANAGED_PROXY',
        '--role=ACTIVE',
        `--region=${cloud.region}`,
        `--network=${network}`,
        '--range=CIDR',
      ])
    : '';
  return {
    bullets: [
      `- Ingress: GKE's HTTP load balancing add-on serves class ${markdownCode(className)} (an annotation; GKE has no IngressClass object for it).`,
      ...(internal
        ? [
            network
              ? `- An internal Application Load Balancer needs an active proxy-only subnetwork (purpose REGIONAL_MANAGED_PROXY) in ${markdownText(cloud.region)} of network ${markdownText(network)}: the stack does not create it on an existing network (create one: ${markdownCode(createSubnet)}, a /26 or larger).`
              : `- An internal Application Load Balancer needs an active proxy-only subnetwork in ${markdownText(cloud.region)}: the stack created it with the network.`,
          ]
        : []),
    ],
    commands: [
      shellLine(
        [
          'gcloud',
          'container',
          'clusters',
          'describe',
          operand(cluster),
          ...option('--region', cloud.region),
          ...option('--project', cloud.projectId),
          syntax("--format='value(addonsConfig.httpLoadBalancing.disabled)'"),
        ],
        `empty or False: ${className} Ingresses get load balancers`,
      ),
      ...(internal
        ? [
            shellLine(
              [
                'gcloud',
                'compute',
                'networks',
                'subnets',
                'list',
                ...option('--project', cloud.projectId),
                ...option('--regions', cloud.region),
                ...(network ? option('--network', network) : []),
                '--filter=purpose=REGIONAL_MANAGED_PROXY',
                syntax("--format='value(name,role)'"),
              ],
              'one ACTIVE subnetwork',
            ),
          ]
        : []),
    ],
  };
}

/** The cloud's own controller for the chart's default class (a switch the compiler checks for every cloud). */
function cloudIngress(context: IngressContext, cloud: CloudSettings): Prerequisite {
  switch (cloud.type) {
    case 'aws':
      return awsIngress(context, cloud);
    case 'azure':
      return azureIngress(context, cloud);
    case 'gcp':
      return gcpIngress(context, cloud);
  }
}

/** The controller serving the chart's Ingress: what must exist, how to check it, how to get it. */
function ingressPrerequisite(install: Install, settings: InstallSettings, mirror: string): Prerequisite {
  const { spec } = install;
  const className = ingressClassOf(spec, settings);
  const classCheck = ['kubectl', 'get', 'ingressclass', operand(className)];
  const context: IngressContext = {
    install,
    settings,
    className,
    internal: (spec.ingress.exposure ?? 'internal') === 'internal',
    classCheck,
    quiet: operator('>/dev/null 2>&1 ||'),
    mirror,
  };
  if (settings.onprem?.distribution === 'openshift') return openshiftRoutes(context);
  // ingressClassOf gives '' where the chart has no class (OpenShift Routes): that is the default too.
  if (className !== (defaultIngressClass(settings, spec.ingress.exposure ?? 'internal') ?? '')) {
    return {
      bullets: [`- Ingress: the controller of class ${markdownCode(className)} (ingress.className), which you provide.`],
      commands: [shellLine(classCheck, "its controller serves the platform's Ingress")],
    };
  }
  if (settings.cloud) return cloudIngress(context, settings.cloud);
  return {
    bullets: [`- Ingress: an ingress controller serving class ${markdownCode(className)}.`],
    commands: [shellLine(classCheck, "its controller serves the platform's Ingress")],
  };
}

/** GPUs: who provides the NVIDIA driver and device plugin (gpuSoftware), and when `gpus` can check them. */
function gpuPrerequisite(settings: InstallSettings, selectorKey: string, gpus: string, installStep: number): { bullet: string; commands: string[]; verify: string[] } {
  switch (gpuSoftware(settings.platform)) {
    case 'chart-device-plugin':
      return {
        bullet: `- GPUs: nodes advertise \`nvidia.com/gpu\` once the NVIDIA device plugin runs; the model-server chart runs it on the GPU nodes (step ${installStep}), so it is checked after the install.`,
        commands: [],
        verify: [
          shellLine(['kubectl', ...option('-n', settings.workloads.modelsNamespace), 'rollout', 'status', 'daemonset/model-server-nvidia-device-plugin', '--timeout=10m']),
          gpus,
        ],
      };
    case 'platform-managed':
      return { bullet: "- GPUs: GKE installs the NVIDIA driver (the GPU pool's driver installation) and its own device plugin.", commands: [gpus], verify: [] };
    case 'gpu-operator':
      return {
        bullet: `- GPUs: the NVIDIA GPU Operator (driver, device plugin and GPU feature discovery labels such as ${markdownCode(selectorKey)}) must run in the cluster.`,
        commands: ["kubectl get clusterpolicies.nvidia.com   # the GPU Operator's ClusterPolicy: state ready", gpus],
        verify: [],
      };
  }
}

/** What must exist before the charts install, per platform, each with the command that checks it. */
export function prerequisites(install: Install, settings: InstallSettings, files: { modelServer: boolean }, mirror: string, installStep: number): Prerequisites {
  const ingress = ingressPrerequisite(install, settings, mirror);
  const gke = settings.cloud?.type === 'gcp' ? gcpDeployabilityPrerequisites(settings, settings.cloud, install.spec.ingress.hostname) : { bullets: [], commands: [] };
  const bullets = [...ingress.bullets, ...gke.bullets];
  const commands = [...ingress.commands, ...gke.commands];
  const verify: string[] = [];
  if (settings.cloud?.type === 'aws') {
    const cluster = awsClusterPrerequisites(settings, settings.cloud, mirror);
    bullets.push(...cluster.bullets);
    commands.push(...cluster.commands);
  }
  if (settings.onprem?.distribution === 'openshift') {
    verify.push(
      shellLine(
        [
          'kubectl',
          ...option('-n', settings.workloads.platformNamespace),
          'get',
          'routes.route.openshift.io',
          '-o',
          syntax('jsonpath=\'{range .items[*]}{.spec.host}{.spec.path} {.status.ingress[0].conditions[?(@.type=="Admitted")].status}{"\\n"}{end}\''),
        ],
        'one line per path, each True (admitted); or: oc get route',
      ),
    );
  }
  if (files.modelServer) {
    const selector = gpuNodeSelector(install, settings);
    const gpus = shellLine(
      ['kubectl', 'get', 'nodes', '-l', `${selector.key}=${selector.value}`, '-o', syntax("jsonpath='{..allocatable.nvidia\\.com/gpu}'")],
      'nvidia.com/gpu per GPU node; empty: no node advertises GPUs',
    );
    const gpu = gpuPrerequisite(settings, selector.key, gpus, installStep);
    bullets.push(gpu.bullet);
    commands.push(...gpu.commands);
    verify.push(...gpu.verify);
  }
  return { lines: [...bullets, '', '```sh', ...commands, '```', ''], verify };
}
