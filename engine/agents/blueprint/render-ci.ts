/**
 * CI/CD per service for GitHub Actions and GitLab CI (issue 7): build → unit → integration →
 * SAST/dependency scan → SBOM + signing → perf smoke → policy gate → staging → smoke → canary.
 * Services without a recognised toolchain get no pipeline; the plan notes say so.
 */
import type { RenderedArtifact } from './plan-model.ts';
import type { TemplateScope } from './template-engine.ts';
import type { TemplateStore } from './template-store.ts';

/** A GitHub workflow per service, and a GitLab root pipeline including one file per service. */
export function renderCi(
  store: TemplateStore,
  base: TemplateScope,
  services: TemplateScope[],
): RenderedArtifact[] {
  const built = services.filter((service) => service.toolchain !== null);
  const artifacts: RenderedArtifact[] = built.map((service) => ({
    path: `.github/workflows/${String(service.slug)}.yml`,
    content: store.render('ci/github-workflow.yml', service),
  }));
  if (built.length > 0) {
    artifacts.push({
      path: '.gitlab-ci.yml',
      content: store.render('ci/gitlab-ci.yml', { ...base, services: built }),
    });
    for (const service of built) {
      artifacts.push({
        path: `.gitlab/ci/${String(service.slug)}.yml`,
        content: store.render('ci/gitlab-service.yml', service),
      });
    }
  }
  return artifacts;
}
