/**
 * ECS on Fargate (issue 15): per service an ECR repository, a CloudWatch log group (awslogs), a
 * task role of its own, a task definition whose `environment` and `secrets` wire the variables
 * the code reads to the planned database and cache and to its own Secrets Manager secret (by
 * ARN, `valueFrom`), and a service behind its target group with the deployment circuit breaker.
 * One execution role pulls images, writes logs and reads exactly those secrets. Services that
 * call each other find each other through a Cloud Map namespace.
 */
import { TerraformOutput, TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';
import { CACHE_PORT, DB_NAME, DB_PORT, type AwsDataStores } from './aws-data.ts';
import type { AwsEdge } from './aws-edge.ts';
import type { AwsNetwork } from './aws-network.ts';
import {
  AwsCloudwatchLogGroup,
  AwsEcrRepository,
  AwsEcsCluster,
  AwsEcsService,
  AwsEcsTaskDefinition,
  AwsIamRole,
  AwsIamRolePolicy,
  AwsIamRolePolicyAttachment,
  AwsSecretsmanagerSecret,
  AwsServiceDiscoveryNamespace,
  AwsServiceDiscoveryService,
} from './aws-resources.ts';
import { envSourceOf, type EnvRole } from './service-env.ts';
import {
  boundedName,
  idOf,
  isProd,
  tagsOf,
  type StackContext,
  type StackService,
} from './stack-context.ts';
import type { Attributes, TypedResource } from './typed-resource.ts';

const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

export const assumeBy = (service: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: service } }],
  });

const dependable = (r: TypedResource<Attributes>): string =>
  `${r.terraformResourceType}.${r.friendlyUniqueId}`;

/** Keys of the service's own secret: the variables only a person can give a value. */
export function secretKeysOf(ctx: StackContext, service: StackService): string[] {
  const stores = { db: ctx.inputs.db !== undefined, cache: ctx.inputs.cache !== undefined };
  return service.envVars.filter((name) => envSourceOf(name, stores).kind === 'secret').sort();
}

interface Wiring {
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
  /** Secret ARNs the execution role must read. */
  reads: string[];
}

function wiringOf(
  ctx: StackContext,
  service: StackService,
  stores: AwsDataStores,
  secret: TypedResource<Attributes> | undefined,
): Wiring {
  const wiring: Wiring = { environment: [], secrets: [], reads: [] };
  const master = stores.db?.ref('master_user_secret[0].secret_arn');
  const cacheHost = stores.cache?.ref('primary_endpoint_address');
  const wired: Partial<Record<EnvRole, () => { value: string } | { valueFrom: string }>> = {
    port: () => ({ value: String(service.port) }),
    'db-host': () => ({ value: stores.db!.ref('address') }),
    'db-port': () => ({ value: String(DB_PORT) }),
    'db-name': () => ({ value: DB_NAME }),
    'db-user': () => ({ valueFrom: `${master}:username::` }),
    'db-password': () => ({ valueFrom: `${master}:password::` }),
    'cache-host': () => ({ value: cacheHost! }),
    'cache-port': () => ({ value: String(CACHE_PORT) }),
    // Transit encryption is on: clients must speak TLS (rediss://); no AUTH token is set.
    'cache-url': () => ({ value: `rediss://${cacheHost}:${CACHE_PORT}` }),
  };
  const stores_ = { db: stores.db !== undefined, cache: stores.cache !== undefined };
  for (const name of service.envVars) {
    const source = envSourceOf(name, stores_);
    if (source.kind === 'secret' && secret) {
      wiring.secrets.push({ name, valueFrom: `${secret.ref('arn')}:${name}::` });
    } else if (source.kind === 'wired') {
      const value = wired[source.role]?.();
      if (value && 'value' in value) wiring.environment.push({ name, value: value.value });
      if (value && 'valueFrom' in value) {
        wiring.secrets.push({ name, valueFrom: value.valueFrom });
        wiring.reads.push(master!);
      }
    }
  }
  if (wiring.secrets.some((s) => secret && s.valueFrom.startsWith(secret.ref('arn')))) {
    wiring.reads.push(secret!.ref('arn'));
  }
  wiring.reads = [...new Set(wiring.reads)];
  return wiring;
}

