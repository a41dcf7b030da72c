/**
 * AWS modules (targets ecs and eks), issues 7 and 15: the network, the data stores the inputs
 * ask for, the edge (load balancer, DNS, TLS, WAF), secrets, and compute: ECS services with
 * everything a task needs to start and be reached, or an EKS cluster with a Fargate profile.
 * Nothing is planned that no service uses (no bucket nothing mounts, no secret nothing reads).
 */
import { TerraformOutput, TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';
import { awsDataStores, CACHE_PORT, DB_PORT } from './aws-data.ts';
import { assumeBy, awsEcs, secretKeysOf } from './aws-ecs.ts';
import { awsEdge } from './aws-edge.ts';
import { awsNetwork, type AwsNetwork } from './aws-network.ts';
import type { Attributes, TypedResource } from './typed-resource.ts';
import {
  AwsEksCluster,
  AwsSgIngress,
  AwsEksFargateProfile,
  AwsIamRole,
  AwsIamRolePolicyAttachment,
  AwsSecretsmanagerSecret,
} from './aws-resources.ts';
import { vaultSecrets } from './self-hosted.ts';
import { envRoleOf, unplannedStoreVars } from './service-env.ts';
import { boundedName, idOf, isProd, tagsOf, type StackContext } from './stack-context.ts';

/** Whether any task reads a secret from Secrets Manager (its own, or the database's). */
function readsSecretsManager(ctx: StackContext): boolean {
  if (ctx.inputs.secrets !== 'platform' && !ctx.inputs.db) return false;
  return ctx.services.some(
    (s) =>
      (ctx.inputs.secrets === 'platform' && secretKeysOf(ctx, s).length > 0) ||
      (ctx.inputs.db !== undefined &&
        s.envVars.some((v) => ['db-user', 'db-password'].includes(envRoleOf(v) ?? ''))),
  );
}

/** Adds the AWS modules for one environment to `stack`. */
export function awsModules(stack: Construct, ctx: StackContext): void {
  const { inputs } = ctx;
  const ecs = inputs.target === 'ecs';
  const dataPorts = [
    ...(inputs.db ? [{ name: 'postgres', port: DB_PORT }] : []),
    ...(inputs.cache ? [{ name: 'redis', port: CACHE_PORT }] : []),
  ];
  const endpoints = ['ecr.api', 'ecr.dkr', 'logs', ...(ecs ? [] : ['sts'])];
  if (readsSecretsManager(ctx)) endpoints.push('secretsmanager');
  const network = awsNetwork(stack, ctx, {
    appGroup: ecs,
    loadBalancer: ecs,
    publicLb: inputs.dnsDomain !== undefined,
    appPorts: ctx.services.map((s) => s.port),
    appToApp: ecs && ctx.services.length > 1,
    dataPorts,
    endpoints,
  });
  const stores = awsDataStores(stack, ctx, network);
  for (const service of ctx.services) {
    const unplanned = unplannedStoreVars(service.envVars, {
      db: inputs.db !== undefined,
      cache: inputs.cache !== undefined,
    });
    if (unplanned.length > 0) {
      ctx.notes.push(
        `${service.slug}: the code reads ${unplanned.join(', ')} but this plan creates no such data store; add db/cache to the inputs or supply them`,
      );
    }
  }
  const edge = awsEdge(stack, ctx, ecs ? network : undefined);
  if (inputs.secrets === 'vault') vaultSecrets(stack, ctx);

  if (ecs) {
    awsEcs(stack, ctx, network, stores, edge);
    const reached = endpoints.includes('secretsmanager')
      ? 'ECR, CloudWatch Logs and Secrets Manager'
      : 'ECR and CloudWatch Logs';
    ctx.notes.push(
      `ecs: tasks run in private subnets with no route out; they reach ${reached} through VPC endpoints. An app that calls external APIs needs a NAT gateway, which this plan does not create`,
    );
  } else {
    eksCluster(stack, ctx, network);
  }
  new TerraformOutput(stack, 'vpc_id', { value: network.vpcId });
}

/** EKS with a Fargate profile for the environment's namespace; secrets for External Secrets. */
function eksCluster(stack: Construct, ctx: StackContext, network: AwsNetwork): void {
  const tags = tagsOf(ctx);
  const compute = new Construct(stack, 'module_compute');
  const iam = new Construct(stack, 'module_iam');
  if (ctx.inputs.secrets === 'platform') {
    const secrets = new Construct(stack, 'module_secrets');
    for (const service of ctx.services) {
      const keys = secretKeysOf(ctx, service);
      if (keys.length === 0) continue;
      new AwsSecretsmanagerSecret(secrets, `secrets_${idOf(service.slug)}`, {
        name: `${ctx.name}/${service.slug}/env`,
        description: `${service.slug}: ${keys.join(', ')} (JSON keys)`,
        recovery_window_in_days: isProd(ctx) ? 30 : 7,
        tags,
      });
      ctx.notes.push(
        `${service.slug}: its Secrets Manager secret reaches the pods only through External Secrets (or the Secrets Store CSI driver) with an IAM role for the service account; neither is planned here`,
      );
    }
  }
  const clusterRole = new AwsIamRole(iam, 'iam_cluster', {
    name: boundedName(`${ctx.name}-eks`, 64),
    assume_role_policy: assumeBy('eks.amazonaws.com'),
    tags,
  });
  const clusterPolicy = new AwsIamRolePolicyAttachment(iam, 'iam_cluster_policy', {
    role: clusterRole.ref('name'),
    policy_arn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
  });
  const controlPlane = new TerraformVariable(stack, 'control_plane_cidr', {
    type: 'string',
    description: 'CIDR of the CI runners and operators that reach the Kubernetes API',
  });
  const kms = new TerraformVariable(stack, 'kms_key_arn', {
    type: 'string',
    description: 'KMS key that encrypts Kubernetes secrets',
  });
  const cluster = new AwsEksCluster(compute, 'compute_cluster', {
    name: ctx.name,
    role_arn: clusterRole.ref('arn'),
    version: '1.31',
    vpc_config: {
      subnet_ids: network.privateSubnetIds,
      endpoint_private_access: true,
      // Reachable from the pipeline and operators only, not from the internet at large.
      endpoint_public_access: true,
      public_access_cidrs: [controlPlane.stringValue],
    },
    encryption_config: { resources: ['secrets'], provider: { key_arn: kms.stringValue } },
    enabled_cluster_log_types: ['api', 'audit', 'authenticator'],
    tags,
  });
  cluster.dependsOn = [`${clusterPolicy.terraformResourceType}.${clusterPolicy.friendlyUniqueId}`];
  // Fargate pods carry the cluster's security group: let it reach the endpoints and data stores.
  const podsNetwork = new Construct(stack, 'module_network_pods');
  const podsSg = {
    referenced_security_group_id: cluster.ref('vpc_config[0].cluster_security_group_id'),
  };
  const open = (id: string, sg: TypedResource<Attributes>, what: string, port: number) =>
    new AwsSgIngress(podsNetwork, `network_${id}`, {
      security_group_id: sg.ref('id'),
      description: `${what} from the cluster's pods`,
      ip_protocol: 'tcp',
      from_port: port,
      to_port: port,
      ...podsSg,
      tags,
    });
  if (network.endpointSg) open('endpoints_from_pods', network.endpointSg, 'HTTPS', 443);
  for (const { name, port } of network.dataSg ? network.dataPorts : []) {
    open(`data_from_pods_${name}`, network.dataSg!, name, port);
  }
  const podRole = new AwsIamRole(iam, 'iam_fargate_pods', {
    name: boundedName(`${ctx.name}-fargate-pods`, 64),
    assume_role_policy: assumeBy('eks-fargate-pods.amazonaws.com'),
    tags,
  });
  new AwsIamRolePolicyAttachment(iam, 'iam_fargate_pods_policy', {
    role: podRole.ref('name'),
    policy_arn: 'arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy',
  });
  new AwsEksFargateProfile(compute, 'compute_fargate', {
    cluster_name: cluster.ref('name'),
    fargate_profile_name: ctx.env,
    pod_execution_role_arn: podRole.ref('arn'),
    subnet_ids: network.privateSubnetIds,
    selector: [{ namespace: ctx.env }],
    tags,
  });
  ctx.notes.push(
    'eks: the manifests need the AWS Load Balancer Controller, Argo Rollouts and CoreDNS on Fargate (a kube-system profile); install them before the first release (not planned here)',
  );
}
