/**
 * Ctrl-C (SIGINT) or SIGTERM during a long command: one line saying what to do next, and the exit
 * code shells use for a signal (128 + its number: 130, 143), instead of node's silent death or a
 * stack. Whatever the command must keep is already on disk when the signal can arrive: JavaScript
 * handlers run between the command's synchronous, atomic writes (the push journal), never inside one.
 */
import { jsonText } from './visible-text.js';

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Until the returned function is called, SIGINT and SIGTERM print `message` (one line on stderr;
 * with json, also {"error": {code: "INTERRUPTED", ...}} on stdout) and exit 128 + the signal number.
 */
export function exitOnInterrupt(message: string, options: { json: boolean; hint?: string }): () => void {
  const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
    const handler = () => {
      // A progress bar may own the current terminal line: clear it first.
      const clear = process.stderr.isTTY ? '\r\x1b[2K' : '';
      process.stderr.write(`${clear}installctl: ${message}\n`);
      if (options.json) process.stdout.write(jsonText({ error: { code: 'INTERRUPTED', message: `${message} (${signal})`, hint: options.hint ?? null } }, 2) + '\n');
      process.exit(128 + number);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}

/**
 * Until the returned function is called, SIGINT and SIGTERM first run `cleanup` (what the command
 * created in someone else's system: preflight --active's probe Pod), waiting at most `timeoutMs`,
 * then print `message` and exit 128 + the signal number. A second signal exits at once.
 */
export function cleanUpOnInterrupt(cleanup: () => Promise<unknown>, message: string, timeoutMs = 15_000): () => void {
  let cleaning = false;
  const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
    const handler = () => {
      if (cleaning) process.exit(128 + number);
      cleaning = true;
      process.stderr.write(`installctl: interrupted (${signal}): ${message}\n`);
      const limit = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref());
      void Promise.race([cleanup().catch(() => undefined), limit]).finally(() => process.exit(128 + number));
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
