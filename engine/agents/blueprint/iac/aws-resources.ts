/**
 * Typed constructs for the AWS resource types the blueprint emits (issues 7, 15): the attributes
 * we set, in Terraform's names, and nothing from a generated provider package. `terraform
 * validate` against hashicorp/aws 5.x checks them (test/blueprint/terraform-aws.integration.test.ts).
 */
import { resourceType, type Attributes, type ResourceClass } from './typed-resource.ts';

const r = <C extends Attributes>(type: string): ResourceClass<C> => resourceType<C>(type, 'aws');

type Tagged = { tags: Attributes };

// Network
export const AwsVpc = r<
  Tagged & { cidr_block: string; enable_dns_hostnames: boolean; enable_dns_support: boolean }
>('aws_vpc');
export const AwsSubnet = r<
  Tagged & { vpc_id: string; cidr_block: string; availability_zone: string }
>('aws_subnet');
export const AwsInternetGateway = r<Tagged & { vpc_id: string }>('aws_internet_gateway');
export const AwsRouteTable = r<Tagged & { vpc_id: string }>('aws_route_table');
export const AwsRoute = r<{
  route_table_id: string;
  destination_cidr_block: string;
  gateway_id: string;
}>('aws_route');
export const AwsRouteTableAssociation = r<{ subnet_id: string; route_table_id: string }>(
  'aws_route_table_association',
);
export const AwsVpcEndpoint = r<
  Tagged &
    Attributes & {
      vpc_id: string;
      service_name: string;
      vpc_endpoint_type: 'Interface' | 'Gateway';
    }
>('aws_vpc_endpoint');
export const AwsSecurityGroup = r<Tagged & { name: string; description: string; vpc_id: string }>(
  'aws_security_group',
);
/** One ingress rule (AWS provider 5 style: a resource per rule, so groups can reference each other). */
export const AwsSgIngress = r<
  Tagged & Attributes & { security_group_id: string; ip_protocol: string; description: string }
>('aws_vpc_security_group_ingress_rule');
export const AwsSgEgress = r<
  Tagged & Attributes & { security_group_id: string; ip_protocol: string; description: string }
>('aws_vpc_security_group_egress_rule');

// Data stores
export const AwsDbSubnetGroup = r<{ name: string; subnet_ids: string[] }>('aws_db_subnet_group');
export const AwsDbInstance = r<
  Attributes & { identifier: string; engine: 'postgres'; engine_version: string }
>('aws_db_instance');
export const AwsElasticacheSubnetGroup = r<{ name: string; subnet_ids: string[] }>(
  'aws_elasticache_subnet_group',
);
export const AwsElasticacheReplicationGroup = r<
  Attributes & { replication_group_id: string; engine: 'redis' }
>('aws_elasticache_replication_group');

// Edge: load balancer, DNS, TLS, WAF
export const AwsLb = r<Tagged & Attributes & { name: string; load_balancer_type: 'application' }>(
  'aws_lb',
);
export const AwsLbTargetGroup = r<
  Tagged & Attributes & { port: number; protocol: 'HTTP'; target_type: 'ip'; vpc_id: string }
>('aws_lb_target_group');
export const AwsLbListener = r<
  Tagged & Attributes & { load_balancer_arn: string; port: number; default_action: Attributes[] }
>('aws_lb_listener');
export const AwsLbListenerRule = r<
  Tagged & { listener_arn: string; priority: number; action: Attributes[]; condition: Attributes[] }
>('aws_lb_listener_rule');
export const AwsRoute53Record = r<Attributes & { zone_id: string; name: string; type: string }>(
  'aws_route53_record',
);
export const AwsAcmCertificate = r<
  Tagged & {
    domain_name: string;
    subject_alternative_names: string[];
    validation_method: 'DNS';
  }
>('aws_acm_certificate');
export const AwsAcmCertificateValidation = r<{
  certificate_arn: string;
  validation_record_fqdns: string[];
}>('aws_acm_certificate_validation');
export const AwsWafv2WebAcl = r<Attributes & { name: string; scope: 'REGIONAL' | 'CLOUDFRONT' }>(
  'aws_wafv2_web_acl',
);
export const AwsWafv2WebAclAssociation = r<{ resource_arn: string; web_acl_arn: string }>(
  'aws_wafv2_web_acl_association',
);

// Identity, secrets, registry, logs, discovery
export const AwsIamRole = r<{ name: string; assume_role_policy: string; tags?: Attributes }>(
  'aws_iam_role',
);
export const AwsIamRolePolicyAttachment = r<{ role: string; policy_arn: string }>(
  'aws_iam_role_policy_attachment',
);
export const AwsIamRolePolicy = r<{ name: string; role: string; policy: string }>(
  'aws_iam_role_policy',
);
export const AwsSecretsmanagerSecret = r<
  Tagged & { name: string; description: string; recovery_window_in_days: number }
>('aws_secretsmanager_secret');
export const AwsEcrRepository = r<Tagged & Attributes & { name: string }>('aws_ecr_repository');
export const AwsCloudwatchLogGroup = r<Tagged & { name: string; retention_in_days: number }>(
  'aws_cloudwatch_log_group',
);
export const AwsServiceDiscoveryNamespace = r<
  Tagged & { name: string; vpc: string; description: string }
>('aws_service_discovery_private_dns_namespace');
export const AwsServiceDiscoveryService = r<Tagged & Attributes & { name: string }>(
  'aws_service_discovery_service',
);

// Compute
export const AwsEcsCluster = r<Tagged & { name: string; setting: Attributes[] }>('aws_ecs_cluster');
export const AwsEcsTaskDefinition = r<
  Attributes & { family: string; container_definitions: string }
>('aws_ecs_task_definition');
export const AwsEcsService = r<
  Attributes & { name: string; cluster: string; task_definition: string }
>('aws_ecs_service');
export const AwsEksCluster = r<Attributes & { name: string; role_arn: string }>('aws_eks_cluster');
export const AwsEksFargateProfile = r<
  Tagged & {
    cluster_name: string;
    fargate_profile_name: string;
    pod_execution_role_arn: string;
    subnet_ids: string[];
    selector: Attributes[];
  }
>('aws_eks_fargate_profile');
