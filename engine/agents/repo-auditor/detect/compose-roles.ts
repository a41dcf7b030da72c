/**
 * The role of every compose service, decided before services are assembled, because it decides
 * which compose builds may describe an app: a mail catcher built from `maildev.Dockerfile` at
 * the root is not the API's image, and a `sut` or seed service is not what the app runs. In
 * order of trust: a vendor image (`postgres:16`, `maildev/maildev`); a Dockerfile built FROM a
 * vendor image (a database with init scripts, a Playwright runner); other services waiting for
 * it to complete (`depends_on: {condition: service_completed_successfully}`: a one-shot job);
 * its command — compose `command`, else the image's CMD through its ENTRYPOINT — with package
 * scripts and shell scripts expanded (command-resolve.ts); an nginx-like image (a proxy, or the
 * built frontend served as files when the folder is a project); its name; last, the framework
 * of the project it builds. An entry of an override file (no build, no image) extends the entry
 * of the same name in another compose file of its folder. See ../HEURISTICS.md, "Processes".
 */
import { baseName, dirOf, ev, joinPath } from '../evidence.ts';
import type { Confidence, Evidence, ProcessRole } from '../fingerprint.ts';
import type { ProjectManifest } from '../manifest.ts';
import type { DockerStage, ParsedDockerfile } from '../parsers/dockerfile.ts';
import { startCommandOf } from '../parsers/dockerfile.ts';
import type { RepoView } from '../repo-view.ts';
import { buildOwner } from './build-spec.ts';
import { FRAMEWORKS, lookup } from './catalog.ts';
import { resolveSteps } from './command-resolve.ts';
import { baseEntry, imageOf, usageOf, variantOf } from './compose-context.ts';
import type { CommandContext } from './command-resolve.ts';
import type { ComposeIndex } from './infra.ts';
import type { ManifestIndex } from './manifests.ts';
import { classifyName, classifySteps } from './process-commands.ts';
import type { StepGuess } from './process-commands.ts';
import { imageRole } from './process-images.ts';

export type ComposeEntry = ComposeIndex['services'][number];

/** Declared for production (or the base file), only for development, or only for tests. */
export type Usage = 'prod' | 'dev' | 'test';

/** What decided the role, most trusted first. */
export type Basis =
  'image' | 'base-image' | 'completion' | 'command' | 'proxy' | 'name' | 'fallback';

export interface ComposeRole {
  basis: Basis;
  role: ProcessRole;
  confidence: Confidence;
  reason: string;
  /** Where the decision was read besides the compose entry (a script line, a FROM line). */
  evidence: Evidence[];
  devServer: boolean;
  /** A vendor program (database, mail catcher, proxy): not the code of the project it is built in. */
  vendor: boolean;
  /** What runs: compose `command` (after `entrypoint`), else the image's ENTRYPOINT + CMD. */
  command: string | null;
  usage: Usage;
  /** What makes it development or test only (`docker-compose.dev.yml`, a `dev` profile). */
  usageWhy: string | null;
  /** The compose file's variant (`dev` for docker-compose.dev.yml), null for the base file. */
  variant: string | null;
  /** The entry an override entry extends (for its build, image and ports), else itself. */
  base: ComposeEntry;
  port: number | null;
  /** The Dockerfile stage it runs, when it builds one. */
  image: { dockerfile: string; stage: DockerStage; context: string } | null;
}

export type ComposeRoles = Map<ComposeEntry, ComposeRole>;