/** Adds the secrets, registry, logs, iam, discovery and compute modules of an ECS stack. */
export function awsEcs(
  stack: Construct,
  ctx: StackContext,
  network: AwsNetwork,
  stores: AwsDataStores,
  edge: AwsEdge,
): void {
  const tags = tagsOf(ctx);
  const prod = isProd(ctx);
  const platformSecrets = ctx.inputs.secrets === 'platform';
  let secretsScope: Construct | undefined;
  const registry = new Construct(stack, 'module_registry');
  const logs = new Construct(stack, 'module_logs');
  const iam = new Construct(stack, 'module_iam');
  const compute = new Construct(stack, 'module_compute');

  const execution = new AwsIamRole(iam, 'iam_execution', {
    name: boundedName(`${ctx.name}-ecs-execution`, 64),
    assume_role_policy: assumeBy('ecs-tasks.amazonaws.com'),
    tags,
  });
  new AwsIamRolePolicyAttachment(iam, 'iam_execution_managed', {
    role: execution.ref('name'),
    policy_arn: EXECUTION_POLICY,
  });
  const cluster = new AwsEcsCluster(compute, 'compute_cluster', {
    name: ctx.name,
    setting: [{ name: 'containerInsights', value: 'enabled' }],
    tags,
  });
  const discovery =
    ctx.services.length > 1
      ? new AwsServiceDiscoveryNamespace(
          new Construct(stack, 'module_discovery'),
          'discovery_namespace',
          {
            name: `${ctx.name}.internal`,
            vpc: network.vpcId,
            description: `${ctx.name} services find each other here`,
            tags,
          },
        )
      : undefined;

  const reads: string[] = [];
  for (const service of ctx.services) {
    const id = idOf(service.slug);
    const keys = secretKeysOf(ctx, service);
    const secret =
      platformSecrets && keys.length > 0
        ? new AwsSecretsmanagerSecret(
            (secretsScope ??= new Construct(stack, 'module_secrets')),
            `secrets_${id}`,
            {
              name: `${ctx.name}/${service.slug}/env`,
              description: `${service.slug}: ${keys.join(', ')} (JSON keys, set before the first deploy)`,
              recovery_window_in_days: prod ? 30 : 7,
              tags,
            },
          )
        : undefined;
    const wiring = wiringOf(ctx, service, stores, secret);
    reads.push(...wiring.reads);
    const repository = new AwsEcrRepository(registry, `registry_${id}`, {
      name: `${ctx.name}/${service.slug}`,
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      force_delete: !prod,
      tags,
    });
    const digest = new TerraformVariable(stack, `${id}_image`, {
      type: 'string',
      description: `Digest (sha256:…) of the ${service.slug} image in its ECR repository; the release sets it`,
    });
    const logGroup = new AwsCloudwatchLogGroup(logs, `logs_${id}`, {
      name: `/ecs/${ctx.name}/${service.slug}`,
      retention_in_days: prod ? 90 : 14,
      tags,
    });
    const taskRole = new AwsIamRole(iam, `iam_${id}_task`, {
      name: boundedName(`${ctx.name}-${service.slug}-task`, 64),
      assume_role_policy: assumeBy('ecs-tasks.amazonaws.com'),
      tags,
    });
    const container: Attributes = {
      name: service.slug,
      image: `${repository.ref('repository_url')}@${digest.stringValue}`,
      essential: true,
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: service.port, protocol: 'tcp' }],
      environment: wiring.environment.sort((a, b) => a.name.localeCompare(b.name)),
      secrets: wiring.secrets.sort((a, b) => a.name.localeCompare(b.name)),
      mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': logGroup.ref('name'),
          'awslogs-region': ctx.region,
          'awslogs-stream-prefix': service.slug,
        },
      },
    };
    // A scope per service: a service named like a singleton (`cluster`) must not clash with it.
    const own = new Construct(compute, `service_${service.slug}`);
    const task = new AwsEcsTaskDefinition(own, `compute_${id}_task`, {
      family: `${ctx.name}-${service.slug}`,
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      execution_role_arn: execution.ref('arn'),
      task_role_arn: taskRole.ref('arn'),
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
      // The root file system is read-only; /tmp is the task's own scratch volume.
      volume: [{ name: 'tmp' }],
      container_definitions: JSON.stringify([container]),
      tags,
    });
    const registration = discovery
      ? new AwsServiceDiscoveryService(own, `discovery_${id}`, {
          name: service.slug,
          dns_config: {
            namespace_id: discovery.ref('id'),
            routing_policy: 'MULTIVALUE',
            dns_records: [{ type: 'A', ttl: 10 }],
          },
          health_check_custom_config: { failure_threshold: 1 },
          tags,
        })
      : undefined;
    const targetGroup = edge.targetGroups.get(service.slug)!;
    const ecsService = new AwsEcsService(own, `compute_${id}`, {
      name: service.slug,
      cluster: cluster.ref('id'),
      task_definition: task.ref('arn'),
      desired_count: prod ? 3 : 2,
      launch_type: 'FARGATE',
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      deployment_circuit_breaker: { enable: true, rollback: true },
      health_check_grace_period_seconds: 60,
      network_configuration: {
        subnets: network.privateSubnetIds,
        security_groups: [network.appSg!.ref('id')],
        assign_public_ip: false,
      },
      load_balancer: [
        {
          target_group_arn: targetGroup.ref('arn'),
          container_name: service.slug,
          container_port: service.port,
        },
      ],
      ...(registration ? { service_registries: { registry_arn: registration.ref('arn') } } : {}),
      propagate_tags: 'SERVICE',
      enable_ecs_managed_tags: true,
      tags,
    });
    // A target group must be attached to a listener before a service can register in it.
    ecsService.dependsOn = edge.listeners.map(dependable);
    new TerraformOutput(stack, `${id}_repository_url`, { value: repository.ref('repository_url') });
    noteWiring(ctx, service, keys, platformSecrets);
  }
  const readable = [...new Set(reads)];
  if (readable.length > 0) {
    new AwsIamRolePolicy(iam, 'iam_execution_secrets', {
      name: 'read-task-secrets',
      role: execution.ref('id'),
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: readable },
        ],
      }),
    });
  }
  if (ctx.inputs.strategy === 'canary') {
    ctx.notes.push(
      'ecs: services deploy rolling with the deployment circuit breaker (a failing deployment rolls back by itself); a 1/5/25/100 canary on ECS needs CodeDeploy blue/green, which this plan does not create',
    );
  }
}

function noteWiring(
  ctx: StackContext,
  service: StackService,
  keys: string[],
  platform: boolean,
): void {
  if (keys.length === 0) return;
  const stackBase = ctx.name.slice(0, -(ctx.env.length + 1));
  ctx.notes.push(
    platform
      ? `${service.slug}: set ${keys.join(', ')} as JSON keys of the Secrets Manager secret ${stackBase}-<env>/${service.slug}/env before the first deploy (ECS delivers them to the task; it does not start without them)`
      : `${service.slug}: ${keys.join(', ')} live in Vault; ECS cannot read Vault itself, so the task needs a Vault Agent sidecar (not planned)`,
  );
}
