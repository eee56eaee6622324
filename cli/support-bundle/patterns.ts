/**
 * Known failure patterns over a support bundle's objects (check-catalogue layer 'bundle'), with the
 * preflight outcome model: each pattern reports a fail per object it matches, a pass when nothing
 * matches, and an error when the objects it reads could not be collected. Read from the trimmed
 * objects (trim.ts), which keep the API's field names. Cluster values quoted in messages are
 * escaped and cut (quoteForMessage): a pod name or event message cannot forge output lines.
 */
import { quoteForMessage } from '../lib/visible-text.js';
import { compareText } from '../lib/compare.js';
import { CHECK_CATALOGUE, docAnchor } from '../preflight/check-catalogue.js';
import type { CheckOutcome, CheckResult } from '../preflight/types.js';

type Raw = Record<string, unknown>;

/** The objects of one install namespace, as the bundle holds them (null: that collector did not succeed). */
export interface NamespaceSnapshot {
  namespace: string;
  pods: Raw[] | null;
  events: Raw[] | null;
  jobs: Raw[] | null;
  pvcs: Raw[] | null;
}

export interface PatternInput {
  namespaces: NamespaceSnapshot[];
  /** spec.registry.mirror (HOST[:PORT][/PREFIX]); null when the spec has none. */
  mirror: string | null;
  /** Storage class names the evidence saw; null when they were not collected. */
  storageClasses: string[] | null;
}

const obj = (value: unknown): Raw => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {});
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.map(obj) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const q = (text: string) => quoteForMessage(text);

function result(id: string, outcome: CheckOutcome, subject: string | null, message: string, remedy = ''): CheckResult {
  return { id, outcome, message, remedy, doc: docAnchor(id), subject };
}

const subjectOf = (namespace: string, kind: string, name: string) => `${kind} ${namespace}/${name}`;

/** The registry host[:port] and repository path of an image reference (Docker Hub when the first part is no host). */
export function imageLocation(image: string): { host: string; path: string } {
  const withoutDigest = image.split('@')[0]!;
  const slash = withoutDigest.indexOf('/');
  const first = slash === -1 ? '' : withoutDigest.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const rest = isHost ? withoutDigest.slice(slash + 1) : withoutDigest;
  const path = rest.replace(/:[^/]*$/, '');
  return { host: isHost ? first : 'docker.io', path: isHost || path.includes('/') ? path : `library/${path}` };
}

/** Whether an image comes from the mirror: same host[:port] and, when the mirror has one, under its path prefix. */
export function fromMirror(image: string, mirror: string): boolean {
  const slash = mirror.indexOf('/');
  const host = slash === -1 ? mirror : mirror.slice(0, slash);
  const prefix = slash === -1 ? '' : mirror.slice(slash + 1);
  const location = imageLocation(image);
  return location.host === host && (prefix === '' || location.path === prefix || location.path.startsWith(`${prefix}/`));
}

interface ContainerView {
  namespace: string;
  pod: string;
  spec: Raw;
  status: Raw;
}

function containers(snapshot: NamespaceSnapshot): ContainerView[] {
  return (snapshot.pods ?? []).flatMap((pod) => {
    const name = str(obj(pod.metadata).name);
    const status = obj(pod.status);
    const specs = [...list(obj(pod.spec).initContainers), ...list(obj(pod.spec).containers)];
    return [...list(status.initContainerStatuses), ...list(status.containerStatuses)].map((entry) => ({
      namespace: snapshot.namespace,
      pod: name,
      spec: specs.find((candidate) => candidate.name === entry.name) ?? {},
      status: entry,
    }));
  });
}

