/** oclif's loaded command list as the plain command catalog the help and completion services read. */
import type { Config } from '@oclif/core/config';
import { commandCatalog, type CommandCatalog } from '../services/command-catalog.js';

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
            options: flag.type === 'option' ? [...(flag.options ?? [])] : [],
            required: flag.required === true,
            multiple: flag.type === 'option' && flag.multiple === true,
          })),
        args: Object.values(command.args).map((arg) => ({ name: arg.name, description: arg.description ?? '', options: [...(arg.options ?? [])], required: arg.required === true })),
      })),
    topics: config.topics.map((topic) => ({ id: words(topic.name), summary: topic.description ?? '' })),
  });
}
