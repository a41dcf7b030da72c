/**
 * The topology model (issue 15): every process the repository runs, from Kubernetes manifests,
 * Helm charts, compose files, Procfiles, Dockerfiles and manifests, merged when several
 * describe the same process, and the role of each service's main process. Descriptions merge
 * when they run the same service's code with the same role and command (a web service in the
 * base and the production compose file, a Deployment in raw manifests, kustomize and Helm), or
 * when different kinds of file each describe one process of that role (the Procfile `worker`
 * and the compose `worker`). A process that only development files declare is marked so: a
 * hot-reload server there is a development tool; anything else loses confidence. What stays
 * unclear (no port for a web process, a development server as the only way to run the app) is
 * `low` with a reason, for the plan to ask. Commands and reasons are repository text: they go
 * through the redactor's credential shapes before they are stored.
 */
import { Redactor } from '../../../secrets/redact.ts';
import { claimOf, dedupeEvidence } from '../evidence.ts';
import type { Claim, Process, ProcessRole } from '../fingerprint.ts';
import type { K8sWorkload } from '../parsers/k8s-workloads.ts';
import { imageName } from '../parsers/k8s-probes.ts';
import type { RepoView } from '../repo-view.ts';
import type { ComposeRoles } from './compose-roles.ts';
import type { ComposeIndex, K8sIndex } from './infra.ts';
import { workloadCandidates } from './k8s-processes.ts';
import type { Candidate, Origin } from './process-candidate.ts';
import { CONFIDENCE_RANK, ORIGIN_RANK, lower } from './process-candidate.ts';
import {
  composeCandidates,
  imageCandidate,
  inferredWorker,
  packageCandidates,
  procfileCandidates,
} from './process-sources.ts';
import type { BuiltService } from './services.ts';

export interface ProcessInputs {
  view: RepoView;
  services: BuiltService[];
  compose: ComposeIndex;
  composeRoles: ComposeRoles;
  k8s: K8sIndex;
  helmWorkloads: K8sWorkload[];
  budget: { reads: number };
}

/** Roles of processes that are the app itself (not its tools, tests or stores). */
const APP_ROLES = new Set<ProcessRole>(['web', 'worker', 'scheduler', 'proxy']);
/** A service's role is its main process's: the first of these it has. */
const ROLE_PRIORITY: ProcessRole[] = [
  'web',
  'proxy',
  'worker',
  'scheduler',
  'job',
  'test-runner',
  'dev-tool',
  'backing-store',
];
const MAX_EVIDENCE = 10;
/** Roles that serve nothing: a port declared for them is the image's, not theirs. */
const NO_PORT = new Set<ProcessRole>(['worker', 'scheduler', 'job', 'test-runner']);

interface Merged extends Process {
  built: BuiltService | null;
  variant: string | null;
  usage: Candidate['usage'];
}

