/** Progress of a push on stderr: a live bar with bytes and rate on a terminal, plain lines in CI. */
import { formatBytes } from '../lib/sizes.js';
import { visibleLine } from '../lib/visible-text.js';
import type { PushEvent, PushPlanSummary } from './push-types.js';
import { describeTags } from './push-tags.js';

export function describePlan(plan: PushPlanSummary): string {
  const { blobs, bytes } = plan;
  return `plan: ${blobs.total} blobs in ${plan.items} repositories (${blobs.unique} unique): ${blobs.present} already present, ${blobs.toSend} to send (${formatBytes(bytes.toSend)}), ${blobs.toMount} to mount; ${plan.manifests} manifests`;
}

export function createPushProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): (event: PushEvent) => void {
  const started = now();
  let total = 0;
  let sent = 0;
  let blobs = 0;
  let toSend = 0;
  let lastDraw = 0;
  let lastPlainStep = -1;
  const rate = () => {
    const seconds = Math.max(0.001, (now() - started) / 1000);
    return `${formatBytes(sent / seconds)}/s`;
  };
  const bar = () => {
    const width = 28;
    const fraction = total ? Math.min(1, sent / total) : 1;
    const filled = Math.round(fraction * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${formatBytes(sent)}/${formatBytes(total)} ${rate()} blobs ${blobs}/${toSend}`;
  };
  const tty = Boolean(stream.isTTY);
  // Reasons and repositories come from the registry and the bundle: shown escaped, on their line.
  const line = (text: string, bar = '') => stream.write(tty ? `\r\x1b[2K${bar}${visibleLine(text)}\n` : `${visibleLine(text)}\n`);
  return (event) => {
    switch (event.type) {
      case 'credentials':
        line(`credentials: ${event.source}`);
        break;
      case 'probe':
        line(`registry: API ${event.probe.apiVersion ?? 'unknown'}, ${event.probe.tls ? 'TLS' : 'plain HTTP'}, auth ${event.probe.auth}`);
        break;
      case 'plan':
        total = event.plan.bytes.toSend;
        toSend = event.plan.blobs.toSend;
        if (event.resumed) line('resuming an earlier push of this bundle (journal found)');
        line(describePlan(event.plan));
        for (const text of describeTags(event.plan.tags)) line(text);
        break;
      case 'resume':
        line(`resume ${event.digest.slice(0, 19)} in ${event.repository} at ${formatBytes(event.offset)}`);
        break;
      case 'retry':
        line(`retry ${event.attempt}: ${event.reason} (waiting ${(event.delayMs / 1000).toFixed(1)}s)`);
        break;
      case 'blob':
        if (event.action === 'sent') blobs++;
        if (!tty && event.action === 'sent') line(`sent ${event.digest.slice(0, 19)} to ${event.repository} (${formatBytes(event.bytes)})`);
        break;
      case 'bytes': {
        sent = event.sent;
        if (tty && now() - lastDraw > 100) {
          lastDraw = now();
          stream.write(`\r\x1b[2K${bar()}`);
        }
        const step = total ? Math.floor((sent / total) * 10) : 10;
        if (!tty && step > lastPlainStep && step < 10) {
          lastPlainStep = step;
          line(`${step * 10}%: ${formatBytes(sent)} of ${formatBytes(total)}, ${rate()}`);
        }
        break;
      }
      case 'manifests':
        if (event.done === event.total) line(`manifests: ${event.total} put`, tty ? bar() + '\n' : '');
        break;
      case 'chunk':
        // A chunk's bytes reach the bar through the 'bytes' events; it has no line of its own.
        break;
    }
  };
}