export async function classifyCompose(
  view: RepoView,
  compose: ComposeIndex,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
  manifests: ManifestIndex,
  budget: { reads: number },
): Promise<ComposeRoles> {
  const out: ComposeRoles = new Map();
  const projectDirs = manifests.manifests.filter((m) => !m.aggregator).map((m) => m.dir);
  const completed = new Set(
    compose.services.flatMap((entry) =>
      entry.dependsOn
        .filter((dep) => dep.condition === 'service_completed_successfully')
        .map((dep) => `${dirOf(entry.file)}\0${dep.name}`),
    ),
  );
  for (const entry of compose.services) {
    const base = baseEntry(entry, compose);
    const spec = base.buildSpec;
    const owner = spec ? buildOwner(spec, projectDirs) : undefined;
    const image = spec ? imageOf(spec, dockerfiles) : null;
    const manifest = manifests.manifests.find((m) => m.dir === owner && m.ecosystem === 'node');
    const ctx: CommandContext = {
      view,
      scripts: manifest?.scripts ?? null,
      image,
      dir: spec?.context ?? owner ?? dirOf(entry.file),
      budget,
    };
    const decided = await decide(entry, base, image, ctx, {
      completed: completed.has(`${dirOf(entry.file)}\0${entry.name}`),
      project: owner !== undefined ? manifests.manifests.find((m) => m.dir === owner) : undefined,
      view,
    });
    const { usage, why } = usageOf(entry, base, dockerfiles);
    const stageCommand = image ? startCommandOf(image.stage)?.command : undefined;
    const written = entry.command?.text ?? base.command?.text ?? null;
    const entrypoint = entry.entrypoint?.text ?? base.entrypoint?.text ?? null;
    out.set(entry, {
      ...decided,
      command: written
        ? [entrypoint, written].filter(Boolean).join(' ')
        : (entrypoint ?? stageCommand ?? null),
      usage,
      usageWhy: why,
      variant: variantOf(entry.file),
      base,
      image,
      port:
        base.ports[0] ??
        base.expose[0] ??
        (decided.role === 'web' || decided.role === 'proxy'
          ? image?.stage.exposes[0]?.port
          : undefined) ??
        decided.port,
    });
  }
  return out;
}

type Decision = Omit<
  ComposeRole,
  'command' | 'usage' | 'usageWhy' | 'variant' | 'base' | 'image' | 'port'
> & {
  port: number | null;
};

async function decide(
  entry: ComposeEntry,
  base: ComposeEntry,
  image: ComposeRole['image'],
  ctx: CommandContext,
  facts: { completed: boolean; project: ProjectManifest | undefined; view: RepoView },
): Promise<Decision> {
  const pulled = base.build === null && base.image !== null ? imageRole(base.image) : undefined;
  if (pulled)
    return {
      basis: 'image',
      role: pulled.role,
      confidence: 'high',
      reason: `the ${pulled.label} image (${base.image ?? ''})`,
      evidence: [],
      devServer: false,
      vendor: true,
      port: pulled.port,
    };
  const from = image ? imageRole(image.stage.baseImage) : undefined;
  const fromLine = image ? [ev(image.dockerfile, image.stage.line)] : [];
  if (from && image && from.role !== 'proxy')
    return {
      basis: 'base-image',
      role: from.role,
      confidence: 'high',
      reason: `built FROM the ${from.label} image (${image.stage.baseImage})`,
      evidence: fromLine,
      devServer: false,
      vendor: from.role !== 'test-runner',
      port: from.port,
    };
  const guess = await commandGuess(entry, base, image, ctx);
  if (facts.completed && guess?.role !== 'test-runner')
    return {
      basis: 'completion',
      role: 'job',
      confidence: 'high',
      reason: `other services wait for it to complete (depends_on: service_completed_successfully)${guess ? `; it runs ${guess.what}` : ''}`,
      evidence: guess?.step.evidence ?? [],
      devServer: false,
      vendor: false,
      port: null,
    };
  // nginx & co. built from a folder: a proxy or the frontend's files, whatever starts the server.
  if (from && image && (!guess || (guess.role === 'web' && !guess.devServer)))
    return proxyOrStatic(from.label, image, facts);
  if (guess) return fromGuess(guess, entry.command?.text ?? base.command?.text ?? null);
  const named = classifyName(entry.name);
  if (named)
    return {
      ...named,
      basis: 'name',
      reason: `its name says ${named.what}`,
      evidence: [],
      vendor: false,
      port: null,
    };
  return fallback(entry, base, facts.project);
}

/** The command's guess: compose `command`, else the image's CMD, through the ENTRYPOINT. */
async function commandGuess(
  entry: ComposeEntry,
  base: ComposeEntry,
  image: ComposeRole['image'],
  ctx: CommandContext,
): Promise<StepGuess | undefined> {
  const own = entry.command ?? base.command;
  const ownEntrypoint = entry.entrypoint ?? base.entrypoint;
  const command = own?.text ?? image?.stage.cmd?.command ?? null;
  const entrypoint = ownEntrypoint?.text ?? image?.stage.entrypoint?.command ?? null;
  const guess = entrypoint
    ? classifySteps(await resolveSteps(entrypoint, ctx, command))
    : command
      ? classifySteps(await resolveSteps(command, ctx))
      : undefined;
  if (!guess || !image) return guess;
  // What the image runs was read from its Dockerfile: that line is evidence too.
  const { stage } = image;
  const line = (!ownEntrypoint && stage.entrypoint?.line) || (!own && stage.cmd?.line);
  if (!line) return guess;
  const step = { ...guess.step, evidence: [ev(image.dockerfile, line), ...guess.step.evidence] };
  return { ...guess, step };
}

