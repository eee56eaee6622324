/** The validate path stays light: one bundled module, nothing from Pulumi or the Kubernetes client. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/cli.js';

describe('installctl validate start-up path', () => {
  it('imports no Pulumi, Kubernetes client or ajv compiler module', () => {
    const record = join(mkdtempSync(join(tmpdir(), 'installctl-imports-')), 'imports.txt');
    const run = runCli(['validate', join(REPO, 'examples', 'aws-ghes-self-hosted-air-gapped.yaml')], {
      env: { RECORD_IMPORTS_FILE: record, NODE_OPTIONS: `--import=${join(REPO, 'test', 'helpers', 'record-imports.mjs')}` },
    });
    expect(run.status, run.stderr).toBe(0);
    const urls = readFileSync(record, 'utf8').trim().split('\n');
    expect(urls.some((url) => url.endsWith('/dist/installctl.js'))).toBe(true);
    const files = urls.filter((url) => url.startsWith('file:'));
    expect(files.filter((url) => /@pulumi|@kubernetes|ajv\/dist\/(2020|core|compile)/.test(url))).toEqual([]);
    // The CLI is bundled: a handful of files, not hundreds of node_modules.
    expect(files.filter((url) => url.includes('/node_modules/')).length).toBeLessThanOrEqual(2);
  });
});
