/** oclif's loaded command list as the plain command catalog the help and completion services read (an oclif adapter: it lives with the commands, the only layer that knows oclif). */
import type { Config } from '@oclif/core/config';
import { commandCatalog, type CommandCatalog } from '../services/command-catalog.js';
import { DIMENSIONS, STATUSES, supportMatrix, type Dimension } from '../matrix/engine.js';

/**
 * Flags whose values the command checks itself against the support matrix (MATRIX_UNKNOWN_VALUE,
 * with a suggestion), so oclif is given no options for them: completion offers the matrix's own
 * values, the one list init and matrix accept.
 */
const MATRIX_VALUE_FLAGS: Record<string, readonly string[]> = { init: DIMENSIONS, matrix: [...DIMENSIONS, 'status'] };

function matrixValues(commandId: string, flag: string): string[] {
  if (!MATRIX_VALUE_FLAGS[commandId]?.includes(flag)) return [];
  return flag === 'status' ? [...STATUSES] : [...supportMatrix().dimensions[flag as Dimension]];
}

export function catalogFromConfig(config: Config): CommandCatalog {
  const words = (id: string) => id.replace(/:/g, ' ');
  return commandCatalog({
    bin: config.bin,
    version: config.version,
    commands: config.commands
      .filter((command) => !command.hidden)
      .map((command) => ({
        id: words(command.id),
        summary: command.summary ?? command.description ?? '',
        flags: Object.values(command.flags)
          .filter((flag) => !flag.hidden)
          .map((flag) => ({
            name: flag.name,
            char: flag.char ?? null,
            description: flag.summary ?? flag.description ?? '',
            takesValue: flag.type === 'option',
            options: flag.type !== 'option' ? [] : flag.options?.length ? [...flag.options] : matrixValues(command.id, flag.name),
            required: flag.required === true,
            multiple: flag.type === 'option' && flag.multiple === true,
          })),
        args: Object.values(command.args).map((arg) => ({
          name: arg.name,
          description: arg.description ?? '',
          options: [...(arg.options ?? [])],
          required: arg.required === true,
        })),
      })),
    topics: config.topics.map((topic) => ({ id: words(topic.name), summary: topic.description ?? '' })),
  });
}
