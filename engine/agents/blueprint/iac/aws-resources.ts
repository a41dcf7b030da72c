/**
 * Typed constructs for the AWS resource types the blueprint emits (issue 7): the attributes we
 * set, in Terraform's names, and nothing from a generated provider package.
 */
import { resourceType, type Attributes, type ResourceClass } from './typed-resource.ts';

const r = <C extends Attributes>(type: string): ResourceClass<C> => resourceType<C>(type, 'aws');

export const AwsVpc = r<{ cidr_block: string; enable_dns_hostnames: boolean; tags: Attributes }>(
  'aws_vpc',
);
export const AwsSubnet = r<{
  vpc_id: string;
  cidr_block: string;
  availability_zone: string;
  tags: Attributes;
}>('aws_subnet');
export const AwsSecurityGroup = r<{
  name: string;
  vpc_id: string;
  ingress: Attributes[];
  egress: Attributes[];
  tags: Attributes;
}>('aws_security_group');
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
export const AwsS3Bucket = r<{ bucket: string; force_destroy: boolean; tags: Attributes }>(
  'aws_s3_bucket',
);
export const AwsS3BucketPublicAccessBlock = r<{
  bucket: string;
  block_public_acls: true;
  block_public_policy: true;
  ignore_public_acls: true;
  restrict_public_buckets: true;
}>('aws_s3_bucket_public_access_block');
export const AwsS3BucketVersioning = r<{
  bucket: string;
  versioning_configuration: { status: 'Enabled' };
}>('aws_s3_bucket_versioning');
export const AwsS3BucketSse = r<{ bucket: string; rule: Attributes[] }>(
  'aws_s3_bucket_server_side_encryption_configuration',
);
export const AwsRoute53Record = r<{
  zone_id: string;
  name: string;
  type: string;
  ttl: number;
  records: string[];
}>('aws_route53_record');
export const AwsAcmCertificate = r<{
  domain_name: string;
  subject_alternative_names: string[];
  validation_method: 'DNS';
  tags: Attributes;
}>('aws_acm_certificate');
export const AwsWafv2WebAcl = r<Attributes & { name: string; scope: 'REGIONAL' | 'CLOUDFRONT' }>(
  'aws_wafv2_web_acl',
);
export const AwsSecretsmanagerSecret = r<{
  name: string;
  recovery_window_in_days: number;
  tags: Attributes;
}>('aws_secretsmanager_secret');
export const AwsEcsCluster = r<{ name: string; setting: Attributes[]; tags: Attributes }>(
  'aws_ecs_cluster',
);
export const AwsEcsTaskDefinition = r<
  Attributes & { family: string; container_definitions: string }
>('aws_ecs_task_definition');
export const AwsEcsService = r<
  Attributes & { name: string; cluster: string; task_definition: string }
>('aws_ecs_service');
export const AwsIamRole = r<{ name: string; assume_role_policy: string }>('aws_iam_role');
export const AwsEksCluster = r<Attributes & { name: string; role_arn: string }>('aws_eks_cluster');
