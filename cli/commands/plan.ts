import type { Command } from 'commander';
import type { CommandRunner } from '../command-runner.ts';
import { collectAnswer, parseAnswers } from '../answers.ts';
import { readJsonFile } from '../read-json-file.ts';

interface PlanOptions {
  target?: string;
  region?: string;
  domain?: string;
  env?: string;
  packs?: string;
  coverageMin?: string;
  costCeiling?: string;
  approver?: string[];
  strategy?: string;
  inputs?: string;
  answer?: string[];
  out?: string;
  diff?: boolean;
}

/** The parts of the plan summary this command prints (the contract carries the whole document). */
interface SummaryView {
  target: string;
  region: string;
  environments: string[];
  services: string[];
  notes: string[];
  questions?: Array<{
    id: string;
    question: string;
    candidates: Array<{ value: string; evidence: string }>;
    answer: string | null;
  }>;
  infra?: { add?: unknown[]; change?: unknown[]; destroy?: unknown[] };
  cost?: {
    totalMonthly: number;
    currency: string;
    catalogVersion: string;
    catalogDate: string;
    ceilingMonthly: number | null;
    withinCeiling: boolean;
  };
  policy?: { packs?: string[]; coverageMin?: number };
  timeToReady?: { minutes: number };
  checks?: Array<{
    check: string;
    status: 'passed' | 'failed' | 'not-run';
    checked: number;
    findings: string[];
    detail?: string;
  }>;
}

/** The plan's checks of its own artifacts: one line, then each finding of a failed one. */
function checkLines(checks: NonNullable<SummaryView['checks']>): string[] {
  if (checks.length === 0) return [];
  const words = checks.map((c) =>
    c.status === 'not-run'
      ? `${c.check} not run (${c.detail ?? 'no reason given'})`
      : `${c.check} ${c.status} (${c.checked})`,
  );
  const failed = checks.filter((c) => c.status === 'failed');
  return [
    `  checks      ${words.join(', ')}`,
    ...(failed.length
      ? [
          '',
          'Failed checks (the plan cannot be approved; this is a ProdSprint defect, please report it):',
          ...failed.flatMap((c) => c.findings.map((finding) => `  ✗ ${c.check}: ${finding}`)),
        ]
      : []),
  ];
}

/** How the contract's blueprint fields read on this command line. */
const PLAN_FLAGS = {
  'inputs.target': '--target',
  'inputs.region': '--region',
  'inputs.dnsDomain': '--domain',
  'inputs.environments': '--env',
  'inputs.policies.packs': '--packs',
  'inputs.policies.coverageMin': '--coverage-min',
  'inputs.costCeilingMonthly': '--cost-ceiling',
  'inputs.approvals': '--approver',
  'inputs.strategy': '--strategy',
  inputs: '--inputs',
  'inputs.answers': '--answer',
  outDir: '--out',
};

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Flags over an optional --inputs JSON file: the flags win, the contract validates the result. */
function blueprintInputs(options: PlanOptions): Record<string, unknown> {
  const fromFile = options.inputs ? readJsonFile(options.inputs, '--inputs', 'input.inputs') : {};
  const policies = { ...((fromFile.policies as Record<string, unknown>) ?? {}) };
  if (options.packs) policies.packs = list(options.packs);
  if (options.coverageMin) policies.coverageMin = Number(options.coverageMin);
  const answers = parseAnswers(
    options.answer,
    (fromFile.answers as Record<string, string> | undefined) ?? {},
  );
  return {
    ...fromFile,
    ...(Object.keys(answers).length ? { answers } : {}),
    ...(options.target ? { target: options.target } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.domain ? { dnsDomain: options.domain } : {}),
    ...(options.env ? { environments: list(options.env) } : {}),
    ...(options.costCeiling ? { costCeilingMonthly: Number(options.costCeiling) } : {}),
    ...(options.approver ? { approvals: options.approver } : {}),
    ...(options.strategy ? { strategy: options.strategy } : {}),
    ...(Object.keys(policies).length ? { policies } : {}),
  };
}

