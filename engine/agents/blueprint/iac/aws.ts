/**
 * AWS modules (targets ecs and eks): network, db, cache, storage, dns, tls, cdn/waf, secrets and
 * compute, each a construct scope so its resources read as one concern in the plan.
 */
import { TerraformOutput, TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';
import { vaultSecrets } from './self-hosted.ts';
import { idOf, isProd, tagsOf, type StackContext } from './stack-context.ts';
import {
  AwsVpc,
  AwsSubnet,
  AwsSecurityGroup,
  AwsDbSubnetGroup,
  AwsDbInstance,
  AwsElasticacheSubnetGroup,
  AwsElasticacheReplicationGroup,
  AwsS3Bucket,
  AwsS3BucketPublicAccessBlock,
  AwsS3BucketVersioning,
  AwsS3BucketSse,
  AwsRoute53Record,
  AwsAcmCertificate,
  AwsWafv2WebAcl,
  AwsSecretsmanagerSecret,
  AwsEcsCluster,
  AwsEcsTaskDefinition,
  AwsEcsService,
  AwsIamRole,
  AwsEksCluster,
} from './aws-resources.ts';

const assume = (service: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: service } }],
  });

/** Adds the AWS modules for one environment to `stack`. */
export function awsModules(stack: Construct, ctx: StackContext): void {
  const tags = tagsOf(ctx);
  const prod = isProd(ctx);
  const { inputs } = ctx;

  const network = new Construct(stack, 'module_network');
  const vpc = new AwsVpc(network, 'network_vpc', {
    cidr_block: '10.20.0.0/16',
    enable_dns_hostnames: true,
    tags,
  });
  const subnets = ['a', 'b'].map(
    (az, i) =>
      new AwsSubnet(network, `network_private_${az}`, {
        vpc_id: vpc.ref('id'),
        cidr_block: `10.20.${i + 1}.0/24`,
        availability_zone: `${ctx.region}${az}`,
        tags,
      }),
  );
  const subnetIds = subnets.map((s) => s.ref('id'));
  const appSg = new AwsSecurityGroup(network, 'network_app', {
    name: `${ctx.name}-app`,
    vpc_id: vpc.ref('id'),
    ingress: [
      {
        description: 'from the load balancer only',
        from_port: 0,
        to_port: 65535,
        protocol: 'tcp',
        cidr_blocks: ['10.20.0.0/16'],
        ipv6_cidr_blocks: [],
        prefix_list_ids: [],
        security_groups: [],
        self: false,
      },
    ],
    egress: [
      {
        description: 'inside the VPC only (air-gapped)',
        from_port: 0,
        to_port: 0,
        protocol: '-1',
        cidr_blocks: ['10.20.0.0/16'],
        ipv6_cidr_blocks: [],
        prefix_list_ids: [],
        security_groups: [],
        self: false,
      },
    ],
    tags,
  });

  if (inputs.db) {
    const db = new Construct(stack, 'module_db');
    const group = new AwsDbSubnetGroup(db, 'db_subnets', {
      name: `${ctx.name}-db`,
      subnet_ids: subnetIds,
    });
    new AwsDbInstance(db, 'db_postgres', {
      identifier: `${ctx.name}-postgres`,
      engine: 'postgres',
      engine_version: inputs.db.version,
      instance_class: prod ? 'db.m6g.large' : 'db.t4g.small',
      allocated_storage: prod ? 100 : 20,
      storage_encrypted: true,
      multi_az: prod,
      deletion_protection: prod,
      skip_final_snapshot: !prod,
      backup_retention_period: prod ? 14 : 1,
      manage_master_user_password: true,
      username: 'app',
      db_subnet_group_name: group.ref('name'),
      vpc_security_group_ids: [appSg.ref('id')],
      iam_database_authentication_enabled: true,
      tags,
    });
  }
  if (inputs.cache) {
    const cache = new Construct(stack, 'module_cache');
    const group = new AwsElasticacheSubnetGroup(cache, 'cache_subnets', {
      name: `${ctx.name}-cache`,
      subnet_ids: subnetIds,
    });
    new AwsElasticacheReplicationGroup(cache, 'cache_redis', {
      replication_group_id: `${ctx.name}-redis`,
      description: `${ctx.name} cache`,
      engine: 'redis',
      node_type: prod ? 'cache.m6g.large' : 'cache.t4g.small',
      num_cache_clusters: prod ? 2 : 1,
      automatic_failover_enabled: prod,
      at_rest_encryption_enabled: true,
      transit_encryption_enabled: true,
      subnet_group_name: group.ref('name'),
      security_group_ids: [appSg.ref('id')],
      tags,
    });
  }

  const storage = new Construct(stack, 'module_storage');
  const bucket = new AwsS3Bucket(storage, 'storage_assets', {
    bucket: `${ctx.name}-assets`,
    force_destroy: !prod,
    tags,
  });
  new AwsS3BucketPublicAccessBlock(storage, 'storage_assets_private', {
    bucket: bucket.ref('id'),
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  new AwsS3BucketVersioning(storage, 'storage_assets_versioning', {
    bucket: bucket.ref('id'),
    versioning_configuration: { status: 'Enabled' },
  });
  new AwsS3BucketSse(storage, 'storage_assets_encryption', {
    bucket: bucket.ref('id'),
    rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } }],
  });

  if (inputs.dnsDomain) {
    const dns = new Construct(stack, 'module_dns');
    const zone = new TerraformVariable(stack, 'dns_zone_id', {
      type: 'string',
      description: 'Route 53 zone that holds the domain',
    });
    const lb = new TerraformVariable(stack, 'dns_target', {
      type: 'string',
      description: 'Load balancer DNS name the hosts point at',
    });
    for (const service of ctx.services) {
      new AwsRoute53Record(dns, `dns_${idOf(service.slug)}`, {
        zone_id: zone.stringValue,
        name: service.host,
        type: 'CNAME',
        ttl: 300,
        records: [lb.stringValue],
      });
    }
    if (inputs.tls) {
      const tls = new Construct(stack, 'module_tls');
      const hosts = ctx.services.map((s) => s.host).sort();
      new AwsAcmCertificate(tls, 'tls_certificate', {
        domain_name: hosts[0] ?? inputs.dnsDomain,
        subject_alternative_names: hosts.slice(1),
        validation_method: 'DNS',
        tags,
      });
    }
  }
  if (inputs.cdnWaf) {
    const waf = new Construct(stack, 'module_cdn_waf');
    new AwsWafv2WebAcl(waf, 'cdn_waf_acl', {
      name: `${ctx.name}-waf`,
      scope: 'REGIONAL',
      default_action: { allow: {} },
      rule: [
        {
          name: 'managed-common',
          priority: 1,
          override_action: { none: {} },
          statement: {
            managed_rule_group_statement: {
              name: 'AWSManagedRulesCommonRuleSet',
              vendor_name: 'AWS',
            },
          },
          visibility_config: {
            cloudwatch_metrics_enabled: true,
            metric_name: 'managed-common',
            sampled_requests_enabled: true,
          },
        },
      ],
      visibility_config: {
        cloudwatch_metrics_enabled: true,
        metric_name: `${ctx.name}-waf`,
        sampled_requests_enabled: true,
      },
      tags,
    });
  }

  if (inputs.secrets === 'vault') {
    vaultSecrets(stack, ctx);
  } else {
    const secrets = new Construct(stack, 'module_secrets');
    for (const service of ctx.services) {
      new AwsSecretsmanagerSecret(secrets, `secrets_${idOf(service.slug)}`, {
        name: `${ctx.name}/${service.slug}/env`,
        recovery_window_in_days: prod ? 30 : 7,
        tags,
      });
    }
  }

  const compute = new Construct(stack, 'module_compute');
  if (inputs.target === 'ecs') {
    const cluster = new AwsEcsCluster(compute, 'compute_cluster', {
      name: ctx.name,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
      tags,
    });
    for (const service of ctx.services) {
      const task = new AwsEcsTaskDefinition(compute, `compute_${idOf(service.slug)}_task`, {
        family: `${ctx.name}-${service.slug}`,
        requires_compatibilities: ['FARGATE'],
        network_mode: 'awsvpc',
        cpu: '512',
        memory: '1024',
        container_definitions: JSON.stringify([
          {
            name: service.slug,
            image: `${service.image}:release`,
            essential: true,
            readonlyRootFilesystem: true,
            user: '10001:10001',
            portMappings: [{ containerPort: service.port }],
            healthCheck: {
              command: [
                'CMD-SHELL',
                `wget -q -O /dev/null http://127.0.0.1:${service.port}${service.healthPath} || exit 1`,
              ],
              interval: 30,
              retries: 3,
              timeout: 5,
            },
          },
        ]),
        tags,
      });
      new AwsEcsService(compute, `compute_${idOf(service.slug)}`, {
        name: service.slug,
        cluster: cluster.ref('id'),
        task_definition: task.ref('arn'),
        desired_count: prod ? 3 : 2,
        launch_type: 'FARGATE',
        deployment_circuit_breaker: { enable: true, rollback: true },
        network_configuration: {
          subnets: subnetIds,
          security_groups: [appSg.ref('id')],
          assign_public_ip: false,
        },
        tags,
      });
    }
  } else {
    const role = new AwsIamRole(compute, 'compute_cluster_role', {
      name: `${ctx.name}-eks`,
      assume_role_policy: assume('eks.amazonaws.com'),
    });
    new AwsEksCluster(compute, 'compute_cluster', {
      name: ctx.name,
      role_arn: role.ref('arn'),
      version: '1.31',
      vpc_config: {
        subnet_ids: subnetIds,
        endpoint_private_access: true,
        endpoint_public_access: false,
      },
      encryption_config: { resources: ['secrets'], provider: { key_arn: '${var.kms_key_arn}' } },
      enabled_cluster_log_types: ['api', 'audit', 'authenticator'],
      tags,
    });
    new TerraformVariable(stack, 'kms_key_arn', {
      type: 'string',
      description: 'KMS key that encrypts Kubernetes secrets',
    });
  }
  new TerraformOutput(stack, 'vpc_id', { value: vpc.ref('id') });
}
