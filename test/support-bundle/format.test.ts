import { describe, expect, it } from 'vitest';
import { formatAnalyzeResult } from '../../cli/commands/support-bundle/analyze.js';
import { formatSupportBundleResult } from '../../cli/commands/support-bundle/index.js';
import type * as Output from '../../cli/generated/cli-output.js';

const check = (id: string, outcome: 'pass' | 'warn' | 'fail' | 'error', subject: string | null, message: string): Output.CheckResult => ({
  id,
  outcome,
  message,
  remedy: outcome === 'pass' ? '' : `fix ${id}`,
  doc: `README.md#preflight-${id}`,
  subject,
});

describe('support-bundle human output', () => {
  it('groups analyze results fail, error, warn, pass, with remedies and anchors for what is not a pass', () => {
    const text = formatAnalyzeResult({
      file: 'b.tar.gz',
      collectedAt: '2026-12-02T21:00:00.000Z',
      install: { name: 'acme-gov', cell: 'aws/github-enterprise-server/self-hosted/air-gapped' },
      results: [
        check('kubernetes-version', 'pass', null, 'ok'),
        check('oom-killed', 'fail', 'Pod ns/a', 'OOMKilled'),
        check('rbac', 'error', null, 'no review'),
        check('gpu-taints', 'warn', null, 'none'),
      ],
      summary: { pass: 1, warn: 1, fail: 1, error: 1 },
      notes: [],
      exitCode: 3,
    });
    const headings = text.split('\n').filter((line) => /^[A-Z]/.test(line));
    expect(headings).toEqual(['FAIL (1)', 'ERROR (could not check) (1)', 'WARN (1)', 'PASS (1)']);
    expect(text).toContain('  oom-killed [Pod ns/a]: OOMKilled\n    fix: fix oom-killed\n    see: README.md#preflight-oom-killed');
    expect(text).not.toContain('see: README.md#preflight-kubernetes-version');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 fail, 1 error, 1 warn, 1 pass');
  });

  it('escapes cluster values: a subject or message cannot start a line of its own', () => {
    const text = formatAnalyzeResult({
      file: 'b.tar.gz',
      collectedAt: 'x',
      install: { name: 'acme-gov', cell: 'c' },
      results: [check('oom-killed', 'fail', 'Pod ns/a\nPASS (99)', 'm\u001b[2J')],
      summary: { pass: 0, warn: 0, fail: 1, error: 0 },
      notes: [],
      exitCode: 3,
    });
    expect(text).not.toMatch(/^PASS/m);
    expect(text).not.toContain('\u001b');
  });

  it('says what support-bundle wrote, redacted and could not collect', () => {
    const text = formatSupportBundleResult({
      out: 'acme.tar.gz',
      bytes: 2048,
      sha256: 'a'.repeat(64),
      collectedAt: '2026-12-02T21:00:00.000Z',
      install: { name: 'acme-gov', cell: 'c' },
      namespaces: ['acme-gov-platform'],
      files: 9,
      truncated: ['logs/acme-gov-platform/api-0/api.log'],
      omitted: [],
      redactions: { total: 3, byRule: { 'github-token': 2, 'credential-assignment': 1 } },
      problems: [{ namespace: 'acme-gov-platform', collector: 'jobs', status: 'forbidden', httpStatus: 403 }],
      exitCode: 0,
    });
    expect(text).toContain('wrote acme.tar.gz (2.0 KiB, 9 files');
    expect(text).toContain('redacted: 3 values (github-token 2, credential-assignment 1)');
    expect(text).toContain('not collected: jobs in acme-gov-platform: forbidden (HTTP 403)');
    expect(text).not.toContain('nothing could be read');
  });
});
