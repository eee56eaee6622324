/** bundle create progress: phases, then a bar on a terminal or a line per tenth of the bytes in CI. */
import { describe, expect, it } from 'vitest';
import { createBundleProgress, type CreateEvent } from '../../cli/bundle/create-progress.js';
import { sink } from '../helpers/terminal-sink.js';

const MiB = 1024 ** 2;

/** 360 MiB written over 9 s in 1 MiB steps (25 ms each), 40 blobs; 12 images gathered first. */
function replay(isTTY: boolean) {
  const out = sink(isTTY);
  let clock = 0;
  const progress = createBundleProgress(out.stream, () => clock);
  const events: CreateEvent[] = [
    { type: 'phase', phase: 'render' },
    { type: 'phase', phase: 'images' },
  ];
  for (let done = 1; done <= 12; done++) events.push({ type: 'image', done, total: 12, reference: `registry.installctl.dev/agent-platform/app-${done}@sha256:${'a'.repeat(64)}` });
  events.push(
    { type: 'phase', phase: 'charts' },
    { type: 'phase', phase: 'plugins' },
    { type: 'phase', phase: 'weights' },
    { type: 'weights', file: 'qwen/model.safetensors', size: 300 * MiB },
    { type: 'phase', phase: 'write' },
  );
  for (const event of events) progress(event);
  for (let mib = 1; mib <= 360; mib++) {
    clock += 25;
    // As the service does: bytes as they flow (the blob not yet counted), then once per finished blob.
    progress({ type: 'bytes', written: mib * MiB, total: 360 * MiB, blobs: Math.floor((mib - 1) / 9), totalBlobs: 40 });
    if (mib % 9 === 0) progress({ type: 'bytes', written: mib * MiB, total: 360 * MiB, blobs: mib / 9, totalBlobs: 40 });
  }
  progress({ type: 'phase', phase: 'sign' });
  return out;
}

describe('bundle create progress', () => {
  it('in CI: plain lines, one per phase and per tenth of the bytes, with blobs and rate', () => {
    const text = replay(false).text();
    expect(text).not.toMatch(/\r|\x1b/);
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((line) => line.endsWith('...'))).toEqual([
      'rendering the spec...',
      'reading images from the source...',
      'packaging the charts...',
      'adding the Pulumi plugins...',
      'hashing model weights...',
      'writing the bundle...',
      'signing the root digest...',
    ]);
    expect(lines).toContain('hashed qwen/model.safetensors (300.0 MiB)');
    expect(lines).toContain('images: 10/12');
    expect(lines).toContain('images: 12/12');
    const percents = lines.filter((line) => /^\d+%/.test(line));
    expect(percents.map((line) => line.split(':')[0])).toEqual(['0%', '10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%', '100%']);
    // 36 MiB after 0.9 s: 40 MiB/s.
    expect(percents[1]).toBe('10%: 36.0 MiB of 360.0 MiB, blobs 3/40, 40.0 MiB/s');
    expect(percents.at(-1)).toBe('100%: 360.0 MiB of 360.0 MiB, blobs 40/40, 40.0 MiB/s');
  });

  it('on a terminal: the bar is redrawn in place at most every 100 ms and left whole above the next phase', () => {
    const out = replay(true);
    const draws = out.chunks.filter((chunk) => chunk.startsWith('\r\x1b[2K['));
    // 360 byte events 25 ms apart: a redraw only after more than 100 ms (plus the last one).
    expect(draws.length).toBeGreaterThan(60);
    expect(draws.length).toBeLessThan(120);
    expect(draws.at(-1)).toMatch(/^\r\x1b\[2K\[#{28}\] 360\.0 MiB\/360\.0 MiB 40\.0 MiB\/s blobs 40\/40\n$/);
    expect(out.chunks.at(-1)).toBe('\r\x1b[2Ksigning the root digest...\n');
    expect(out.text()).toContain('images 12/12: registry.installctl.dev/agent-platform/app-12@');
  });

  it('shows an image reference and a weights file name with control characters inert', () => {
    const out = sink(true);
    createBundleProgress(out.stream, () => 0)({ type: 'image', done: 1, total: 2, reference: 'evil\u001b]0;pwned\u0007' });
    expect(out.text().replace(/^\r\x1b\[2K/, '')).not.toMatch(/[\u0000-\u001f]/);
    const plain = sink(false);
    createBundleProgress(plain.stream, () => 0)({ type: 'weights', file: 'm/\u001b[2Jevil\nx', size: 1 });
    expect(plain.text().trimEnd()).not.toMatch(/[\u0000-\u001f]/);
  });
});
