/**
 * The ALB serves the ACM certificate the values name (ingress.tls.certificateArn ->
 * alb.ingress.kubernetes.io/certificate-arn), and only on the alb class; without one it keeps ACM
 * discovery by host. Rendered with the real Helm binaries.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cli/conformance/helm/helm.js';
import { fixturePath, helmBinaries, overrideFile, render } from './helpers.js';

const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
const ANNOTATION = 'alb.ingress.kubernetes.io/certificate-arn';

async function ingressAnnotations(fixture: string, tls: Record<string, unknown>, className?: string): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for (const binary of await helmBinaries()) {
    const override = overrideFile(`${fixture}-${binary.name}-${className ?? 'default'}`, { ingress: { tls, ...(className ? { className } : {}) } });
    const { result, objects } = await render('agent-platform', binary.helm, [fixturePath('agent-platform', fixture), override]);
    expect(result.ok, result.stderr).toBe(true);
    const ingress = objects.find((object: KubeObject) => object.kind === 'Ingress')!;
    out.push((ingress.metadata?.annotations ?? {}) as Record<string, string>);
  }
  return out;
}

describe('ingress TLS on the ALB', () => {
  it('names the ACM certificate on the alb class', async () => {
    for (const annotations of await ingressAnnotations('aws-ghes-bedrock-connected.yaml', { secretName: '', certificateArn: ARN })) expect(annotations[ANNOTATION]).toBe(ARN);
  });

  it('adds nothing without a certificate ARN, or on another class', async () => {
    for (const annotations of await ingressAnnotations('aws-ghes-bedrock-connected.yaml', { certificateArn: '' })) expect(annotations).not.toHaveProperty(ANNOTATION);
    for (const annotations of await ingressAnnotations('aws-ghes-bedrock-connected.yaml', { secretName: 'agents-tls', certificateArn: ARN }, 'nginx')) expect(annotations).not.toHaveProperty(ANNOTATION);
  });
});
