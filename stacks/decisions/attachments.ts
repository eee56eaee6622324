/**
 * Reaching a new VPC from the site: the interface endpoints operators need inside an air-gapped VPC.
 * Shared by the AWS network stack and the `network-reachable` policy.
 */

/**
 * Session Manager's endpoints: with them, an operator reaches a bastion instance in the private
 * subnets (shell or port forward to the private API server) with no inbound port and no internet.
 */
export const AWS_OPERATOR_INTERFACE_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'] as const;