/** Questions first by state: what is open blocks approval, with the flag that answers it. */
function questionLines(
  questions: NonNullable<SummaryView['questions']>,
  projectId: string,
): string[] {
  if (questions.length === 0) return [];
  const open = questions.filter((q) => q.answer === null);
  const lines = [
    '',
    `Questions (${open.length} open; the plan cannot be approved until each is answered):`,
  ];
  for (const q of questions) {
    lines.push(`  ${q.answer === null ? '?' : '✓'} ${q.id}: ${q.question}`);
    if (q.answer !== null) lines.push(`      answered: ${q.answer}`);
    else for (const c of q.candidates) lines.push(`      candidate ${c.value} — ${c.evidence}`);
  }
  if (open.length)
    lines.push(
      `  answer with: prodsprint plan ${projectId} ${open.map((q) => `--answer ${q.id}=<value>`).join(' ')}`,
    );
  return lines;
}

export function registerPlan(program: Command, run: CommandRunner): void {
  program
    .command('plan')
    .description(
      'propose everything a project needs for production, as reviewable artifacts with diffs, cost and a plan hash; writes nothing to the repository',
    )
    .argument('<projectId>', 'the project to plan (see `prodsprint projects`)')
    .option('--target <target>', 'kubernetes, docker, render, vercel, cloudrun, gke, ecs or eks')
    .option('--region <region>', "a region of the target's price catalog")
    .option('--domain <name>', 'DNS name to serve on, e.g. shop.example.com')
    .option('--env <list>', 'environments, comma-separated (staging,prod)')
    .option('--packs <list>', 'policy packs, comma-separated (baseline, soc2, hipaa)')
    .option('--coverage-min <percent>', 'coverage the gate requires')
    .option('--cost-ceiling <amount>', 'monthly cost ceiling in the catalog currency')
    .option(
      '--approver <who>',
      'required approver (repeatable)',
      (value: string, all: string[] = []) => [...all, value],
    )
    .option('--strategy <strategy>', 'canary (1/5/25/100 with analysis) or rolling')
    .option('--inputs <file>', 'all choices as a JSON file (flags override it)')
    .option(
      '--answer <id=value>',
      "answer one of the plan's questions, e.g. api.port=8080 (repeatable)",
      collectAnswer,
    )
    .option('--out <dir>', 'also write the artifacts here, laid out as in the repository')
    .option('--diff', 'print the unified diff of every new or changed artifact')
    .action((projectId: string, options: PlanOptions, command: Command) =>
      run(
        command,
        async ({ engine, emit, progress }) => {
          progress(`planning ${projectId}`);
          const plan = await engine.invoke('blueprints.generate', {
            projectId,
            inputs: blueprintInputs(options) as never,
            ...(options.out ? { outDir: options.out } : {}),
          });
          emit(plan, (p) => {
            const summary = p.summary as SummaryView;
            const count = (change: string) =>
              p.artifacts.filter((artifact) => artifact.change === change).length;
            const lines = [
              `Blueprint ${p.blueprintId} (version ${p.version}) for ${p.projectId}: ${summary.target} in ${summary.region}, ${summary.environments.join(' + ')}`,
              `  services    ${summary.services.join(', ')}`,
              `  artifacts   ${p.artifacts.length}: ${count('new')} new, ${count('changed')} changed, ${count('unchanged')} unchanged (kept in ${p.artifactsDir})`,
              `  infra       +${summary.infra?.add?.length ?? 0} ~${summary.infra?.change?.length ?? 0} -${summary.infra?.destroy?.length ?? 0} resources`,
              `  cost        ${summary.cost?.totalMonthly} ${summary.cost?.currency}/month (price catalog ${summary.cost?.catalogVersion}, ${summary.cost?.catalogDate})${summary.cost?.ceilingMonthly !== null && summary.cost?.withinCeiling === false ? '  OVER THE CEILING' : ''}`,
              `  policy      ${summary.policy?.packs?.join(', ')}; coverage >= ${summary.policy?.coverageMin}%`,
              `  ready in    ~${summary.timeToReady?.minutes} min`,
              `  plan hash   ${p.planHash}`,
              ...checkLines(summary.checks ?? []),
              ...(summary.notes.length
                ? ['', 'Notes:', ...summary.notes.map((note: string) => `  - ${note}`)]
                : []),
              ...questionLines(summary.questions ?? [], p.projectId),
              ...(options.out ? ['', `Artifacts written to ${options.out}.`] : []),
              ...(options.diff ? ['', ...p.diffs.map((d) => d.diff)] : []),
            ];
            return lines.join('\n');
          });
          return 0;
        },
        PLAN_FLAGS,
      ),
    );
}
