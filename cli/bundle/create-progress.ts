/**
 * Progress of `bundle create` on stderr, in the style of the push's (push-progress.ts): a line per
 * phase, then while the tar is written a bar redrawn in place (bytes, rate, blobs) on a terminal, or
 * plain lines at every tenth of the bytes in CI. A bundle of several hundred MiB otherwise looks hung.
 */
import { formatBytes } from '../lib/sizes.js';
import { visibleLine } from '../lib/visible-text.js';

export type CreatePhase = 'render' | 'images' | 'charts' | 'plugins' | 'weights' | 'write' | 'sign';

export type CreateEvent =
  | { type: 'phase'; phase: CreatePhase }
  /** An image from images.txt gathered (its descriptors read from the source). */
  | { type: 'image'; done: number; total: number; reference: string }
  /** A weights file hashed (model/path): the slow part before writing when weights are large. */
  | { type: 'weights'; file: string; size: number }
  /** While the tar is written: bytes and blobs so far of the totals. */
  | { type: 'bytes'; written: number; total: number; blobs: number; totalBlobs: number };

const PHASES: Record<CreatePhase, string> = {
  render: 'rendering the spec',
  images: 'reading images from the source',
  charts: 'packaging the charts',
  plugins: 'adding the Pulumi plugins',
  weights: 'hashing model weights',
  write: 'writing the bundle',
  sign: 'signing the root digest',
};

export function createBundleProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): (event: CreateEvent) => void {
  const tty = Boolean(stream.isTTY);
  let writeStarted = 0;
  let lastDraw = 0;
  let lastStep = -1;
  let barShown = false;
  let last: Extract<CreateEvent, { type: 'bytes' }> | null = null;
  const rate = (bytes: number) => `${formatBytes(bytes / Math.max(0.001, (now() - writeStarted) / 1000))}/s`;
  const bar = (event: Extract<CreateEvent, { type: 'bytes' }>) => {
    const width = 28;
    const filled = Math.round((event.total ? Math.min(1, event.written / event.total) : 1) * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${formatBytes(event.written)}/${formatBytes(event.total)} ${rate(event.written)} blobs ${event.blobs}/${event.totalBlobs}`;
  };
  // Image references come from the rendered spec: shown escaped, each on its own line.
  const line = (text: string) => {
    stream.write(tty ? `\r\x1b[2K${visibleLine(text)}\n` : `${visibleLine(text)}\n`);
    barShown = false;
  };
  const finishBar = () => {
    // The full bar stays on screen above the next line.
    if (tty && barShown && last) stream.write(`\r\x1b[2K${bar(last)}\n`);
    barShown = false;
  };
  return (event) => {
    switch (event.type) {
      case 'phase':
        finishBar();
        if (event.phase === 'write') writeStarted = now();
        line(`${PHASES[event.phase]}...`);
        break;
      case 'image':
        if (tty) {
          stream.write(`\r\x1b[2K${visibleLine(`images ${event.done}/${event.total}: ${event.reference}`)}`);
          if (event.done === event.total) stream.write('\n');
        } else if (event.done === event.total || event.done % 10 === 0) line(`images: ${event.done}/${event.total}`);
        break;
      case 'weights':
        line(`hashed ${event.file} (${formatBytes(event.size)})`);
        break;
      case 'bytes': {
        last = event;
        if (tty) {
          if (now() - lastDraw > 100 || event.written === event.total) {
            lastDraw = now();
            stream.write(`\r\x1b[2K${bar(event)}`);
            barShown = true;
          }
          break;
        }
        const step = event.total ? Math.floor((event.written / event.total) * 10) : 10;
        // 100% once the last blob is complete, so the line says all blobs are in.
        if (step > lastStep && (step < 10 || event.blobs === event.totalBlobs)) {
          lastStep = step;
          line(`${step * 10}%: ${formatBytes(event.written)} of ${formatBytes(event.total)}, blobs ${event.blobs}/${event.totalBlobs}, ${rate(event.written)}`);
        }
        break;
      }
    }
  };
}
