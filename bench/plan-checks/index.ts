/**
 * Issue 15 bench: do the plans ProdSprint generates for real repositories pass their owners'
 * validators? For each repository: a new user's `prodsprint import`, then `prodsprint plan` for
 * the kubernetes target and one cloud target (ecs by default: its Terraform is planned for real
 * with the provider mirror), written over a copy of the repository. Checked per plan:
 *   - the plan's own self-checks, as it ran them (summary.checks): GitHub's workflow parser and
 *     actionlint, the Kubernetes and Argo Rollouts schemas, Terraform validate and plan;
 *   - GitLab: the pipeline loads in gitlab-ci-local (GitLab's schema, includes, child pipelines);
 *   - every `prodsprint …` line in a pipeline or runbook: parses against the CLI's definitions.
 * Prints one line per repository and target with what failed and the notes a reviewer acts on,
 * then as its last line one JSON object of the figures. It never asserts.
 *
 *   npm run bench -- plan-checks <repo-dir>... [--cloud ecs]
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { failedChecks, type PlanCheck } from '../../engine/agents/blueprint/self-check/index.ts';
import { cliRejects, prodsprintInvocations } from '../../test/blueprint/cli-invocations.ts';
import { runCli } from '../../test/support/run-cli.ts';

const run = promisify(execFile);
const GITLAB_CI_LOCAL = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '.bin',
  'gitlab-ci-local',
);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { cloud: { type: 'string', default: 'ecs' } },
});
if (positionals.length === 0) {
  console.error('usage: npm run bench -- plan-checks <repo-dir>... [--cloud ecs]');
  process.exit(2);
}

interface PlanResult {
  repo: string;
  target: string;
  ok: boolean;
  error?: string;
  seconds: number;
  terraform: string;
  failures: string[];
  checked: { workflows: number; gitlab: boolean; k8sObjects: number; invocations: number };
  /** The plan's own notes: what it assumed or left for a person. */
  notes: string[];
}

async function checkPlan(
  repo: string,
  dataDir: string,
  projectId: string,
  target: string,
): Promise<PlanResult> {
  const started = performance.now();
  const out = mkdtempSync(join(tmpdir(), `plan-checks-${basename(repo)}-${target}-`));
  const result: PlanResult = {
    repo: basename(repo),
    target,
    ok: false,
    seconds: 0,
    terraform: 'not-run',
    failures: [],
    checked: { workflows: 0, gitlab: false, k8sObjects: 0, invocations: 0 },
    notes: [],
  };
  try {
    // The artifacts are written over a copy of the repository, as approving would lay them out.
    await run('git', ['clone', '-q', '--depth', '1', `file://${resolve(repo)}`, out]);
    const planned = await runCli([
      '--data-dir',
      dataDir,
      'plan',
      projectId,
      '--target',
      target,
      '--out',
      out,
      '--json',
    ]);
    if (planned.code !== 0)
      throw new Error(`plan exited ${planned.code}: ${planned.stderr.trim().split('\n')[0]}`);
    const plan = JSON.parse(planned.stdout) as {
      artifacts: Array<{ path: string }>;
      summary: {
        notes: string[];
        checks?: PlanCheck[];
        terraform: {
          status: string;
          stacks: Array<{
            environment: string;
            validate: string;
            plan: string;
            diagnostics: string[];
          }>;
        };
      };
    };
    result.notes = plan.summary.notes;
    const tf = plan.summary.terraform;
    result.terraform = tf.stacks.length
      ? tf.stacks.map((s) => `${s.environment}: validate ${s.validate}, plan ${s.plan}`).join('; ')
      : tf.status;
    // The plan's own self-checks (workflow parser, actionlint, Kubernetes and Argo schemas,
    // Terraform) ran when it was made; their results are in the summary.
    const checks = plan.summary.checks ?? [];
    if (checks.length === 0) result.failures.push('the plan carries no self-check results');
    result.failures.push(...failedChecks(checks));
    const checked = (name: string) => checks.find((c) => c.check === name)?.checked ?? 0;
    result.checked.workflows = checked('github-workflow-parser');
    result.checked.k8sObjects = checked('kubernetes-schema');
    const planPaths = new Set(plan.artifacts.map((a) => a.path));
    for (const path of planPaths) {
      const content = readFileSync(join(out, path), 'utf8');
      if (/\.(ya?ml|md)$/.test(path)) {
        for (const invocation of prodsprintInvocations(path, content)) {
          result.checked.invocations += 1;
          const rejected = cliRejects(invocation.args);
          if (rejected) result.failures.push(`cli ${path}:${invocation.line}: ${rejected}`);
        }
      }
    }
    if (existsSync(join(out, '.gitlab-ci.yml'))) {
      result.checked.gitlab = true;
      await run('git', ['-C', out, 'add', '-A']);
      try {
        await run(GITLAB_CI_LOCAL, ['--list-json'], { cwd: out, maxBuffer: 16 << 20 });
      } catch (error) {
        const text = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
        result.failures.push(
          `gitlab-ci-local: ${text.trim().split('\n').slice(-1)[0] ?? 'failed'}`,
        );
      }
    }
    result.ok = result.failures.length === 0;
  } catch (error) {
    result.error = (error as Error).message;
  } finally {
    result.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
    rmSync(out, { recursive: true, force: true });
  }
  return result;
}

const results: PlanResult[] = [];
for (const repo of positionals) {
  const dataDir = mkdtempSync(join(tmpdir(), 'plan-checks-data-'));
  try {
    const imported = await runCli(['--data-dir', dataDir, 'import', resolve(repo), '--json']);
    if (imported.code !== 0) {
      const error = `import exited ${imported.code}: ${imported.stderr.trim().split('\n')[0]}`;
      for (const target of ['kubernetes', values.cloud!])
        results.push({
          repo: basename(repo),
          target,
          ok: false,
          error,
          seconds: 0,
          terraform: 'not-run',
          failures: [],
          checked: { workflows: 0, gitlab: false, k8sObjects: 0, invocations: 0 },
          notes: [],
        });
      continue;
    }
    const { projectId } = JSON.parse(imported.stdout) as { projectId: string };
    for (const target of ['kubernetes', values.cloud!]) {
      const result = await checkPlan(repo, dataDir, projectId, target);
      results.push(result);
      const status = result.error
        ? `ERROR ${result.error}`
        : result.ok
          ? 'all checks pass'
          : `${result.failures.length} check failure(s)`;
      console.log(
        `${result.repo.padEnd(36)} ${target.padEnd(10)} ${status}; terraform ${result.terraform}; ` +
          `${result.checked.workflows} workflows, gitlab ${result.checked.gitlab ? 'loaded' : '-'}, ` +
          `${result.checked.k8sObjects} k8s objects, ${result.checked.invocations} prodsprint calls; ` +
          `${result.notes.length} notes (${result.seconds} s)`,
      );
      for (const failure of result.failures.slice(0, 5)) console.log(`    ! ${failure}`);
      for (const note of result.notes) console.log(`    - ${note}`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const planned = results.filter((r) => !r.error);
console.log(
  JSON.stringify({
    bench: 'plan-checks',
    repos: positionals.length,
    plans: results.length,
    planned: planned.length,
    allChecksPass: planned.filter((r) => r.ok).length,
    terraformPlanned: planned.filter((r) => /plan passed/.test(r.terraform)).length,
    results: results.map((r) => ({
      repo: r.repo,
      target: r.target,
      ok: r.ok,
      error: r.error ?? null,
      failures: r.failures,
      terraform: r.terraform,
      checked: r.checked,
      notes: r.notes.length,
      seconds: r.seconds,
    })),
  }),
);
