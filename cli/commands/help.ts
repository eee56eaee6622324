import * as Args from '@oclif/core/args';
import { Help } from '@oclif/core/help';
import { BaseCommand } from '../lib/base-command.js';
import { UserError } from '../lib/errors.js';
import { catalogFromConfig } from './oclif-catalog.js';
import { closest, quoteList } from '../lib/suggest.js';
import { commandPaths, commandsUnder } from '../services/command-catalog.js';
import type * as Output from '../generated/cli-output.js';

export default class HelpCommand extends BaseCommand<Output.Help> {
  static override summary = 'Show help for a command or topic, as COMMAND --help does.';

  static override description = `installctl help bundle push is installctl bundle push --help; installctl help bundle lists the bundle commands; installctl help alone lists every command.
An unknown command is a usage error (USAGE, exit 2) with a did-you-mean.
--json prints {subject, commands: [{id, summary, flags: [{name, char, description, takesValue, options, required, multiple}], args: [{name, description, options, required}]}]}: the commands the subject covers (all for none).`;

  static override examples = [
    { description: 'Help for one command', command: '<%= config.bin %> help bundle push' },
    { description: 'The commands of a topic', command: '<%= config.bin %> help bundle' },
    { description: 'Every command and flag, for tooling', command: '<%= config.bin %> help --json' },
  ];

  static override strict = false;

  static override args = {
    command: Args.string({ description: 'command or topic, as typed (bundle push)', required: false }),
  };

  async run(): Promise<Output.Help> {
    const { argv } = await this.parse(HelpCommand);
    const words = (argv as string[]).filter((word) => !word.startsWith('-'));
    const subject = words.join(' ');
    const catalog = catalogFromConfig(this.config);
    const paths = commandPaths(catalog);
    if (subject !== '' && !paths.includes(subject)) {
      const suggestion = closest(subject, paths);
      // As the command_not_found hook says it; the error printer shows invisible characters escaped.
      throw new UserError(`unknown command '${subject}'`, {
        code: 'USAGE',
        hint: suggestion ? `did you mean 'installctl help ${suggestion}'?` : `commands: ${quoteList(paths)}`,
      });
    }
    const result: Output.Help = { subject: subject === '' ? null : subject, commands: commandsUnder(catalog, subject) };
    // The human text is oclif's help, which prints itself.
    if (!this.jsonEnabled()) await new Help(this.config).showHelp(words);
    return this.done(result, () => '');
  }
}