function imagePullForeignRegistry(input: PatternInput, snapshot: NamespaceSnapshot): CheckResult[] {
  const pulling = containers(snapshot).filter((view) => /^(ImagePullBackOff|ErrImagePull)$/.test(str(obj(obj(view.status.state).waiting).reason)));
  return pulling.map((view) => {
    const image = str(view.status.image) || str(view.spec.image);
    const subject = subjectOf(view.namespace, 'Pod', view.pod);
    const reason = str(obj(obj(view.status.state).waiting).reason);
    if (input.mirror && !fromMirror(image, input.mirror)) {
      return result(
        'image-pull-foreign-registry',
        'fail',
        subject,
        `container ${q(str(view.status.name))} is in ${reason} on ${q(image)}, which is not from the mirror ${q(input.mirror)}`,
        'render with --relocate MAP (the map bundle push wrote) or set global.imageRegistry, so every image comes from the mirror',
      );
    }
    const where = input.mirror ? `from the mirror ${q(input.mirror)}` : 'and the spec names no mirror';
    return result(
      'image-pull-foreign-registry',
      'warn',
      subject,
      `container ${q(str(view.status.name))} is in ${reason} on ${q(image)} ${where}`,
      'check that the image was pushed (bundle push) and that the pull secret names the registry (preflight check pull-secret)',
    );
  });
}

function oomKilled(_input: PatternInput, snapshot: NamespaceSnapshot): CheckResult[] {
  return containers(snapshot)
    .filter((view) => str(obj(obj(view.status.state).waiting).reason) === 'CrashLoopBackOff' && str(obj(obj(view.status.lastState).terminated).reason) === 'OOMKilled')
    .map((view) => {
      const limit = str(obj(obj(view.spec.resources).limits).memory);
      return result(
        'oom-killed',
        'fail',
        subjectOf(view.namespace, 'Pod', view.pod),
        `container ${q(str(view.status.name))} is in CrashLoopBackOff: it was OOMKilled (memory limit ${limit ? q(limit) : 'none set'}, ${Number(view.status.restartCount) || 0} restarts)`,
        "raise the component's memory limit in the values (resources.limits.memory), or the sizing, and re-render",
      );
    });
}

const INSUFFICIENT_GPU = /Insufficient nvidia\.com\/gpu/i;

function pendingGpu(_input: PatternInput, snapshot: NamespaceSnapshot): CheckResult[] {
  const pending = (snapshot.pods ?? []).filter((pod) => str(obj(pod.status).phase) === 'Pending');
  return pending.flatMap((pod) => {
    const name = str(obj(pod.metadata).name);
    const fromCondition = list(obj(pod.status).conditions).find((condition) => condition.type === 'PodScheduled' && INSUFFICIENT_GPU.test(str(condition.message)));
    const fromEvent = (snapshot.events ?? []).find((event) => {
      const involved = obj(event.involvedObject);
      return event.reason === 'FailedScheduling' && involved.kind === 'Pod' && involved.name === name && INSUFFICIENT_GPU.test(str(event.message));
    });
    const message = str(fromCondition?.message) || str(fromEvent?.message);
    if (!message) return [];
    return [
      result(
        'pending-gpu',
        'fail',
        subjectOf(snapshot.namespace, 'Pod', name),
        `Pending: the scheduler found no node with enough nvidia.com/gpu (${q(message)})`,
        "add GPU nodes (the pool's maxNodes), free GPUs other pods hold, or lower the model's replicas or tensor-parallel size; preflight check gpu-capacity shows each node",
      ),
    ];
  });
}

const CLASS_NOT_FOUND = /storageclass\.storage\.k8s\.io "([^"]*)" not found/;

function pvcPendingClass(input: PatternInput, snapshot: NamespaceSnapshot): CheckResult[] {
  const pending = (snapshot.pvcs ?? []).filter((claim) => str(obj(claim.status).phase) === 'Pending');
  return pending.flatMap((claim) => {
    const name = str(obj(claim.metadata).name);
    const className = str(obj(claim.spec).storageClassName);
    const event = (snapshot.events ?? []).find((candidate) => {
      const involved = obj(candidate.involvedObject);
      return involved.kind === 'PersistentVolumeClaim' && involved.name === name && candidate.reason === 'ProvisioningFailed' && CLASS_NOT_FOUND.test(str(candidate.message));
    });
    const missing = event ? CLASS_NOT_FOUND.exec(str(event.message))![1]! : className && input.storageClasses && !input.storageClasses.includes(className) ? className : null;
    if (missing === null) return [];
    return [
      result(
        'pvc-pending-class',
        'fail',
        subjectOf(snapshot.namespace, 'PersistentVolumeClaim', name),
        `Pending: storage class ${q(missing)} does not exist${event ? ` (${q(str(event.message))})` : ''}`,
        'create the storage class, or set the class the values use to one the cluster has (preflight check storage-class lists them)',
      ),
    ];
  });
}

