/**
 * What a service runs besides its web process (issue 15): the workers, schedulers and one-shot
 * jobs the auditor found in the repository's compose files, Procfile, manifests and scripts
 * (`Fingerprint.processes`). They share the service's image and run their own command; they
 * serve no traffic, so they get no Service, Ingress or HTTP probe. A process the auditor is not
 * sure about is a question in the plan's notes, never a silent deployment; development tools,
 * test runners and seed data are never deployed.
 */
import type { Fingerprint, Process, Service } from '../repo-auditor/fingerprint.ts';
import type { PlanQuestion } from './plan-model.ts';

export type CompanionRole = 'worker' | 'scheduler' | 'job';

// A type, not an interface, so that it is a template value (an object with an index signature).
export type CompanionProcess = {
  /** The process name as the repository calls it (`worker`, `beat`, `release`). */
  name: string;
  /** DNS-1123 name of its workload: `<service slug>-<process>`. */
  slug: string;
  role: CompanionRole;
  /** The container command: the words as written, or `sh -c` when the command needs a shell. */
  command: string[];
  /** Where the repository says so, `file:line`. */
  evidence: string;
};

/** Roles of processes that serve no HTTP traffic and run beside (or instead of) a web one. */
const COMPANION_ROLES: ReadonlySet<string> = new Set(['worker', 'scheduler', 'job']);
/** What a question about a process accepts: a role to deploy it as, or `none`. */
const ANSWER_ROLES: ReadonlySet<string> = new Set([...COMPANION_ROLES, 'none']);
/** Seeds and fixtures load development data; a production pipeline must not run them. */
const SEED = /\b(seed|seeds|seeder|fixtures?|fake|demo-data)\b/i;
/** Characters that make a command need a shell (expansion, operators, quotes, redirection). */
const SHELL = /[$&|;<>()`'"\\*?~]/;

/** Whether the service's main process answers HTTP (a worker-only service does not). */
export function servesTraffic(service: Service): boolean {
  return !COMPANION_ROLES.has(service.role?.value ?? 'web');
}

/** `celery -A app worker` as words; anything a shell must interpret runs under `sh -c`. */
export function containerCommand(command: string): string[] {
  const trimmed = command.trim();
  return SHELL.test(trimmed) ? ['sh', '-c', trimmed] : trimmed.split(/\s+/);
}

function kebab(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The service's worker, scheduler and job processes that a deployment should run, by name;
 * notes say which were left out and why.
 */
export function companionProcesses(
  fingerprint: Pick<Fingerprint, 'processes' | 'k8sManifests' | 'helmCharts'>,
  service: Service,
  serviceSlug: string,
  notes: string[],
  questions: { answers: Record<string, string>; asked: PlanQuestion[] } = {
    answers: {},
    asked: [],
  },
): CompanionProcess[] {
  const own = (fingerprint.processes ?? []).filter(
    (p): p is Process & { command: string } =>
      p.service === service.name && COMPANION_ROLES.has(p.role) && p.command !== null,
  );
  // A worker-only service's own start command is its main process, not a companion.
  const main = servesTraffic(service) ? null : (service.startCommand?.value.trim() ?? null);
  const companions: CompanionProcess[] = [];
  const used = new Set<string>([serviceSlug]);
  const deployedByRepository = ownDeployments(fingerprint);
  for (const process of [...own].sort((a, b) => a.name.localeCompare(b.name))) {
    if (process.command.trim() === main) continue;
    const where = process.evidence.map((e) => `${e.file}:${e.line}`).join(', ');
    const manifest = process.evidence.find((e) => deployedByRepository(e.file));
    if (manifest) {
      // The repository's manifest knows what we cannot (a CronJob's schedule, a hook's order).
      notes.push(
        `${serviceSlug}: the ${process.role} ${process.name} is deployed by the repository's own ${manifest.file}; keep it (not duplicated here)`,
      );
      continue;
    }
    let role = process.role as CompanionRole;
    if (process.confidence === 'low') {
      // Unsure: a question, answered with a role or `none`; unanswered, it is not deployed.
      const id = `${serviceSlug}.${kebab(process.name) || 'process'}.role`;
      const given = questions.answers[id];
      const answer = given !== undefined && ANSWER_ROLES.has(given) ? given : null;
      questions.asked.push({
        id,
        service: serviceSlug,
        question: `Is ${process.name} (\`${process.command}\`) a ${process.role} to deploy with ${serviceSlug}? ${process.reason}.`,
        candidates: [
          { value: process.role, evidence: where },
          { value: 'none', evidence: 'not deployed: a development or one-off process' },
        ],
        answer,
      });
      if (answer === null || answer === 'none') continue;
      role = answer as CompanionRole;
    }
    if (role === 'job' && SEED.test(`${process.name} ${process.command}`)) {
      notes.push(
        `${serviceSlug}: ${process.name} loads seed data (${where}); it is not deployed — seeds are for development databases`,
      );
      continue;
    }
    const own = kebab(process.name) || process.role;
    // `billing-migrate` of billing stays `billing-migrate`, not `billing-billing-migrate`.
    let slug = (own.startsWith(`${serviceSlug}-`) ? own : `${serviceSlug}-${own}`)
      .slice(0, 52)
      .replace(/-+$/, '');
    for (let n = 2; used.has(slug); n += 1) slug = `${slug}-${n}`;
    used.add(slug);
    companions.push({
      name: process.name,
      slug,
      role,
      command: containerCommand(process.command),
      evidence: where,
    });
  }
  return companions;
}

/** Whether a file is one of the repository's Kubernetes manifests or inside one of its charts. */
function ownDeployments(
  fingerprint: Pick<Fingerprint, 'k8sManifests' | 'helmCharts'>,
): (file: string) => boolean {
  const manifests = new Set((fingerprint.k8sManifests ?? []).map((m) => m.path));
  const charts = (fingerprint.helmCharts ?? []).map((c) => (c.path === '.' ? '' : `${c.path}/`));
  return (file) => manifests.has(file) || charts.some((dir) => dir !== '' && file.startsWith(dir));
}
