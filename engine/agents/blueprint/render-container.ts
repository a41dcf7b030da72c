/**
 * Dockerfile and .dockerignore for services that have no Dockerfile (issue 7): one template per
 * toolchain, multi-stage, USER 10001 (the uid the Kubernetes manifests run as), HEALTHCHECK on
 * the service's health endpoint. An existing Dockerfile is the team's and is left alone.
 */
import type { RenderedArtifact } from './plan-model.ts';
import type { ServiceView, ToolchainFacts } from './service-view.ts';
import { renderTemplate, type TemplateScope } from './template-engine.ts';
import type { TemplateStore } from './template-store.ts';

/** Exec-form CMD: no shell in the runtime image, and signals reach the process directly. */
export function commandJson(
  view: ServiceView,
  facts: ToolchainFacts,
  scope: TemplateScope,
): string {
  let command = view.startCommand?.trim().replace(/\s+/g, ' ') ?? null;
  for (const rewrite of facts.startRewrites ?? []) {
    if (command === null) break;
    const pattern = new RegExp(rewrite.match);
    if (pattern.test(command))
      command = command.replace(pattern, renderTemplate(rewrite.replace, scope));
  }
  const start = facts.useStartCommand && command ? command.split(' ') : null;
  const argv = start ?? facts.defaultCmd.map((arg) => renderTemplate(arg, scope));
  return JSON.stringify(argv).replaceAll('","', '", "');
}

/** Dockerfile and .dockerignore for each service that has no Dockerfile and a known toolchain. */
export function renderContainer(
  store: TemplateStore,
  views: ServiceView[],
  scopes: TemplateScope[],
): RenderedArtifact[] {
  const artifacts: RenderedArtifact[] = [];
  views.forEach((view, i) => {
    if (view.hasDockerfile || !view.toolchain || !view.facts) return;
    const scope = scopes[i]!;
    const facts = view.facts;
    const cmdJson = commandJson(view, facts, scope);
    const step = (text: string | undefined) => renderTemplate(text ?? '', scope);
    artifacts.push(
      {
        path: `${view.dir}Dockerfile`,
        content: store.render(`docker/Dockerfile.${view.toolchain}`, {
          ...scope,
          cmdJson,
          dockerCopy: step(facts.dockerCopy),
          dockerInstall: step(facts.dockerInstall),
          dockerBuild: step(facts.dockerBuild),
          dockerPrune: step(facts.dockerPrune),
          runtimePnpm: facts.runtimePnpm === true,
        }),
      },
      {
        // Built from a workspace root, the ignore file is the Dockerfile's own: Docker reads
        // `<Dockerfile>.dockerignore` first, and a .dockerignore in the member folder never.
        path: view.appDir ? `${view.dir}Dockerfile.dockerignore` : `${view.dir}.dockerignore`,
        content: store.text('docker/dockerignore'),
      },
    );
  });
  return artifacts;
}
