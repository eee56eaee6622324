/**
 * The AWS Load Balancer Controller: the agent-platform chart's Ingress (class alb) stays without an
 * address until it runs. The stack creates only its IRSA role; the runbook installs the controller
 * (it is not part of the platform release) and checks IngressClass alb before the charts.
 */

/** The controller's service account, as its Helm chart creates it. */
export const AWS_LB_CONTROLLER = { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller', ingressClass: 'alb' } as const;

/** Role names are at most 64 characters: the install name (at most 40) plus this suffix. */
export function awsLbControllerRoleName(installName: string): string {
  return `${installName}-aws-lb-controller`;
}

/**
 * The controller's IAM policy (upstream docs/install/iam_policy.json, v2.x): read-only discovery
 * everywhere, and changes only to load balancers, target groups and security groups that carry
 * its own elbv2.k8s.aws/cluster tag.
 */
export function awsLbControllerStatements(partition: string): object[] {
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:*:*:${resource}`;
  const ownedByController = { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } };
  const taggedOnCreate = { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } };
  const balancers = [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')];
  return [
    { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole'], Resource: '*', Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } } },
    {
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools', 'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: [
        'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate',
        'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
        'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection',
      ],
      Resource: '*',
    },
    { Effect: 'Allow', Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:CreateSecurityGroup'], Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: `arn:${partition}:ec2:*:*:security-group/*`, Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...taggedOnCreate } },
    {
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: `arn:${partition}:ec2:*:*:security-group/*`,
      Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    { Effect: 'Allow', Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], Resource: '*', Condition: ownedByController },
    { Effect: 'Allow', Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], Resource: '*', Condition: taggedOnCreate },
    { Effect: 'Allow', Action: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'], Resource: '*' },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: balancers,
      Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*')],
    },
    {
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
      ],
      Resource: '*',
      Condition: ownedByController,
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags'],
      Resource: balancers,
      Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] }, ...taggedOnCreate },
    },
    { Effect: 'Allow', Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], Resource: elb('targetgroup/*/*') },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
      Resource: '*',
    },
  ];
}
