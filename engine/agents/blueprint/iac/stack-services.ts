/**
 * The services as the IaC modules see them (issue 15): port, image, host, the variables the code
 * reads, and the health route only when the auditor found one, so load balancer and container
 * checks fall back to TCP or `/` instead of probing a route the app does not serve.
 */
import type { Fingerprint } from '../../repo-auditor/fingerprint.ts';
import type { TemplateScope } from '../template-engine.ts';
import type { ServiceView } from '../service-view.ts';
import type { StackService } from './stack-context.ts';

const dirOf = (path: string): string =>
  path === '.' || path === '' ? '' : `${path.replace(/\/+$/, '')}/`;

/** Whether the auditor found a health route for the service `view` was made from. */
export function hasHealthRoute(fingerprint: Fingerprint, view: ServiceView): boolean {
  return fingerprint.services.some(
    (s) => s.name === view.name && dirOf(s.path) === view.dir && s.healthEndpoint !== null,
  );
}

/** One StackService per view, in the views' order, for environment `env`. */
export function stackServices(
  fingerprint: Fingerprint,
  views: ServiceView[],
  scopes: TemplateScope[],
  env: 'staging' | 'prod',
  registry: string,
): StackService[] {
  return views.map((view, i) => {
    const scope = scopes[i]!;
    return {
      slug: view.slug,
      port: view.port,
      healthPath: hasHealthRoute(fingerprint, view) ? view.healthPath : null,
      image: `${registry}/${view.slug}`,
      host: String(env === 'staging' ? scope.stagingHost : scope.host),
      envVars: view.envVars,
    };
  });
}
