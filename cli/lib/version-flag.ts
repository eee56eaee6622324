/**
 * `installctl --version` runs the version command: oclif's own --version prints only
 * "installctl/0.1.0 linux-x64 node-v20", without the charts, schemas and matrix data a bug
 * report needs. Only a leading --version is taken, as oclif does (`render --version` stays an
 * unknown flag of render).
 */
export function withVersionCommand(args: readonly string[]): string[] {
  return args[0] === '--version' ? ['version', ...args.slice(1)] : [...args];
}