/** The chart's migration Job: component label migrations (name RELEASE-migrations, or -rN when it is a regular Job). */
function isMigrationJob(job: Raw): boolean {
  const meta = obj(job.metadata);
  const labels = obj(meta.labels);
  return labels['app.kubernetes.io/component'] === 'migrations' || /-migrations(?:-r\d+)?$/.test(str(meta.name));
}

function migrationJobFailed(_input: PatternInput, snapshot: NamespaceSnapshot): CheckResult[] {
  return (snapshot.jobs ?? []).filter(isMigrationJob).flatMap((job) => {
    const failed = list(obj(job.status).conditions).find((condition) => condition.type === 'Failed' && condition.status === 'True');
    if (!failed) return [];
    const why = [str(failed.reason), str(failed.message)].filter(Boolean).join(': ');
    return [
      result(
        'migration-job-failed',
        'fail',
        subjectOf(snapshot.namespace, 'Job', str(obj(job.metadata).name)),
        `the database migration Job failed${why ? ` (${q(why)})` : ''} after ${Number(obj(job.status).failed) || 0} failed pod(s)`,
        "read the migration pod's log in the bundle (logs/...), fix the database access or schema problem it names, then helm upgrade again",
      ),
    ];
  });
}

type Pattern = (input: PatternInput, snapshot: NamespaceSnapshot) => CheckResult[];

/** Each pattern, what it reads (an error when any of it is missing), and what a pass says. */
const PATTERNS: Record<string, { run: Pattern; reads: Array<'pods' | 'events' | 'jobs' | 'pvcs'>; passes: string }> = {
  'image-pull-foreign-registry': { run: imagePullForeignRegistry, reads: ['pods'], passes: 'no container is failing to pull its image' },
  'oom-killed': { run: oomKilled, reads: ['pods'], passes: 'no container is crash-looping after an OOM kill' },
  'pending-gpu': { run: pendingGpu, reads: ['pods', 'events'], passes: 'no pod is Pending for lack of nvidia.com/gpu' },
  'pvc-pending-class': { run: pvcPendingClass, reads: ['pvcs', 'events'], passes: 'no claim is Pending on a missing storage class' },
  'migration-job-failed': { run: migrationJobFailed, reads: ['jobs'], passes: 'no migration Job has failed' },
};

/** Every bundle-layer check of the catalogue over every namespace, in catalogue order, then by subject. */
export function analyzePatterns(input: PatternInput): CheckResult[] {
  const results: CheckResult[] = [];
  for (const entry of CHECK_CATALOGUE.filter((candidate) => candidate.layer === 'bundle')) {
    const pattern = PATTERNS[entry.id];
    if (!pattern) throw new Error(`bundle check ${entry.id} has no pattern in cli/support-bundle/patterns.ts`);
    const found: CheckResult[] = [];
    const missing: string[] = [];
    for (const snapshot of input.namespaces) {
      const absent = pattern.reads.filter((kind) => snapshot[kind] === null);
      if (absent.length) missing.push(`${snapshot.namespace} (${absent.join(', ')})`);
      found.push(...pattern.run(input, snapshot));
    }
    found.sort((a, b) => compareText(a.subject ?? '', b.subject ?? ''));
    results.push(...found);
    if (missing.length) {
      results.push(
        result(entry.id, 'error', null, `not collected: ${missing.join('; ')}`, 'see collectors.json in the bundle for why; collect again with the permissions it names'),
      );
    } else if (!found.length)
      results.push(result(entry.id, 'pass', null, `${pattern.passes} in ${input.namespaces.map((snapshot) => snapshot.namespace).join(', ') || 'no namespace'}`));
  }
  return results;
}
