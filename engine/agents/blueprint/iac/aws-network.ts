/**
 * The AWS network of one environment (issue 15): a VPC with private subnets in two zones for the
 * tasks and data stores, public subnets and an internet gateway only when the load balancer
 * faces the internet, and no NAT: tasks reach ECR, CloudWatch Logs and Secrets Manager through
 * VPC endpoints and S3 (image layers) through a gateway endpoint, so nothing in the private
 * subnets has a route out. Security groups allow exactly the flows the stack uses: load balancer
 * → container port, app → data store port, app → endpoints on 443.
 */
import { Construct } from 'constructs';
import {
  AwsInternetGateway,
  AwsRoute,
  AwsRouteTable,
  AwsRouteTableAssociation,
  AwsSecurityGroup,
  AwsSgEgress,
  AwsSgIngress,
  AwsSubnet,
  AwsVpc,
  AwsVpcEndpoint,
} from './aws-resources.ts';
import type { TypedResource } from './typed-resource.ts';
import { tagsOf, type StackContext } from './stack-context.ts';
import type { Attributes } from './typed-resource.ts';

export const VPC_CIDR = '10.20.0.0/16';
const ZONES = ['a', 'b'] as const;

export interface NetworkNeeds {
  /** The app's own security group (ECS tasks); EKS pods carry the cluster's instead. */
  appGroup: boolean;
  /** A load balancer in front of the services (ECS); internet-facing when `publicLb`. */
  loadBalancer: boolean;
  publicLb: boolean;
  /** Container ports the load balancer forwards to. */
  appPorts: number[];
  /** Services call each other (service discovery): app → app on their ports. */
  appToApp: boolean;
  /** Data store ports the app connects to (5432, 6379). */
  dataPorts: Array<{ name: string; port: number }>;
  /** Interface endpoints by service short name (`ecr.api`, `logs`, `secretsmanager`, `sts`). */
  endpoints: string[];
}

export interface AwsNetwork {
  vpcId: string;
  privateSubnetIds: string[];
  publicSubnetIds: string[];
  appSg?: TypedResource<Attributes>;
  lbSg?: TypedResource<Attributes>;
  dataSg?: TypedResource<Attributes>;
  endpointSg?: TypedResource<Attributes>;
  dataPorts: Array<{ name: string; port: number }>;
}

