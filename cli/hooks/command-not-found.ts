/** oclif hook: an unknown command is a usage error (exit 2) with a did-you-mean, in installctl's error format. */
import type { Hook } from '@oclif/core/hooks';
import { toErrorJson, UserError } from '../lib/errors.js';
import { closest, quoteList } from '../lib/suggest.js';
import { jsonText, visibleLine } from '../lib/visible-text.js';

const commandNotFound: Hook<'command_not_found'> = async function (options) {
  const ids = options.config.commandIDs.map((id) => id.replace(/:/g, ' '));
  // With a space separator oclif joins the arguments that follow into the id; the first word is the attempt.
  const attempted = options.id.split(':')[0]!;
  const suggestion = closest(attempted, ids) ?? closest(options.id.replace(/:/g, ' '), ids);
  const error = new UserError(`unknown command '${attempted}'`, {
    code: 'USAGE',
    hint: suggestion ? `did you mean 'installctl ${suggestion}'?` : `commands: ${quoteList(ids)}`,
  });
  if ((options.argv ?? []).includes('--json')) process.stdout.write(jsonText(toErrorJson(error), 2) + '\n');
  else process.stderr.write(`installctl: error[${error.code}]: ${visibleLine(error.message)}\n  hint: ${visibleLine(error.hint ?? '')}\n`);
  process.exitCode = error.exitCode;
};

export default commandNotFound;