export async function collectProcesses(
  inputs: ProcessInputs,
): Promise<{ processes: Process[]; roles: Map<BuiltService, Claim<ProcessRole>> }> {
  const { view, services, budget } = inputs;
  const candidates: Candidate[] = [
    ...(await workloadCandidates(inputs.k8s.workloads, 'k8s', services, view, budget)),
    ...(await workloadCandidates(inputs.helmWorkloads, 'helm', services, view, budget)),
    ...(await composeCandidates(
      inputs.compose.services,
      inputs.composeRoles,
      services,
      view,
      budget,
    )),
  ];
  for (const built of services) candidates.push(...(await procfileCandidates(built, view, budget)));
  for (const built of services) {
    const own = () => candidates.filter((candidate) => candidate.service === built);
    // A service made only of compose services is what they say it is; a project also runs
    // its image unless something already runs the app for production.
    const described = built.manifest === null && own().length > 0;
    if (!described && !own().some((c) => c.usage === 'prod' && APP_ROLES.has(c.role)))
      candidates.push(await imageCandidate(built, view, budget));
    for (const script of packageCandidates(built))
      if (!own().some((c) => runsScript(c.command, script.name))) candidates.push(script);
    const inferred = inferredWorker(
      built,
      own().some((c) => c.role === 'worker'),
    );
    if (inferred) candidates.push(inferred);
  }
  const adjusted = candidates.map(adjust);
  const merged = nameUniquely(mergeAcrossOrigins(mergeSame(adjusted)).map(finish));
  const redactor = new Redactor();
  const processes = merged
    .map(({ built: _built, variant: _variant, usage: _usage, ...process }) => ({
      ...process,
      name: redactor.redact(process.name),
      command: process.command === null ? null : redactor.redact(process.command),
      reason: redactor.redact(process.reason),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.role < b.role ? -1 : 1));
  return { processes, roles: serviceRoles(services, merged) };
}

/**
 * Facts that hold for one description whatever it merges with: a hot-reload server that only
 * development files run is a development tool, not the app; a worker named so in a service
 * that uses a queue library is surely one; a web process on `$PORT` gets its port from the
 * platform.
 */
function adjust(candidate: Candidate): Candidate {
  const { role, usage, devServer, confidence, service } = candidate;
  if (usage === 'dev' && role === 'web' && devServer) return { ...candidate, role: 'dev-tool' };
  const queues = service?.service.queues.map((queue) => queue.value) ?? [];
  if (role === 'worker' && confidence === 'medium' && queues.length > 0)
    return {
      ...candidate,
      confidence: 'high',
      reason: `${candidate.reason}; ${service?.service.name ?? 'its service'} uses ${queues.join(', ')}`,
      evidence: [...candidate.evidence, ...(service?.service.queues[0]?.evidence ?? [])],
    };
  if (role === 'web' && /\$\{?PORT\b/.test(candidate.command ?? ''))
    return {
      ...candidate,
      reason: `${candidate.reason}; it listens on $PORT, set by the platform`,
    };
  return candidate;
}

function runsScript(command: string | null, script: string): boolean {
  if (!command) return false;
  const words = command.split(/\s+/);
  return (
    words.includes(script) && words.some((word) => ['npm', 'yarn', 'pnpm', 'bun'].includes(word))
  );
}

/** Same service, role and command (or, without a service, same image name and name). */
function mergeSame(candidates: Candidate[]): Candidate[][] {
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const command = (candidate.command ?? '').replace(/\s+/g, ' ').trim();
    const key = candidate.service
      ? `s\0${candidate.service.service.path}\0${candidate.service.service.name}\0${candidate.role}\0${command}`
      : `i\0${candidate.image ? imageName(candidate.image) : ''}\0${candidate.name}\0${candidate.role}`;
    groups.set(key, [...(groups.get(key) ?? []), candidate]);
  }
  return [...groups.values()];
}

/** Kinds of file: two descriptions of one kind are two processes, of two kinds maybe one. */
const FAMILY: Record<Origin, string> = {
  k8s: 'deploy',
  helm: 'deploy',
  compose: 'compose',
  procfile: 'procfile',
  image: 'image',
  package: 'package',
  inferred: 'inferred',
};

/**
 * Per service (or vendor image) and role: when each kind of file describes one process of that
 * role, they describe the same one (`worker:` in the Procfile, `worker` in compose).
 */
function mergeAcrossOrigins(groups: Candidate[][]): Candidate[][] {
  const buckets = new Map<string, Candidate[][]>();
  const keyOf = (group: Candidate[]) => {
    const first = group[0];
    if (!first) return '';
    if (first.service)
      return `s\0${first.service.service.path}\0${first.service.service.name}\0${first.role}`;
    return first.image
      ? `i\0${imageName(first.image)}\0${first.role}`
      : `n\0${first.name}\0${first.role}`;
  };
  for (const group of groups)
    buckets.set(keyOf(group), [...(buckets.get(keyOf(group)) ?? []), group]);
  const out: Candidate[][] = [];
  for (const bucket of buckets.values()) {
    const families = bucket.map((group) => new Set(group.map((c) => FAMILY[c.origin])));
    const disjoint = families.every((set, index) =>
      families.every((other, at) => at === index || [...set].every((family) => !other.has(family))),
    );
    if (disjoint) out.push(bucket.flat());
    else out.push(...bucket);
  }
  return out;
}

function finish(group: Candidate[]): Merged {
  const ranked = [...group].sort(
    (a, b) =>
      usageRank(a) - usageRank(b) ||
      CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence] ||
      ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin],
  );
  const best = ranked[0] as Candidate;
  const byOrigin = [...group].sort((a, b) => ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin]);
  const usage = group.some((c) => c.usage === 'prod')
    ? 'prod'
    : group.some((c) => c.usage === 'test')
      ? 'test'
      : 'dev';
  const { role } = best;
  let { confidence, reason } = best;
  const files = [...new Set(group.map((c) => c.usageWhy ?? ''))].filter(Boolean).join('; ');
  if (usage === 'dev' && role === 'dev-tool' && best.devServer) {
    confidence = 'high';
    reason = `a hot-reload development server, only for development (${files}): ${reason}`;
  } else if (usage !== 'prod' && (APP_ROLES.has(role) || role === 'job')) {
    confidence = lower(confidence);
    reason = `only for ${usage === 'dev' ? 'development' : 'tests'} (${files}); ${reason}`;
  } else if (role === 'web' && best.devServer) {
    confidence = 'low';
    reason = `${reason}; a development server with hot reload, and no production start command was found`;
  }
  const port = best.port ?? ranked.find((c) => c.port !== null)?.port ?? null;
  if (role === 'web' && port === null) {
    confidence = 'low';
    reason = `${reason}; no port was found`;
  }
  return {
    name: (byOrigin[0] as Candidate).name,
    service: best.service?.service.name ?? null,
    role,
    command: best.command ?? ranked.find((c) => c.command !== null)?.command ?? null,
    image: byOrigin.find((c) => c.image !== null)?.image ?? null,
    port: NO_PORT.has(role) ? null : port,
    evidence: dedupeEvidence(byOrigin.flatMap((c) => c.evidence)).slice(0, MAX_EVIDENCE),
    confidence,
    reason,
    built: best.service,
    variant: best.variant,
    usage,
  };
}

