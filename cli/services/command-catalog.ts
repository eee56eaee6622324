/**
 * The command line as data: every command with its flags and arguments, in plain shapes (no oclif
 * types), for `installctl help --json` and the shell completion scripts. The command layer builds it
 * from oclif's command list; this module sorts it and checks that every name is one a shell script
 * can hold unquoted, so a generated completion script never needs to quote a command or flag name.
 */

export interface CatalogFlag {
  name: string;
  char: string | null;
  description: string;
  /** true when the flag takes a value (--out DIR), false for a switch (--force). */
  takesValue: boolean;
  /** the values a flag accepts, when it lists them (--format table|csv|...); [] for free values. */
  options: string[];
  required: boolean;
  multiple: boolean;
}

export interface CatalogArg {
  name: string;
  description: string;
  options: string[];
  required: boolean;
}

export interface CatalogCommand {
  /** words separated by spaces, as typed: "bundle push". */
  id: string;
  summary: string;
  flags: CatalogFlag[];
  args: CatalogArg[];
}

export interface CatalogTopic {
  id: string;
  summary: string;
}

export interface CommandCatalog {
  bin: string;
  version: string;
  commands: CatalogCommand[];
  topics: CatalogTopic[];
}

const WORD = /^[a-z][a-z0-9-]*$/;
const OPTION = /^[A-Za-z0-9][A-Za-z0-9._/+-]*$/;

/** Names come from installctl's own command classes: one that breaks the rule is a bug to fix here. */
function checked(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new Error(`${what} ${JSON.stringify(value)} is not a plain shell word`);
  return value;
}

/** The first line of a description, on one line, short enough for a completion menu. */
export function oneLine(text: string | undefined, max = 80): string {
  const line = (text ?? '').split('\n')[0]!.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3).trimEnd()}...` : line;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Sorted, checked and with every topic a command id implies (bundle for bundle push). */
export function commandCatalog(input: CommandCatalog): CommandCatalog {
  const commands = input.commands
    .map((command) => ({
      id: command.id
        .split(' ')
        .map((word) => checked(word, WORD, 'command word'))
        .join(' '),
      summary: oneLine(command.summary),
      flags: command.flags
        .map((flag) => ({
          ...flag,
          name: checked(flag.name, WORD, 'flag'),
          char: flag.char === null ? null : checked(flag.char, /^[A-Za-z]$/, 'flag character'),
          description: oneLine(flag.description),
          options: flag.options.map((option) => checked(option, OPTION, `--${flag.name} value`)),
        }))
        .sort(byName),
      args: command.args.map((arg) => ({ ...arg, description: oneLine(arg.description), options: arg.options.map((option) => checked(option, OPTION, `${arg.name} value`)) })),
    }))
    .sort(byId);
  const summaries = new Map(input.topics.map((topic) => [topic.id, oneLine(topic.summary)]));
  const topicIds = new Set<string>();
  for (const command of commands) {
    const words = command.id.split(' ');
    for (let length = 1; length < words.length; length++) topicIds.add(words.slice(0, length).join(' '));
  }
  const commandIds = new Set(commands.map((command) => command.id));
  const topics = [...topicIds]
    .filter((id) => !commandIds.has(id))
    .map((id) => ({ id, summary: summaries.get(id) ?? '' }))
    .sort(byId);
  return { bin: checked(input.bin, WORD, 'binary name'), version: input.version, commands, topics };
}

/** The words that may follow a command path: its subcommands and topics (the next word of longer ids). */
export function nextWords(catalog: CommandCatalog, path: string): Array<{ word: string; summary: string }> {
  const prefix = path === '' ? '' : `${path} `;
  const words = new Map<string, string>();
  for (const entry of [...catalog.topics, ...catalog.commands]) {
    if (!entry.id.startsWith(prefix)) continue;
    const rest = entry.id.slice(prefix.length).split(' ');
    const word = rest[0]!;
    if (rest.length === 1) words.set(word, entry.summary);
    else if (!words.has(word)) words.set(word, catalog.topics.find((topic) => topic.id === prefix + word)?.summary ?? '');
  }
  return [...words].map(([word, summary]) => ({ word, summary })).sort((a, b) => (a.word < b.word ? -1 : 1));
}

/** Every command path a completion script must recognise: each command and topic id. */
export function commandPaths(catalog: CommandCatalog): string[] {
  return [...new Set([...catalog.topics.map((topic) => topic.id), ...catalog.commands.map((command) => command.id)])].sort();
}

/** The commands a help subject covers: one command, a topic's commands, or all for the root. */
export function commandsUnder(catalog: CommandCatalog, subject: string): CatalogCommand[] {
  if (subject === '') return catalog.commands;
  return catalog.commands.filter((command) => command.id === subject || command.id.startsWith(`${subject} `));
}
