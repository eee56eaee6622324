import { BaseCommand } from '../lib/base-command.js';
import type * as Output from '../generated/cli-output.js';

export default class Version extends BaseCommand<Output.Version> {
  static override summary = 'Print the versions of installctl, its charts, schemas and support-matrix data, and node.';

  static override description = `installctl --version prints the same.
Charts, schemas and matrix data are the ones built into this installctl (npm run build bundles them): each is shown with its version or apiVersion and sha256 (of the data's compact JSON), so two installs that print the same digests check and render specs alike. Paste it into bug reports.
--json prints {installctl, node, platform, charts: [{name, version, appVersion}], schemas: [{file, id, sha256}], matrix: {file, apiVersion, sha256, cells}, gpuPresets: {file, apiVersion, sha256}}.`;

  static override examples = [
    { description: 'Versions for a bug report', command: '<%= config.bin %> version' },
    { description: 'The chart versions as JSON', command: "<%= config.bin %> version --json | jq '.charts'" },
  ];

  async run(): Promise<Output.Version> {
    await this.parse(Version);
    const { formatVersion, versionReport } = await import('../services/version.js');
    return this.done(versionReport(), formatVersion);
  }
}
