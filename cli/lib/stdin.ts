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
      throw new UserError(`standard input is larger than ${formatCap(maxBytes)}; expected a password or token`, { code: 'STDIN_TOO_LARGE', hint: 'pipe only the secret itself, e.g. cat registry-password | installctl ...' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
