/**
 * What sits in front of the services on AWS (issue 15): for ECS an application load balancer
 * with a target group per service (health check on the service's own health route, or `/`
 * accepting any status below 500 when it has none), HTTPS with an ACM certificate validated
 * through Route 53, HTTP redirected to it, host-based rules when there are several services;
 * Route 53 alias records to it, and the WAF ACL attached to it. On EKS the ingress controller
 * makes the load balancer, so DNS points at a variable and the certificate and ACL are handed
 * to the controller (the plan notes how).
 */
import { TerraformOutput, TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';
import {
  AwsAcmCertificate,
  AwsAcmCertificateValidation,
  AwsLb,
  AwsLbListener,
  AwsLbListenerRule,
  AwsLbTargetGroup,
  AwsRoute53Record,
  AwsWafv2WebAcl,
  AwsWafv2WebAclAssociation,
} from './aws-resources.ts';
import type { AwsNetwork } from './aws-network.ts';
import {
  boundedName,
  idOf,
  isProd,
  tagsOf,
  type StackContext,
  type StackService,
} from './stack-context.ts';
import type { Attributes, TypedResource } from './typed-resource.ts';

export interface AwsEdge {
  targetGroups: Map<string, TypedResource<Attributes>>;
  /** What an ECS service with a load balancer must be created after. */
  listeners: TypedResource<Attributes>[];
}

/** Whether the load balancer faces the internet: a public DNS name was chosen. */
export const isPublic = (ctx: StackContext): boolean => ctx.inputs.dnsDomain !== undefined;

const forward = (tg: TypedResource<Attributes>): Attributes => ({
  type: 'forward',
  target_group_arn: tg.ref('arn'),
});
const notFound: Attributes = {
  type: 'fixed-response',
  fixed_response: { content_type: 'text/plain', message_body: 'not found', status_code: '404' },
};

/** The ALB target group health check: the health route, else `/` below 500 (the app answers). */
export function healthCheckOf(service: StackService): Attributes {
  return {
    enabled: true,
    protocol: 'HTTP',
    port: 'traffic-port',
    path: service.healthPath ?? '/',
    matcher: service.healthPath ? '200-399' : '200-499',
    interval: 15,
    timeout: 5,
    healthy_threshold: 2,
    unhealthy_threshold: 3,
  };
}

/** Adds dns, tls, cdn_waf and (with `network`, for ECS) the load balancer. */
export function awsEdge(stack: Construct, ctx: StackContext, network?: AwsNetwork): AwsEdge {
  const tags = tagsOf(ctx);
  const { inputs } = ctx;
  const zone = inputs.dnsDomain
    ? new TerraformVariable(stack, 'dns_zone_id', {
        type: 'string',
        description: `Route 53 hosted zone that holds ${inputs.dnsDomain}`,
      })
    : undefined;

  let certificateArn: string | undefined;
  if (zone && inputs.tls) {
    const tls = new Construct(stack, 'module_tls');
    const hosts = [...new Set(ctx.services.map((s) => s.host))].sort();
    const certificate = new AwsAcmCertificate(tls, 'tls_certificate', {
      domain_name: hosts[0] ?? inputs.dnsDomain!,
      subject_alternative_names: hosts.slice(1),
      validation_method: 'DNS',
      tags,
    });
    certificate.addOverride('lifecycle', { create_before_destroy: true });
    const options = 'aws_acm_certificate.tls_certificate.domain_validation_options';
    const pick = (host: string, field: string) =>
      `\${[for o in ${options} : o.${field} if o.domain_name == "${host}"][0]}`;
    const records = hosts.map(
      (host, i) =>
        new AwsRoute53Record(tls, `tls_validation_${i + 1}`, {
          zone_id: zone.stringValue,
          name: pick(host, 'resource_record_name'),
          type: pick(host, 'resource_record_type'),
          records: [pick(host, 'resource_record_value')],
          ttl: 60,
          allow_overwrite: true,
        }),
    );
    const validation = new AwsAcmCertificateValidation(tls, 'tls_validation', {
      certificate_arn: certificate.ref('arn'),
      validation_record_fqdns: records.map((r) => r.ref('fqdn')),
    });
    certificateArn = validation.ref('certificate_arn');
  }

  const edge: AwsEdge = { targetGroups: new Map(), listeners: [] };
  const lb = network?.lbSg ? loadBalancer(stack, ctx, network, certificateArn, edge) : undefined;

  if (zone) {
    const dns = new Construct(stack, 'module_dns');
    const target = lb
      ? undefined
      : new TerraformVariable(stack, 'dns_target', {
          type: 'string',
          description: 'DNS name of the load balancer the ingress controller created',
        });
    for (const service of ctx.services) {
      new AwsRoute53Record(dns, `dns_${idOf(service.slug)}`, {
        zone_id: zone.stringValue,
        name: service.host,
        ...(lb
          ? {
              type: 'A',
              alias: {
                name: lb.ref('dns_name'),
                zone_id: lb.ref('zone_id'),
                evaluate_target_health: true,
              },
            }
          : { type: 'CNAME', ttl: 300, records: [target!.stringValue] }),
      });
    }
  }
  if (inputs.cdnWaf) {
    const waf = new Construct(stack, 'module_cdn_waf');
    const acl = new AwsWafv2WebAcl(waf, 'cdn_waf_acl', webAcl(ctx));
    if (lb) {
      new AwsWafv2WebAclAssociation(waf, 'cdn_waf_association', {
        resource_arn: lb.ref('arn'),
        web_acl_arn: acl.ref('arn'),
      });
    } else {
      ctx.notes.push(
        'cdn/waf: attach the WAF ACL to the load balancer the ingress controller creates (annotation alb.ingress.kubernetes.io/wafv2-acl-arn)',
      );
    }
  }
  if (!lb && certificateArn) {
    ctx.notes.push(
      'tls: hand the validated ACM certificate to the ingress controller (annotation alb.ingress.kubernetes.io/certificate-arn)',
    );
  }
  return edge;
}

function loadBalancer(
  stack: Construct,
  ctx: StackContext,
  network: AwsNetwork,
  certificateArn: string | undefined,
  edge: AwsEdge,
): TypedResource<Attributes> {
  const tags = tagsOf(ctx);
  const scope = new Construct(stack, 'module_lb');
  const open = isPublic(ctx);
  const lb = new AwsLb(scope, 'lb_app', {
    name: boundedName(ctx.name, 32),
    load_balancer_type: 'application',
    internal: !open,
    security_groups: [network.lbSg!.ref('id')],
    subnets: open ? network.publicSubnetIds : network.privateSubnetIds,
    drop_invalid_header_fields: true,
    enable_deletion_protection: isProd(ctx),
    tags,
  });
  for (const service of ctx.services) {
    edge.targetGroups.set(
      service.slug,
      // A scope of its own: a service named like a singleton (`app`) must not clash with it.
      new AwsLbTargetGroup(
        new Construct(scope, `service_${service.slug}`),
        `lb_${idOf(service.slug)}`,
        {
          name: boundedName(`${ctx.name}-${service.slug}`, 32),
          port: service.port,
          protocol: 'HTTP',
          target_type: 'ip',
          vpc_id: network.vpcId,
          deregistration_delay: '30',
          health_check: healthCheckOf(service),
          tags,
        },
      ),
    );
  }
  const single =
    ctx.services.length === 1 ? edge.targetGroups.get(ctx.services[0]!.slug) : undefined;
  const serve = single ? forward(single) : notFound;
  const main = certificateArn
    ? new AwsLbListener(scope, 'lb_https', {
        load_balancer_arn: lb.ref('arn'),
        port: 443,
        protocol: 'HTTPS',
        ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificate_arn: certificateArn,
        default_action: [serve],
        tags,
      })
    : undefined;
  const http = new AwsLbListener(scope, 'lb_http', {
    load_balancer_arn: lb.ref('arn'),
    port: 80,
    protocol: 'HTTP',
    default_action: [
      main
        ? {
            type: 'redirect',
            redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' },
          }
        : serve,
    ],
    tags,
  });
  const routing = main ?? http;
  edge.listeners.push(...(main ? [main, http] : [http]));
  if (!single) {
    ctx.services.forEach((service, i) => {
      edge.listeners.push(
        new AwsLbListenerRule(scope, `lb_${idOf(service.slug)}_rule`, {
          listener_arn: routing.ref('arn'),
          priority: 100 + i,
          action: [forward(edge.targetGroups.get(service.slug)!)],
          condition: [{ host_header: { values: [service.host] } }],
          tags,
        }),
      );
    });
  }
  new TerraformOutput(stack, 'load_balancer_dns_name', { value: lb.ref('dns_name') });
  return lb;
}

function webAcl(ctx: StackContext): Attributes & { name: string; scope: 'REGIONAL' } {
  return {
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
    tags: tagsOf(ctx),
  };
}
