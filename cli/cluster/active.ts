/**
 * --active: one short-lived Pod that pulls the plan's mirrored image by digest and, from inside the
 * cluster, resolves and connects to each endpoint and (air-gapped) fails to reach a public host.
 *
 * Where it runs: a pull secret must be in the Pod's own namespace, and copying it would mean reading
 * its values, which preflight never does. So with a pull secret the Pod runs in the install's
 * namespace that holds it (labelled app.kubernetes.io/managed-by=installctl, deleted afterwards); a
 * namespace that does not exist yet is reported (create it with its pull secret first). Without a
 * pull secret it runs in a namespace of its own, installctl-preflight-<random>, deleted afterwards.
 * What was created is deleted whatever happens (a failed pull, a timeout, an error), and the
 * evidence says whether the delete was accepted.
 */
import { randomBytes } from 'node:crypto';
import { cleanUpOnInterrupt } from '../lib/interrupt.js';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import type { ActivePlan } from '../preflight/types.js';
import { bounded, collectorStatusOf, isNotFound, OK, type CollectorStatus } from './api-status.js';
import { MANAGED_BY, parseProbeLog, probeCommand, probeEvidence, probePod, scriptProbes, type ActiveEvidence, type Probe } from './active-pod.js';
import type { ClusterConnection } from './connect.js';
import { clip } from './evidence-fields.js';

export interface ActiveOptions {
  /** How long the Pod may take to pull, run and finish. */
  timeoutMs: number;
  /** How often its status is read. */
  pollMs: number;
  /** Seconds each DNS or TCP probe may take inside the Pod. */
  connectTimeoutSeconds: number;
  /** The install namespace that holds the pull secret (the Pod runs there when the plan has a pull secret). */
  namespace: string | null;
  /** OpenShift: let the platform assign the Pod's UID. */
  openShift: boolean;
}

const DEFAULTS: ActiveOptions = { timeoutMs: 180_000, pollMs: 2_000, connectTimeoutSeconds: 5, namespace: null, openShift: false };

export interface ActiveOutcome {
  active: ActiveEvidence | null;
  status: CollectorStatus;
}

/** Waiting reasons that mean the image will not be pulled. */
const PULL_FAILED = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable', 'SignatureValidationFailed']);
/** Waiting reasons after a successful pull that mean the container will not start. */
const START_FAILED = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'StartError']);

type PodState = { kind: 'pending'; detail: string } | { kind: 'pull-failed'; detail: string } | { kind: 'start-failed'; detail: string } | { kind: 'finished'; detail: string };

