/**
 * Real OCI registries for tests: Debian's docker-registry (distribution 2.8) on 127.0.0.1 with a
 * random port, optionally behind htpasswd basic auth or TLS from a private CA made here with openssl.
 * A registry can be killed and restarted on the same port and storage (what the fault tests need).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { BundleFile } from '../../cli/bundle/reader.js';
import { pushPlan } from '../../cli/bundle/push-plan.js';
import { pushFiles, type PushFiles } from '../../cli/emit/push-files.js';
import { parseTarget } from '../../cli/bundle/push-target.js';

export interface RegistryOptions {
  auth?: { username: string; password: string };
  tls?: boolean;
}

export interface TestRegistry {
  host: string;
  dir: string;
  /** PEM of the CA that signed the registry's certificate (TLS only). */
  caFile: string | null;
  kill(): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A CA and a server certificate for 127.0.0.1/localhost signed by it. */
export function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=installctl test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt');
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };
}

function ping(host: string, caFile: string | null): Promise<boolean> {
  return new Promise((resolve) => {
    const client = caFile ? https : http;
    const req = client.get(`${caFile ? 'https' : 'http'}://${host}/v2/`, caFile ? { ca: readFileSync(caFile) } : {}, (response) => {
      response.resume();
      resolve(response.statusCode === 200 || response.statusCode === 401);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
  });
}

async function waitUntilUp(host: string, caFile: string | null, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${log()}`);
    if (await ping(host, caFile)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not come up on ${host}: ${log()}`);
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'installctl-registry-'));
  mkdirSync(join(dir, 'storage'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log: { level: warn, accesslog: { disabled: true } }',
    `storage: { filesystem: { rootdirectory: ${join(dir, 'storage')} }, delete: { enabled: true }, maintenance: { uploadpurging: { enabled: false } } }`,
    // A fixed secret keeps upload-session URLs valid across restarts (resumable pushes need that).
    `http: { addr: "${host}", secret: installctl-test-secret${options.tls ? `, tls: { certificate: ${join(dir, 'server.crt')}, key: ${join(dir, 'server.key')} }` : ''} }`,
  ];
  let caFile: string | null = null;
  if (options.tls) caFile = makeCertificates(dir).ca;
  if (options.auth) {
    const htpasswd = execFileSync('htpasswd', ['-Bbn', options.auth.username, options.auth.password], { encoding: 'utf8' });
    writeFileSync(join(dir, 'htpasswd'), htpasswd);
    lines.push(`auth: { htpasswd: { realm: installctl-test, path: ${join(dir, 'htpasswd')} } }`);
  }
  writeFileSync(join(dir, 'config.yml'), lines.join('\n') + '\n');
  // skopeo's signature policy for copies from and to this registry (tests carry no signatures).
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  let child: ChildProcess;
  // Logs go to a file, not a pipe: a test blocked in spawnSync would stop draining a pipe and the
  // registry would hang on its next log line.
  const logFile = join(dir, 'registry.log');
  const launch = async () => {
    const log = openSync(logFile, 'a');
    child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', log, log] });
    closeSync(log);
    await waitUntilUp(host, caFile, child, () => readFileSync(logFile, 'utf8').slice(-2000));
  };
  await launch();
  const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    host,
    dir,
    caFile,
    kill: () => void child.kill('SIGKILL'),
    restart: async () => {
      await exited();
      await launch();
    },
    stop: async () => {
      child.kill('SIGKILL');
      await exited();
    },
  };
}

/** skopeo against a test registry: TLS/auth flags for it, and a permissive policy (no signatures here). */
export function skopeo(registry: TestRegistry, args: string[], auth?: { username: string; password: string }): string {
  const policy = join(registry.dir, 'policy.json');
  const certDir = join(registry.dir, 'certs.d');
  if (registry.caFile) {
    mkdirSync(certDir, { recursive: true });
    writeFileSync(join(certDir, 'ca.crt'), readFileSync(registry.caFile));
  }
  const [command, ...rest] = args;
  const tls = registry.caFile
    ? command === 'copy'
      ? ['--src-cert-dir', certDir]
      : ['--cert-dir', certDir]
    : command === 'copy'
      ? ['--src-tls-verify=false']
      : ['--tls-verify=false'];
  const creds = auth ? (command === 'copy' ? ['--src-creds', `${auth.username}:${auth.password}`] : ['--creds', `${auth.username}:${auth.password}`]) : [];
  return execFileSync('skopeo', ['--policy', policy, command!, ...tls, ...creds, ...rest], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REGISTRY_AUTH_FILE: join(registry.dir, 'auth.json') },
  });
}

/** Every manifest of every item of a bundle, read back from the registry by skopeo, has the bundle's digest. */
export function expectBundleInRegistry(registry: TestRegistry, bundle: string, prefix: string, auth?: { username: string; password: string }): void {
  for (const item of pushPlan(new BundleFile(bundle))) {
    for (const manifest of item.manifests) {
      const raw = skopeo(registry, ['inspect', '--raw', `docker://${registry.host}/${prefix}/${item.repository}@${manifest.digest}`], auth);
      expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`, `${item.source} ${manifest.digest}`).toBe(manifest.digest);
    }
  }
}

/** The journal, receipt and relocation map bundle push keeps next to a bundle for one --registry value. */
export function filesFor(bundle: string, registry: string): PushFiles {
  return pushFiles(bundle, parseTarget(registry));
}
