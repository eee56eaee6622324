/** installctl version and --version through the built binary. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectSchemaDef } from '../helpers/schemas.js';

describe('installctl version', () => {
  it('prints installctl, charts, schemas and matrix data; --version prints the same', () => {
    const version = runCli(['version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^installctl \d+\.\d+\.\d+ \(node v\d+/);
    for (const part of ['agent-platform', 'model-server', 'schemas/install.schema.json', 'matrix/support-matrix.yaml']) expect(version.stdout).toContain(part);
    const flag = runCli(['--version']);
    expect(flag.status, flag.stderr).toBe(0);
    expect(flag.stdout).toBe(version.stdout);
  });

  it.each([[['version', '--json']], [['--version', '--json']]])('%j prints the documented JSON', (args) => {
    const run = runCli(args);
    expect(run.status, run.stderr).toBe(0);
    expectSchemaDef('cli-output.schema.json', 'version', run.json());
    expect(run.json().charts.map((chart: { name: string }) => chart.name)).toEqual(['agent-platform', 'model-server']);
  });

  it('takes --version only first, as oclif does: a command keeps it an unknown flag', () => {
    const run = runCli(['matrix', '--version', '--json']);
    expect(run.status).toBe(2);
    expect(run.json().error.code).toBe('USAGE');
  });
});
