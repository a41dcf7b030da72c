/**
 * How a build in the apply run reaches packages (issue 14), shared by the image build and the
 * test image: which package mirror each package tool needs, the relay for the ones configured,
 * and what a failed build means — a missing offline input (a mirror to configure, a base image
 * to supply) rather than a wall of npm output.
 */
import type Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BuildFailedError,
  type LegacyBuildPlan,
  type PackageTool,
} from '../../agents/build/index.ts';
import type { StepContext } from '../../agents/pipeline/toolkit.ts';
import {
  readOfflineSettings,
  resolveMirrorCredential,
  type PackageEcosystem,
} from '../../environments/local/offline-settings.ts';
import { startPackageRelay, type PackageRelay } from '../../environments/local/package-relay.ts';
import { isYarnV1Lock, pointYarnLockAtRelay } from '../../environments/local/yarn-lock.ts';
import type { Redactor } from '../../secrets/redact.ts';
import { BlockedStageError } from '../../runs/index.ts';
import type { Db } from '../../store/database.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';

export interface PackageAccessDeps {
  db: Db;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
}

/** Which mirror a package tool installs from; tools with no mirror setting have none here. */
const ECOSYSTEM_OF: Partial<Record<PackageTool, PackageEcosystem>> = {
  npm: 'npm',
  npx: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  bun: 'npm',
  corepack: 'npm',
  pip: 'pypi',
  pipenv: 'pypi',
  poetry: 'pypi',
  uv: 'pypi',
  go: 'go',
  mvn: 'maven',
  gradle: 'maven',
};

/** The mirrors the RUN steps of a planned build install from. */
export function ecosystemsOf(planned: LegacyBuildPlan): PackageEcosystem[] {
  return [
    ...new Set(
      planned.packageManagers.flatMap((p) => (ECOSYSTEM_OF[p.tool] ? [ECOSYSTEM_OF[p.tool]!] : [])),
    ),
  ];
}

/**
 * The relay for the needed mirrors that are configured, or undefined when none is: then the
 * build has no network, and `notes` says which mirrors were missing.
 */
export async function startRelayFor(
  needed: PackageEcosystem[],
  docker: Docker,
  deps: PackageAccessDeps,
  step: StepContext,
  notes: string[],
  /** Receives each request the mirror refused (`npm GET /pnpm/-/pnpm-12.26.0.tgz 404 …`). */
  misses: string[] = [],
): Promise<PackageRelay | undefined> {
  const configured = readOfflineSettings(deps.db).mirrors;
  const mirrors: Parameters<typeof startPackageRelay>[0]['mirrors'] = {};
  for (const ecosystem of needed) {
    const mirror = configured[ecosystem];
    if (!mirror) {
      notes.push(
        `the build installs ${ecosystem} packages and no ${ecosystem} mirror is configured: it has no network`,
      );
      continue;
    }
    const { authorization } = resolveMirrorCredential(mirror, deps.env, deps.redactor);
    mirrors[ecosystem] = { url: mirror.url, ...(authorization ? { authorization } : {}) };
  }
  if (Object.keys(mirrors).length === 0) return undefined;
  const relay = await startPackageRelay({
    docker,
    mirrors,
    redactor: deps.redactor,
    onRequest: (line) => {
      if (/ [45]\d\d \d+ B/.test(line)) misses.push(line);
      step.progress(line);
    },
  });
  notes.push(...relay.notes);
  return relay;
}

/**
 * yarn 1 fetches what its lockfile names from the URL written there (registry.yarnpkg.com),
 * whatever registry it is told: the context sends a copy of yarn.lock pointed at the relay
 * (integrity lines kept, so every tarball is still verified). The checkout is not touched.
 */
export function contextOverridesFor(
  contextDir: string,
  relay: PackageRelay | undefined,
): Record<string, string> {
  const lock = join(contextDir, 'yarn.lock');
  if (!relay?.urls.npm || !existsSync(lock)) return {};
  const text = readFileSync(lock, 'utf8');
  return isYarnV1Lock(text) ? { 'yarn.lock': pointYarnLockAtRelay(text, relay.urls.npm) } : {};
}

