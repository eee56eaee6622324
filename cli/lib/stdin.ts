/** All of stdin as text, without its final newline: how secrets come in (never as flags, never in files). */
import { UserError } from './errors.js';
import { formatCap, SIZE_CAPS } from './read-capped.js';

/** At most SIZE_CAPS.stdinSecret bytes: a password piped from the wrong source (a disk image, /dev/zero) is refused, not buffered. */
export async function readStdin(maxBytes: number = SIZE_CAPS.stdinSecret): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    length += (chunk as Buffer).length;
    if (length > maxBytes) {
      process.stdin.destroy();
      throw new UserError(`standard input is larger than ${formatCap(maxBytes)}; expected a password or token`, {
        code: 'STDIN_TOO_LARGE',
        hint: 'pipe only the secret itself, e.g. cat registry-password | installctl ...',
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * The password for --username from `variable` (INSTALLCTL_REGISTRY_PASSWORD, INSTALLCTL_SOURCE_PASSWORD).
 * Set without --username it would be ignored and other credentials (the Docker config's) used
 * instead, so that is a usage error, as --username without a password is (set empty, it is not).
 */
export function passwordFromEnvironment(variable: string, username: string | undefined, command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[variable];
  if (username !== undefined || !value) return value;
  throw new UserError(`${variable} is set but --username is not: the password would be ignored`, {
    code: 'USAGE',
    hint: `pass --username with it, or unset ${variable} to use the Docker config (docker login); see installctl ${command} --help`,
  });
}
