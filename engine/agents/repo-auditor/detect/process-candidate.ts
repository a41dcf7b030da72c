/**
 * One description of a process from one source (a compose service, a Procfile line, a
 * Kubernetes container, a service's image), before descriptions of the same process are merged
 * (processes.ts). Also what every source shares: which service an image or workload name
 * belongs to, and what a service's image runs when nothing overrides its command.
 */
import { baseName, ev } from '../evidence.ts';
import type { Confidence, Evidence, ProcessRole } from '../fingerprint.ts';
import { imageName } from '../parsers/k8s-probes.ts';
import type { RepoView } from '../repo-view.ts';
import { FRAMEWORKS, lookup } from './catalog.ts';
import { resolveSteps } from './command-resolve.ts';
import type { Usage } from './compose-roles.ts';
import { clip } from './compose-roles.ts';
import { classifySteps } from './process-commands.ts';
import type { BuiltService } from './services.ts';

/** Where a description came from; deploy manifests name processes best, inferences worst. */
export type Origin = 'k8s' | 'helm' | 'compose' | 'procfile' | 'image' | 'package' | 'inferred';

export const ORIGIN_RANK: Record<Origin, number> = {
  k8s: 0,
  helm: 1,
  compose: 2,
  procfile: 3,
  image: 4,
  package: 5,
  inferred: 6,
};

export interface Candidate {
  name: string;
  /** The service whose code it runs (its path: names may repeat), or null. */
  service: BuiltService | null;
  role: ProcessRole;
  confidence: Confidence;
  reason: string;
  command: string | null;
  image: string | null;
  port: number | null;
  evidence: Evidence[];
  origin: Origin;
  usage: Usage;
  /** What makes it development or test only, for the reason. */
  usageWhy?: string | null;
  /** The compose file variant (`dev`, `test`) that tells same-named processes apart. */
  variant: string | null;
  devServer: boolean;
}

export const CONFIDENCE_RANK: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

export function lower(confidence: Confidence): Confidence {
  return confidence === 'high' ? 'medium' : 'low';
}

/** Lower-case names a workload, container or image of `built` may carry. */
export function namesOf(built: BuiltService): Set<string> {
  const { service } = built;
  return new Set(
    [
      service.name,
      service.name.split('/').at(-1) ?? service.name,
      baseName(service.path),
      ...built.compose.map((entry) => entry.name),
      ...built.compose.flatMap((entry) => (entry.image ? [imageName(entry.image)] : [])),
    ]
      .filter((item) => item !== '' && item !== '.')
      .map((item) => item.toLowerCase()),
  );
}

/** The service an image reference belongs to (by its name), if one does. */
export function serviceOfImage(
  image: string | null,
  services: readonly BuiltService[],
): BuiltService | undefined {
  if (!image) return undefined;
  const name = imageName(image);
  return services.find((built) => namesOf(built).has(name));
}

export function serviceNamed(
  names: readonly string[],
  services: readonly BuiltService[],
): BuiltService | undefined {
  const wanted = names.filter(Boolean).map((name) => name.toLowerCase());
  return services.find((built) => wanted.some((name) => namesOf(built).has(name)));
}

/** What a service's image (or start command) runs when nothing overrides it. */
export interface DefaultRun {
  role: ProcessRole;
  confidence: Confidence;
  reason: string;
  command: string | null;
  evidence: Evidence[];
  devServer: boolean;
}

/** Images that serve files when the stage sets no command (a built frontend). */
const STATIC_SERVERS: Record<string, string> = {
  nginx: 'nginx',
  httpd: 'Apache httpd',
  caddy: 'Caddy',
};

const defaults = new WeakMap<BuiltService, Promise<DefaultRun>>();

/** Memoised per service: compose entries, containers and the image process all ask. */
export function defaultRun(
  built: BuiltService,
  view: RepoView,
  budget: { reads: number },
): Promise<DefaultRun> {
  let pending = defaults.get(built);
  if (!pending) {
    pending = computeDefault(built, view, budget);
    defaults.set(built, pending);
  }
  return pending;
}