/** A build error as the stage reports it: a missing offline input, or a step with its remedy. */
export function buildBlocker(
  error: unknown,
  planned: LegacyBuildPlan,
  relay: PackageRelay | undefined,
): unknown {
  if (!(error instanceof BuildFailedError)) return error;
  const cause = error.cause;
  if (cause.kind === 'network') {
    const ecosystem = cause.tool ? (ECOSYSTEM_OF[cause.tool] ?? cause.tool) : undefined;
    const name = ecosystem ?? 'packages';
    const relayed = ecosystem ? relay?.urls[ecosystem as PackageEcosystem] : undefined;
    if (relayed && cause.host && cause.host !== new URL(relayed).hostname) {
      // The mirror was there; the build asked a host that is not a registry (a git or tarball
      // dependency in the lockfile, an install script's download): no mirror setting serves it.
      return new OfflineInputMissingError(
        { kind: 'package-mirror', name: `${name} (${cause.host})` },
        `${error.message}: the build fetched from ${cause.host}, which is not the ${name} registry (a git or tarball dependency in the lockfile, or an install script's download)`,
        `Publish what the build fetches from ${cause.host} to your ${name} mirror and point the dependency at it (or vendor it into the repository), then run the sprint again.`,
      );
    }
    return new OfflineInputMissingError(
      { kind: 'package-mirror', name },
      relayed
        ? `${error.message}: the ${name} mirror did not serve what the build asked for`
        : `${error.message}: the build has no network and no ${name} mirror is configured`,
      relayed
        ? `Make the ${name} mirror (${relayed}) carry the packages the lockfile names, then run the sprint again.`
        : mirrorRemedy(name),
    );
  }
  if (cause.kind === 'base-image') {
    const image = planned.externalImages.at(-1)?.reference ?? cause.image ?? 'the base image';
    return new OfflineInputMissingError(
      { kind: 'base-image', name: image },
      error.message,
      `Supply ${image}: push it to the registry mirror (\`prodsprint config set registry.mirror <url>\`) or load it with \`docker load -i <file>\`.`,
    );
  }
  if (cause.kind === 'configuration') return new BuildSettingsMissingError(error, cause.variables);
  return new BuildStepFailedError(error, cause.kind === 'step' ? cause.versionSign : undefined);
}

/** A build step that failed; `versionSign` is the output line that blames the runtime's version. */
export class BuildStepFailedError extends BlockedStageError {
  readonly versionSign: string | undefined;

  constructor(error: BuildFailedError, versionSign: string | undefined) {
    super(error.message, error.remedy);
    this.versionSign = versionSign;
  }
}

/**
 * The build stopped on the application's own check of its environment: the image it ran on is
 * not the cause, so no stand-in is blamed (onDifferentMajor leaves it as it is).
 */
export class BuildSettingsMissingError extends BlockedStageError {
  readonly variables: string[];

  constructor(error: BuildFailedError, variables: string[]) {
    super(
      `${error.message}: the build validates environment variables it was not given${variables.length ? ` (${variables.join(', ')})` : ''}`,
      error.remedy,
    );
    this.variables = variables;
  }
}

/**
 * A step that failed after the mirror refused some of its requests failed for want of them
 * (corepack choosing a pnpm the mirror does not hold fails later with "Cannot find module").
 */
export function mirrorMisses(
  blocker: unknown,
  misses: string[],
  relay: PackageRelay | undefined,
): unknown {
  if (!(blocker instanceof BlockedStageError) || misses.length === 0 || !relay) return blocker;
  const ecosystem = misses[0]!.split(' ')[0]!;
  const shown = misses.slice(0, 5).map((line) => line.split(' — ')[0]);
  return new OfflineInputMissingError(
    { kind: 'package-mirror', name: ecosystem },
    `${blocker.message}: the ${ecosystem} mirror did not serve ${shown.join('; ')}${misses.length > 5 ? ` (and ${misses.length - 5} more)` : ''}`,
    `Make the ${ecosystem} mirror carry what the build asked for (or pin the repository to versions it holds), then run the sprint again.`,
  );
}

/** How to give the build a package mirror of this kind. */
export function mirrorRemedy(ecosystem: string): string {
  if (['npm', 'pypi', 'go', 'maven'].includes(ecosystem))
    return `Configure your internal ${ecosystem} mirror: \`prodsprint config set mirrors.${ecosystem} <url> [--credential-ref env:NAME]\`, then run the sprint again.`;
  return `The Dockerfile installs ${ecosystem} packages at build time and ProdSprint has no ${ecosystem} mirror setting: use a base image that already has them (push it to the registry mirror) or vendor them into the repository.`;
}
