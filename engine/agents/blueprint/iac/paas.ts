/**
 * PaaS modules (targets render and vercel): only what their providers can express. Concerns a
 * platform cannot provide (a VPC on Vercel, a managed WAF on Render) become plan notes.
 */
import { Construct } from 'constructs';
import { vaultSecrets } from './self-hosted.ts';
import { idOf, isProd, type StackContext } from './stack-context.ts';
import { resourceType, type Attributes } from './typed-resource.ts';

export const RenderWebService = resourceType<
  Attributes & { name: string; plan: string; region: string }
>('render_web_service', 'render');
export const RenderPostgres = resourceType<
  Attributes & { name: string; plan: string; region: string; version: string }
>('render_postgres', 'render');
export const RenderRedis = resourceType<
  Attributes & { name: string; plan: string; region: string }
>('render_redis', 'render');
export const VercelProject = resourceType<Attributes & { name: string }>(
  'vercel_project',
  'vercel',
);
export const VercelProjectDomain = resourceType<{ project_id: string; domain: string }>(
  'vercel_project_domain',
  'vercel',
);

/** Adds the Render or Vercel resources for one environment to `stack`. */
export function paasModules(stack: Construct, ctx: StackContext): void {
  const prod = isProd(ctx);
  const { inputs } = ctx;
  if (inputs.target === 'render') {
    if (inputs.db) {
      new RenderPostgres(new Construct(stack, 'module_db'), 'db_postgres', {
        name: `${ctx.name}-postgres`,
        plan: prod ? 'pro_4gb' : 'basic_256mb',
        region: ctx.region,
        version: inputs.db.version.split('.')[0]!,
        high_availability_enabled: prod,
      });
    }
    if (inputs.cache) {
      new RenderRedis(new Construct(stack, 'module_cache'), 'cache_redis', {
        name: `${ctx.name}-redis`,
        plan: prod ? 'pro' : 'starter',
        region: ctx.region,
        max_memory_policy: 'allkeys_lru',
      });
    }
    const compute = new Construct(stack, 'module_compute');
    for (const service of ctx.services) {
      new RenderWebService(compute, `compute_${idOf(service.slug)}`, {
        name: `${ctx.name}-${service.slug}`,
        plan: prod ? 'standard' : 'starter',
        region: ctx.region,
        num_instances: prod ? 2 : 1,
        health_check_path: service.healthPath,
        runtime_source: { image: { image_url: `${service.image}:release` } },
        custom_domains: inputs.dnsDomain ? [{ name: service.host }] : [],
      });
    }
    if (inputs.cdnWaf) ctx.notes.push('cdn/waf: render has no configurable WAF in its provider');
  } else {
    const compute = new Construct(stack, 'module_compute');
    for (const service of ctx.services) {
      const project = new VercelProject(compute, `compute_${idOf(service.slug)}`, {
        name: `${ctx.name}-${service.slug}`,
        serverless_function_region: ctx.region,
      });
      if (inputs.dnsDomain) {
        new VercelProjectDomain(
          new Construct(stack, `module_dns_${idOf(service.slug)}_scope`),
          `dns_${idOf(service.slug)}`,
          { project_id: project.ref('id'), domain: service.host },
        );
      }
    }
    if (inputs.db || inputs.cache)
      ctx.notes.push(
        'db/cache: vercel has no managed postgres or redis in its provider; bring your own',
      );
    if (inputs.cdnWaf)
      ctx.notes.push(
        'cdn/waf: vercel fronts every project with its own CDN; no WAF resource is emitted',
      );
  }
  if (inputs.secrets === 'vault') {
    vaultSecrets(stack, ctx);
    ctx.notes.push(`network/storage: ${inputs.target} manages them; no resources emitted`);
  } else {
    ctx.notes.push(`network/storage/secrets: ${inputs.target} manages them; no resources emitted`);
  }
}