async function computeDefault(
  built: BuiltService,
  view: RepoView,
  budget: { reads: number },
): Promise<DefaultRun> {
  const { service, manifest, chosen } = built;
  const start = service.startCommand;
  const where = start?.evidence ??
    service.framework?.evidence ?? [ev(manifest?.files[0] ?? service.path)];
  const stage = chosen?.dockerfile.stage;
  const ctx = {
    view,
    scripts: manifest?.ecosystem === 'node' ? manifest.scripts : null,
    image: chosen
      ? {
          dockerfile: chosen.dockerfile.path,
          stage: chosen.dockerfile.stage,
          context: chosen.build.value.context,
        }
      : null,
    dir: chosen?.build.value.context ?? service.path,
    budget,
  };
  const server = stage ? STATIC_SERVERS[imageName(stage.baseImage)] : undefined;
  if (stage && chosen && server && !stage.cmd && !stage.entrypoint)
    return {
      role: 'web',
      confidence: 'high',
      reason: `serves the built files on ${server} (${stage.baseImage})`,
      command: null,
      evidence: [ev(chosen.dockerfile.path, stage.line)],
      devServer: false,
    };
  const steps = stage?.entrypoint
    ? await resolveSteps(stage.entrypoint.command, ctx, stage.cmd?.command ?? null)
    : start
      ? await resolveSteps(start.value, ctx)
      : [];
  const guess = classifySteps(steps);
  const command = start?.value ?? null;
  if (guess) {
    const shown = guess.step.text !== command ? `: \`${clip(guess.step.text)}\`` : '';
    const before = guess.before ? ` (it runs ${guess.before} first)` : '';
    return {
      role: guess.role,
      confidence: guess.confidence,
      reason: `runs ${guess.what}${shown}${before}`,
      command,
      evidence: [...where, ...guess.step.evidence],
      devServer: guess.devServer,
    };
  }
  return fromFramework(built, command, where);
}

/** No command says what it is: the framework, the port and the queues it uses do. */
function fromFramework(built: BuiltService, command: string | null, where: Evidence[]): DefaultRun {
  const { service, manifest } = built;
  const framework = service.framework?.value;
  const shown = command ? `\`${clip(command)}\`` : 'its start command';
  const base = { command, devServer: false };
  if (framework === 'celery')
    return {
      ...base,
      role: 'worker',
      confidence: 'high',
      reason: 'a Celery app (its framework is Celery)',
      evidence: [...where, ...(service.framework?.evidence ?? [])],
    };
  const web =
    framework ??
    (manifest ? lookup(FRAMEWORKS[manifest.ecosystem], manifest.deps)?.meaning : undefined);
  if (framework && service.port)
    return {
      ...base,
      role: 'web',
      confidence: 'high',
      reason: `an HTTP server built with ${framework}, on port ${service.port.value}`,
      evidence: where,
    };
  if (web)
    return {
      ...base,
      role: 'web',
      confidence: 'medium',
      reason: `an app built with ${web}; what ${shown} runs is not otherwise clear`,
      evidence: where,
    };
  if (service.port)
    return {
      ...base,
      role: 'web',
      confidence: 'medium',
      reason: `listens on port ${service.port.value}; no known server framework`,
      evidence: [...where, ...service.port.evidence],
    };
  const queues = service.queues.map((queue) => queue.value);
  if (queues.length > 0)
    return {
      ...base,
      role: 'worker',
      confidence: 'medium',
      reason: `no server and no port; it uses ${queues.join(', ')}, so it is likely a consumer`,
      evidence: [...where, ...(service.queues[0]?.evidence ?? [])],
    };
  return {
    ...base,
    role: 'worker',
    confidence: 'low',
    reason: `no server framework and no port; what ${shown} does is not clear`,
    evidence: where,
  };
}