function usageRank(candidate: Candidate): number {
  return candidate.usage === 'prod' ? 0 : candidate.usage === 'test' ? 1 : 2;
}

/**
 * Same-named processes are told apart by their compose variant (`node-app-dev`) or role; the
 * one that runs the app (the first by role priority) keeps the plain name.
 */
function nameUniquely(processes: Merged[]): Merged[] {
  const keeper = new Map<string, Merged>();
  for (const process of processes) {
    const held = keeper.get(process.name);
    if (!held || ROLE_PRIORITY.indexOf(process.role) < ROLE_PRIORITY.indexOf(held.role))
      keeper.set(process.name, process);
  }
  const used = new Set<string>();
  return processes.map((process) => {
    let name = process.name;
    const variant = process.variant ?? (process.usage === 'prod' ? process.role : process.usage);
    if (keeper.get(name) !== process) name = `${name}-${variant}`;
    for (let n = 2; used.has(name); n += 1) name = `${process.name}-${n}`;
    used.add(name);
    return { ...process, name };
  });
}

function serviceRoles(
  services: readonly BuiltService[],
  processes: readonly Merged[],
): Map<BuiltService, Claim<ProcessRole>> {
  const out = new Map<BuiltService, Claim<ProcessRole>>();
  for (const built of services) {
    const main = processes
      .filter((process) => process.built === built)
      .sort(
        (a, b) =>
          ROLE_PRIORITY.indexOf(a.role) - ROLE_PRIORITY.indexOf(b.role) ||
          CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence],
      )[0];
    if (main) out.set(built, claimOf(main.role, ...main.evidence.slice(0, 5)));
  }
  return out;
}