export function podState(pod: V1Pod): PodState {
  const status = pod.status?.containerStatuses?.[0];
  const waiting = status?.state?.waiting;
  const said = (reason: string | undefined, message: string | undefined) => bounded([reason, message].filter(Boolean).join(': '), 500);
  if (waiting?.reason && PULL_FAILED.has(waiting.reason)) return { kind: 'pull-failed', detail: said(waiting.reason, waiting.message) };
  if (waiting?.reason && START_FAILED.has(waiting.reason)) return { kind: 'start-failed', detail: said(waiting.reason, waiting.message) };
  const terminated = status?.state?.terminated;
  if (terminated) return { kind: 'finished', detail: `exit code ${terminated.exitCode}${terminated.reason ? ` (${bounded(terminated.reason, 100)})` : ''}` };
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return { kind: 'finished', detail: `phase ${pod.status.phase}` };
  const scheduling = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled' && condition.status === 'False');
  return { kind: 'pending', detail: said(waiting?.reason ?? scheduling?.reason ?? pod.status?.phase ?? 'Pending', waiting?.message ?? scheduling?.message) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForPod(core: CoreV1Api, name: string, namespace: string, options: ActiveOptions): Promise<PodState> {
  const deadline = Date.now() + options.timeoutMs;
  let state: PodState = { kind: 'pending', detail: 'Pending' };
  while (Date.now() < deadline) {
    state = podState(await core.readNamespacedPod({ name, namespace }));
    if (state.kind !== 'pending') return state;
    await sleep(Math.min(options.pollMs, Math.max(0, deadline - Date.now())));
  }
  return { kind: 'pending', detail: `not finished within ${Math.round(options.timeoutMs / 1000)} s (${state.detail})` };
}

/** The probes' evidence once the Pod stopped (or did not get that far). */
async function probesOf(core: CoreV1Api, pod: { name: string; namespace: string }, active: ActivePlan, state: PodState, options: ActiveOptions): Promise<Probe[]> {
  const pulled = state.kind === 'finished' || state.kind === 'start-failed';
  const imageProbe: Probe = {
    id: 'image',
    kind: 'image-pull',
    target: clip(active.image, 1100),
    ok: pulled,
    detail: pulled ? 'pulled by digest with the pull secret' : `not pulled: ${state.detail}`,
  };
  const probes = scriptProbes(active);
  let words = probes.map(() => null as 'ok' | 'fail' | 'notool' | null);
  let notRun = state.kind === 'finished' ? `the probe did not report it (${state.detail})` : `not run: ${state.detail}`;
  if (state.kind === 'finished') {
    try {
      const log = await core.readNamespacedPodLog({ ...pod, container: 'probe', limitBytes: 64 * 1024 });
      words = parseProbeLog(String(log), probes.length);
    } catch (error) {
      notRun = `the probe's log could not be read: ${collectorStatusOf(error, 'read the probe log').message}`;
    }
  }
  return [imageProbe, ...probes.map((probe, index) => probeEvidence(probe, words[index] ?? null, options.connectTimeoutSeconds, notRun))].slice(0, 200);
}

/** Deletes what the run created; true when the API server accepted the delete (or it was gone already). */
async function cleanUp(core: CoreV1Api, created: { namespace: string | null; pod: { name: string; namespace: string } | null }): Promise<boolean> {
  try {
    if (created.namespace !== null) await core.deleteNamespace({ name: created.namespace, propagationPolicy: 'Background' });
    else if (created.pod !== null) await core.deleteNamespacedPod({ ...created.pod, gracePeriodSeconds: 0 });
    return true;
  } catch (error) {
    return isNotFound(error);
  }
}

export async function runActiveProbes(connection: ClusterConnection, active: ActivePlan, overrides: Partial<ActiveOptions> = {}): Promise<ActiveOutcome> {
  const options = { ...DEFAULTS, ...overrides };
  if (!/@sha256:[0-9a-f]{64}$/.test(active.image))
    return { active: null, status: { status: 'failed', httpStatus: null, message: bounded(`--active pulls an image by digest only, not ${active.image}`, 2000) } };
  const core = connection.api(CoreV1Api);
  const suffix = randomBytes(4).toString('hex');
  const ownNamespace = active.pullSecret === null ? `installctl-preflight-${suffix}` : null;
  const namespace = ownNamespace ?? options.namespace;
  if (namespace === null) return { active: null, status: { status: 'failed', httpStatus: null, message: 'the plan names a pull secret but no install namespace that holds it' } };
  const created: { namespace: string | null; pod: { name: string; namespace: string } | null } = { namespace: null, pod: null };
  let cleanedUp = false;
  // Ctrl-C during the wait (up to the timeout) must not leave the probe behind in the customer's cluster.
  const release = cleanUpOnInterrupt(() => cleanUp(core, created), 'deleting what preflight --active created (the probe Pod, or its own namespace) before exiting');
  try {
    if (ownNamespace !== null) {
      await core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ownNamespace, labels: { ...MANAGED_BY } } } });
      created.namespace = ownNamespace;
    }
    const pod = { name: `installctl-preflight-probe-${suffix}`, namespace };
    const deadlineSeconds = Math.max(30, Math.ceil(options.timeoutMs / 1000) + 30);
    const body = probePod({
      ...pod,
      image: active.image,
      pullSecret: active.pullSecret,
      command: probeCommand(scriptProbes(active), options.connectTimeoutSeconds),
      deadlineSeconds,
      assignUid: !options.openShift,
    });
    await core.createNamespacedPod({ namespace, body });
    created.pod = pod;
    const state = await waitForPod(core, pod.name, namespace, options);
    const probes = await probesOf(core, pod, active, state, options);
    cleanedUp = await cleanUp(core, created);
    return { active: { namespace, image: clip(active.image, 1100), probes, cleanedUp }, status: OK };
  } catch (error) {
    const status = collectorStatusOf(
      error,
      isNotFound(error) && ownNamespace === null ? `run the probe Pod in namespace ${namespace} (create it with its pull secret first)` : '--active probes',
    );
    return { active: null, status };
  } finally {
    if (!cleanedUp && (created.namespace !== null || created.pod !== null)) await cleanUp(core, created);
    release();
  }
}
