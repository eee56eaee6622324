/** Push progress: a redrawn bar with bytes and rate on a terminal; plain, sparse lines in CI. */
import { describe, expect, it } from 'vitest';
import { createPushProgress, describePlan } from '../../cli/bundle/push-progress.js';
import type { PushEvent, PushPlanSummary } from '../../cli/services/bundle-push.js';
import { sink } from '../helpers/terminal-sink.js';

const MiB = 1024 ** 2;
const plan: PushPlanSummary = {
  items: 3,
  blobs: { total: 12, unique: 10, present: 2, toMount: 1, toSend: 7 },
  bytes: { total: 120 * MiB, present: 20 * MiB, toSend: 100 * MiB },
  manifests: 5,
  tags: { total: 3, present: 1, toSet: 2, moved: [] },
};

/** A push of 100 MiB over 10 s, in 1 MiB steps, 7 blobs: the clock advances 100 ms per MiB. */
function replay(isTTY: boolean) {
  const out = sink(isTTY);
  let clock = 0;
  const progress = createPushProgress(out.stream, () => clock);
  const events: PushEvent[] = [
    { type: 'probe', probe: { apiVersion: 'registry/2.0', auth: 'basic', tls: true } },
    { type: 'plan', plan, resumed: true },
    { type: 'retry', attempt: 1, reason: 'HTTP 429', delayMs: 1500 },
  ];
  for (const event of events) progress(event);
  for (let mib = 1; mib <= 100; mib++) {
    clock += 100;
    progress({ type: 'bytes', sent: mib * MiB, total: 100 * MiB });
    if (mib % 15 === 0) progress({ type: 'blob', digest: `sha256:${String(mib).padStart(64, '0')}`, repository: 'site/app', action: 'sent', bytes: 15 * MiB });
  }
  progress({ type: 'manifests', done: 5, total: 5 });
  return out;
}

describe('push progress', () => {
  it('describes the plan: total, present, to send and bytes', () => {
    expect(describePlan(plan)).toBe('plan: 12 blobs in 3 repositories (10 unique): 2 already present, 7 to send (100.0 MiB), 1 to mount; 5 manifests');
  });

  it('in CI: plain lines only, one per tenth of the bytes and per blob, with the rate', () => {
    const text = replay(false).text();
    expect(text).not.toMatch(/\r|\x1b/);
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'registry: API registry/2.0, TLS, auth basic',
      'resuming an earlier push of this bundle (journal found)',
      describePlan(plan),
      'tags: 3 (1 in place, 2 to set, 0 to move)',
      'retry 1: HTTP 429 (waiting 1.5s)',
    ]);
    const percents = lines.filter((line) => /^\d+%/.test(line));
    expect(percents.map((line) => line.split(':')[0])).toEqual(['0%', '10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%']);
    // 10 MiB after 1 s: 10 MiB/s.
    expect(percents[1]).toBe('10%: 10.0 MiB of 100.0 MiB, 10.0 MiB/s');
    expect(lines.filter((line) => line.startsWith('sent sha256:'))).toHaveLength(6);
    expect(lines.at(-1)).toBe('manifests: 5 put');
  });

  it('on a terminal: the bar is redrawn in place at most every 100 ms, with bytes, rate and blobs', () => {
    const out = replay(true);
    const draws = out.chunks.filter((chunk) => chunk.startsWith('\r\x1b[2K['));
    // 100 byte events 100 ms apart, but a redraw needs more than 100 ms since the last one.
    expect(draws.length).toBeGreaterThan(40);
    expect(draws.length).toBeLessThan(100);
    // The last line leaves the full bar on screen above the summary.
    expect(out.chunks.at(-1)).toMatch(/^\r\x1b\[2K\[#{28}\] 100\.0 MiB\/100\.0 MiB 10\.0 MiB\/s blobs 6\/7\nmanifests: 5 put\n$/);
    expect(draws[4]).toMatch(/\[#{2,3}-+\] \d+\.0 MiB\/100\.0 MiB 10\.0 MiB\/s blobs 0\/7/);
    expect(out.text()).not.toMatch(/^sent sha256:/m);
    expect(out.text()).toContain('manifests: 5 put');
  });
});
