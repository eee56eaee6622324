/**
 * The --active probe Pod: its spec, the script it runs and how its log is read. No shell text is
 * built from the spec's values: the script is a constant and every host and port reaches it as a
 * positional parameter ("$1" ...), so nothing a host holds can become shell syntax. The script
 * prints one line per probe, `installctl-probe INDEX ok|fail|notool`, and the reader accepts nothing
 * else: the log is the cluster's text, and only the index and a word from that list are taken.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { PreflightEvidence } from '../generated/preflight-evidence.js';
import type { ActivePlan } from '../preflight/types.js';
import { clip } from './evidence-fields.js';

export type ActiveEvidence = NonNullable<PreflightEvidence['active']>;
export type Probe = ActiveEvidence['probes'][number];

/** One check the script runs: resolve a host, connect to host:port, or (egress) expect NOT to connect. */
export interface ScriptProbe {
  id: string;
  kind: 'dns' | 'tcp' | 'public-egress';
  host: string;
  port: number;
}

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'installctl', 'app.kubernetes.io/component': 'preflight-probe' } as const;

/**
 * POSIX sh. $1 is the connect timeout in seconds, then one (kind host port) triple per probe.
 * getent or nslookup resolve; nc -z or bash's /dev/tcp connect; 127 says the image has neither.
 */
export const PROBE_SCRIPT = [
  't=$1; shift; i=0',
  'have() { command -v "$1" >/dev/null 2>&1; }',
  'resolves() { if have getent; then getent hosts "$1" >/dev/null 2>&1; elif have nslookup; then nslookup "$1" >/dev/null 2>&1; else return 127; fi; }',
  'connects() { if have nc; then nc -z -w "$t" "$1" "$2" >/dev/null 2>&1; elif have bash && have timeout; then timeout "$t" bash -c \'exec 3<>"/dev/tcp/$1/$2"\' probe "$1" "$2" >/dev/null 2>&1; else return 127; fi; }',
  'while [ "$#" -ge 3 ]; do',
  '  kind=$1; host=$2; port=$3; shift 3',
  '  if [ "$kind" = dns ]; then resolves "$host"; else connects "$host" "$port"; fi',
  '  rc=$?',
  '  case $rc in 0) r=ok ;; 127) r=notool ;; *) r=fail ;; esac',
  '  echo "installctl-probe $i $r"',
  '  i=$((i+1))',
  'done',
  'echo installctl-probe-done',
].join('\n');

/** The probes of a plan: DNS and TCP for each endpoint, and the public host (port 443) that must stay unreachable. */
export function scriptProbes(active: ActivePlan): ScriptProbe[] {
  const probes: ScriptProbe[] = [];
  for (const endpoint of active.endpoints) {
    probes.push({ id: `${endpoint.id}:dns`, kind: 'dns', host: endpoint.host, port: endpoint.port });
    probes.push({ id: `${endpoint.id}:tcp`, kind: 'tcp', host: endpoint.host, port: endpoint.port });
  }
  if (active.publicHost !== null) probes.push({ id: 'public-egress', kind: 'public-egress', host: active.publicHost, port: 443 });
  return probes;
}

/** The container's argv: the constant script, then the values as positional parameters. */
export function probeCommand(probes: ScriptProbe[], connectTimeoutSeconds: number): string[] {
  return [
    '/bin/sh',
    '-c',
    PROBE_SCRIPT,
    'installctl-probe',
    String(connectTimeoutSeconds),
    ...probes.flatMap((probe) => [probe.kind === 'dns' ? 'dns' : 'tcp', probe.host, String(probe.port)]),
  ];
}

export interface ProbePodOptions {
  name: string;
  namespace: string;
  image: string;
  pullSecret: string | null;
  command: string[];
  deadlineSeconds: number;
  /** OpenShift assigns the UID from the namespace's range: a fixed runAsUser would be refused. */
  assignUid: boolean;
}

/** A Pod that passes the restricted Pod Security Standard and a ResourceQuota that asks for requests and limits. */
export function probePod(options: ProbePodOptions): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: options.name, namespace: options.namespace, labels: { ...MANAGED_BY } },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: options.deadlineSeconds,
      terminationGracePeriodSeconds: 0,
      ...(options.pullSecret === null ? {} : { imagePullSecrets: [{ name: options.pullSecret }] }),
      securityContext: { runAsNonRoot: true, ...(options.assignUid ? { runAsUser: 65534 } : {}), seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: options.image,
          // Always: the probe proves the mirror and the pull secret, not a copy the node cached.
          imagePullPolicy: 'Always',
          command: options.command,
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

const LINE = /^installctl-probe (\d{1,4}) (ok|fail|notool)$/;

/** Each probe's word from the log (null when the log has no line for it). Anything else in the log is ignored. */
export function parseProbeLog(log: string, count: number): Array<'ok' | 'fail' | 'notool' | null> {
  const results = new Array<'ok' | 'fail' | 'notool' | null>(count).fill(null);
  for (const line of log.split('\n')) {
    const match = LINE.exec(line.trimEnd());
    if (!match) continue;
    const index = Number(match[1]);
    if (index < count && results[index] === null) results[index] = match[2] as 'ok' | 'fail' | 'notool';
  }
  return results;
}

const TOOLS = { dns: 'getent or nslookup', tcp: 'nc or bash', 'public-egress': 'nc or bash' } as const;

/** A probe's evidence from the script's word (null: the script never got to it). */
export function probeEvidence(probe: ScriptProbe, word: 'ok' | 'fail' | 'notool' | null, timeoutSeconds: number, notRun: string): Probe {
  const target = probe.kind === 'dns' ? probe.host : `${probe.host}:${probe.port}`;
  const base = { id: clip(probe.id, 128), kind: probe.kind, target: clip(target, 1100) };
  // "cannot tell" starts every result that is neither a pass nor a fail (cli/preflight/active.ts reads it as error).
  if (word === null) return { ...base, ok: false, detail: clip(`cannot tell: ${notRun}`, 2000) };
  if (word === 'notool') return { ...base, ok: false, detail: `cannot tell: the probe image has neither ${TOOLS[probe.kind]}` };
  switch (probe.kind) {
    case 'dns':
      return { ...base, ok: word === 'ok', detail: word === 'ok' ? 'resolves from a Pod' : 'does not resolve from a Pod' };
    case 'tcp':
      return { ...base, ok: word === 'ok', detail: word === 'ok' ? 'accepts a TCP connection from a Pod' : `no TCP connection from a Pod within ${timeoutSeconds} s` };
    case 'public-egress':
      return { ...base, ok: word === 'fail', detail: word === 'fail' ? 'not reachable from a Pod, as an air gap must be' : 'REACHABLE from a Pod: the air gap leaks' };
  }
}