function fromGuess(guess: StepGuess, written: string | null): Decision {
  const shown = guess.step.text !== written ? `: \`${clip(guess.step.text)}\`` : '';
  const before = guess.before ? ` (it runs ${guess.before} first)` : '';
  return {
    basis: 'command',
    role: guess.role,
    confidence: guess.confidence,
    reason: `runs ${guess.what}${shown}${before}`,
    evidence: guess.step.evidence,
    devServer: guess.devServer,
    vendor: guess.vendor === true,
    port: null,
  };
}

export function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

const PROXY_CONFIG =
  /(?:^|\/)(?:[^/]+\.conf|nginx\.conf\.template|Caddyfile|haproxy\.cfg|traefik\.ya?ml)$/;
/** Proxy configurations read per image: a handful at most. */
const MAX_CONFIGS = 10;
const PROXIES = /\bproxy_pass\b|\breverse_proxy\b|\bupstream\b|^\s*backend\s/m;

/**
 * An nginx/httpd/Caddy/HAProxy image: in a project folder it serves the built frontend (web);
 * elsewhere it fronts other services (a proxy), sure when its configuration proxies.
 */
async function proxyOrStatic(
  label: string,
  image: NonNullable<ComposeRole['image']>,
  facts: { project: ProjectManifest | undefined; view: RepoView },
): Promise<Decision> {
  const evidence = [ev(image.dockerfile, image.stage.line)];
  if (facts.project)
    return {
      basis: 'proxy',
      role: 'web',
      confidence: 'high',
      reason: `serves the project's built files on ${label} (${image.stage.baseImage})`,
      evidence,
      devServer: false,
      vendor: false,
      port: null,
    };
  // Configuration files by name, and whatever the Dockerfile copies in (`COPY conf /etc/nginx/…`).
  const copied = image.stage.copies.flatMap((copy) =>
    copy.sources.map((source) => joinPath(image.context, source)),
  );
  const configs = [
    ...copied.filter((path) => facts.view.has(path)),
    ...facts.view.under(image.context).filter((path) => PROXY_CONFIG.test(path)),
  ];
  for (const file of [...new Set(configs)].slice(0, MAX_CONFIGS)) {
    const text = (await facts.view.text(file, 256 * 1024)) ?? '';
    if (PROXIES.test(text))
      return {
        basis: 'proxy',
        role: 'proxy',
        confidence: 'high',
        reason: `${label} (${image.stage.baseImage}) whose configuration ${baseName(file)} proxies to other services`,
        evidence: [...evidence, ev(file)],
        devServer: false,
        vendor: true,
        port: 80,
      };
  }
  return {
    basis: 'proxy',
    role: 'proxy',
    confidence: 'medium',
    reason: `built FROM ${label} (${image.stage.baseImage}); no proxy configuration was found, it may only serve files`,
    evidence,
    devServer: false,
    vendor: true,
    port: 80,
  };
}

function fallback(
  entry: ComposeEntry,
  base: ComposeEntry,
  project: ProjectManifest | undefined,
): Decision {
  const published = base.ports[0] ?? base.expose[0];
  if (published !== undefined)
    return {
      basis: 'fallback',
      role: 'web',
      confidence: 'medium',
      reason: `publishes port ${published}; nothing says what its command does`,
      evidence: [],
      devServer: false,
      vendor: false,
      port: null,
    };
  const framework = project ? lookup(FRAMEWORKS[project.ecosystem], project.deps) : undefined;
  if (framework && framework.meaning !== 'celery')
    return {
      basis: 'fallback',
      role: 'web',
      confidence: 'medium',
      reason: `builds a project made with ${framework.meaning}; nothing else says what it runs`,
      evidence: [framework.at],
      devServer: false,
      vendor: false,
      port: null,
    };
  return {
    basis: 'fallback',
    role: project ? 'web' : 'worker',
    confidence: 'low',
    reason: `what ${entry.name} runs is not clear (no command, port or known image says)`,
    evidence: [],
    devServer: false,
    vendor: false,
    port: null,
  };
}