/** Adds the network module and returns what the other modules attach to. */
export function awsNetwork(stack: Construct, ctx: StackContext, needs: NetworkNeeds): AwsNetwork {
  const tags = tagsOf(ctx);
  const scope = new Construct(stack, 'module_network');
  const vpc = new AwsVpc(scope, 'network_vpc', {
    cidr_block: VPC_CIDR,
    enable_dns_hostnames: true,
    enable_dns_support: true,
    tags,
  });
  const subnet = (kind: 'private' | 'public', az: string, octet: number) =>
    new AwsSubnet(scope, `network_${kind}_${az}`, {
      vpc_id: vpc.ref('id'),
      cidr_block: `10.20.${octet}.0/24`,
      availability_zone: `${ctx.region}${az}`,
      tags: { ...tags, tier: kind },
    });
  const privateSubnets = ZONES.map((az, i) => subnet('private', az, i + 1));
  const privateRoutes = new AwsRouteTable(scope, 'network_private_routes', {
    vpc_id: vpc.ref('id'),
    tags,
  });
  ZONES.forEach(
    (az, i) =>
      new AwsRouteTableAssociation(scope, `network_private_${az}_routes`, {
        subnet_id: privateSubnets[i]!.ref('id'),
        route_table_id: privateRoutes.ref('id'),
      }),
  );

  let publicSubnetIds: string[] = [];
  if (needs.loadBalancer && needs.publicLb) {
    const publicSubnets = ZONES.map((az, i) => subnet('public', az, i + 101));
    const igw = new AwsInternetGateway(scope, 'network_igw', { vpc_id: vpc.ref('id'), tags });
    const publicRoutes = new AwsRouteTable(scope, 'network_public_routes', {
      vpc_id: vpc.ref('id'),
      tags,
    });
    new AwsRoute(scope, 'network_public_default', {
      route_table_id: publicRoutes.ref('id'),
      destination_cidr_block: '0.0.0.0/0',
      gateway_id: igw.ref('id'),
    });
    ZONES.forEach(
      (az, i) =>
        new AwsRouteTableAssociation(scope, `network_public_${az}_routes`, {
          subnet_id: publicSubnets[i]!.ref('id'),
          route_table_id: publicRoutes.ref('id'),
        }),
    );
    publicSubnetIds = publicSubnets.map((s) => s.ref('id'));
  }

  const group = (id: string, description: string) =>
    new AwsSecurityGroup(scope, `network_${id}`, {
      name: `${ctx.name}-${id}`,
      description,
      vpc_id: vpc.ref('id'),
      tags,
    });
  const rule = (
    Kind: typeof AwsSgIngress | typeof AwsSgEgress,
    id: string,
    sg: TypedResource<Attributes>,
    description: string,
    peer: Attributes,
    port?: number,
  ) =>
    new Kind(scope, `network_${id}`, {
      security_group_id: sg.ref('id'),
      description,
      ip_protocol: 'tcp',
      from_port: port ?? 443,
      to_port: port ?? 443,
      ...peer,
      tags,
    });

  const appSg = needs.appGroup
    ? group('app', 'service tasks: reachable from the load balancer only')
    : undefined;
  const network: AwsNetwork = {
    vpcId: vpc.ref('id'),
    privateSubnetIds: privateSubnets.map((s) => s.ref('id')),
    publicSubnetIds,
    ...(appSg ? { appSg } : {}),
    dataPorts: needs.dataPorts,
  };

  if (needs.loadBalancer && appSg) {
    const lbSg = group('lb', 'application load balancer');
    const clients = needs.publicLb ? { cidr_ipv4: '0.0.0.0/0' } : { cidr_ipv4: VPC_CIDR };
    const who = needs.publicLb ? 'the internet' : 'the VPC';
    rule(AwsSgIngress, 'lb_https_in', lbSg, `HTTPS from ${who}`, clients, 443);
    rule(
      AwsSgIngress,
      'lb_http_in',
      lbSg,
      `HTTP from ${who} (redirected to HTTPS when TLS is on)`,
      clients,
      80,
    );
    for (const port of [...new Set(needs.appPorts)].sort((a, b) => a - b)) {
      const toApp = { referenced_security_group_id: appSg.ref('id') };
      const fromLb = { referenced_security_group_id: lbSg.ref('id') };
      rule(AwsSgEgress, `lb_to_app_${port}`, lbSg, `to the service tasks on ${port}`, toApp, port);
      rule(
        AwsSgIngress,
        `app_from_lb_${port}`,
        appSg,
        `from the load balancer on ${port}`,
        fromLb,
        port,
      );
    }
    network.lbSg = lbSg;
  }
  if (needs.appToApp && appSg) {
    const self = { referenced_security_group_id: appSg.ref('id') };
    for (const port of [...new Set(needs.appPorts)].sort((a, b) => a - b)) {
      rule(
        AwsSgIngress,
        `app_from_app_${port}`,
        appSg,
        `service to service on ${port}`,
        self,
        port,
      );
      rule(AwsSgEgress, `app_to_app_${port}`, appSg, `service to service on ${port}`, self, port);
    }
  }
  if (needs.dataPorts.length > 0) {
    const dataSg = group('data', 'data stores: reachable from the service tasks only');
    for (const { name, port } of needs.dataPorts) {
      if (!appSg) break;
      const fromApp = { referenced_security_group_id: appSg.ref('id') };
      const toData = { referenced_security_group_id: dataSg.ref('id') };
      rule(
        AwsSgIngress,
        `data_from_app_${name}`,
        dataSg,
        `${name} from the service tasks`,
        fromApp,
        port,
      );
      rule(AwsSgEgress, `app_to_data_${name}`, appSg, `to ${name}`, toData, port);
    }
    network.dataSg = dataSg;
  }

  const endpointSg = group('endpoints', 'VPC endpoints: HTTPS from the service tasks');
  network.endpointSg = endpointSg;
  if (appSg) {
    rule(AwsSgIngress, 'endpoints_from_app', endpointSg, 'HTTPS from the service tasks', {
      referenced_security_group_id: appSg.ref('id'),
    });
    rule(AwsSgEgress, 'app_to_endpoints', appSg, 'HTTPS to the VPC endpoints', {
      referenced_security_group_id: endpointSg.ref('id'),
    });
  }
  for (const service of [...new Set(needs.endpoints)].sort()) {
    new AwsVpcEndpoint(scope, `network_endpoint_${service.replace(/\./g, '_')}`, {
      vpc_id: vpc.ref('id'),
      service_name: `com.amazonaws.${ctx.region}.${service}`,
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
      subnet_ids: network.privateSubnetIds,
      security_group_ids: [endpointSg.ref('id')],
      tags,
    });
  }
  // Image layers come from S3: a gateway endpoint on the private route table, no NAT needed.
  const s3 = new AwsVpcEndpoint(scope, 'network_endpoint_s3', {
    vpc_id: vpc.ref('id'),
    service_name: `com.amazonaws.${ctx.region}.s3`,
    vpc_endpoint_type: 'Gateway',
    route_table_ids: [privateRoutes.ref('id')],
    tags,
  });
  if (appSg) {
    rule(
      AwsSgEgress,
      'app_to_s3',
      appSg,
      'HTTPS to S3 (image layers) through the gateway endpoint',
      {
        prefix_list_id: s3.ref('prefix_list_id'),
      },
    );
  }
  return network;
}
