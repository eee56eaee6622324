/** Small AWS helpers shared by the AWS components. */
import type { AwsCloud } from '../settings.js';

/** The ARN partition of a region (GovCloud regions live in aws-us-gov). */
export function partitionOf(region: string): 'aws' | 'aws-us-gov' {
  return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

export function managedPolicyArn(cloud: Pick<AwsCloud, 'region'>, policy: string): string {
  return `arn:${partitionOf(cloud.region)}:iam::aws:policy/${policy}`;
}

/** A JSON policy document, deterministic (keys in insertion order). */
export function policyDocument(statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** EC2 resources a node group's launch template tags at launch: the node group's own tags stop at the group. */
export const AWS_LAUNCH_TAGGED = ['instance', 'volume', 'network-interface'] as const;
