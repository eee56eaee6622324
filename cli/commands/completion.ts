import * as Args from '@oclif/core/args';
import { BaseCommand } from '../lib/base-command.js';
import { catalogFromConfig } from './oclif-catalog.js';
import { completionScript, SHELLS } from '../services/completion.js';
import type * as Output from '../generated/cli-output.js';

export default class Completion extends BaseCommand<Output.Completion> {
  static override summary = 'Print a shell completion script (bash, zsh or fish) for every command and flag.';

  static override description = `The script is generated from the commands of this installctl: after an upgrade, generate it again.
It completes commands and topics (also after help), each command's flags after -, the listed values of a flag such as matrix --format, and file names for arguments and file flags.
--json prints {shell, script}.`;

  static override examples = [
    { description: 'bash, for this shell', command: 'source <(<%= config.bin %> completion bash)' },
    { description: 'bash, for good', command: '<%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/<%= config.bin %>' },
    { description: 'zsh, for good (a directory in $fpath)', command: '<%= config.bin %> completion zsh > "${fpath[1]}/_<%= config.bin %>"' },
    { description: 'fish, for good', command: '<%= config.bin %> completion fish > ~/.config/fish/completions/<%= config.bin %>.fish' },
  ];

  static override args = {
    shell: Args.string({ description: 'bash | zsh | fish', options: [...SHELLS], required: true }),
  };

  async run(): Promise<Output.Completion> {
    const { args } = await this.parse(Completion);
    const shell = args.shell as (typeof SHELLS)[number];
    const script = completionScript(shell, catalogFromConfig(this.config));
    // The human text is the script itself, ready for source or a completions directory.
    return this.done({ shell, script }, (result) => result.script);
  }
}
