/**
 * Ctrl-C during `preflight --active` deletes what the probe created before the process exits: the
 * real CLI, a fixture API server whose probe Pod never finishes, SIGINT once the Pod exists.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadSpecFile } from '../../cli/install-spec/load-spec.js';
import { preflightRequirements } from '../../cli/preflight/requirements.js';
import { startFixtureApiServer, type FixtureApiServer } from '../helpers/fixture-api-server.js';
import { healthyFixtureCluster } from '../helpers/fixture-cluster-for.js';
import { REPO } from '../helpers/cli.js';

let server: FixtureApiServer | undefined;
afterAll(async () => server?.close());

describe('preflight --active, interrupted', () => {
  it.each(['examples/aws-github-saas-connected.yaml', 'examples/aws-ghes-self-hosted-air-gapped.yaml'])(
    '%s: SIGINT while the probe Pod runs deletes it (or its namespace), then exits 130',
    async (example) => {
      const spec = join(REPO, example);
      const now = new Date();
      const loaded = loadSpecFile(spec, { now });
      const cluster = healthyFixtureCluster(preflightRequirements(loaded.install!, loaded.cell!, { now }));
      cluster.network.podHangs = true;
      server = await startFixtureApiServer(cluster);
      const child = spawn(process.execPath, [join(REPO, 'cli/bin/run.js'), 'preflight', spec, '--kubeconfig', server.kubeconfigFile, '--active'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const podCreated = () => server!.requests.some((request) => request.method === 'POST' && /\/pods$/.test(request.path));
      for (let waited = 0; !podCreated() && waited < 20_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(podCreated()).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const deletes = server.requests.filter((request) => request.method === 'DELETE').map((request) => request.path);
      expect(
        deletes.some((path) => /\/namespaces\/installctl-preflight-[0-9a-f]+$|\/pods\/installctl-preflight-probe-[0-9a-f]+$/.test(path)),
        deletes.join(', '),
      ).toBe(true);
      expect(stderr).toContain('interrupted (SIGINT)');
      await server.close();
      server = undefined;
    },
    60_000,
  );
});
