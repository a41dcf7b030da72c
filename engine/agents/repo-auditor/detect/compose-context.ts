/**
 * Where a compose service stands: the entry an override file's entry extends (same name, a
 * sibling compose file with a build or image, the base file first), the Dockerfile stage its
 * build runs, and whether it is declared only for development or tests — a dev or test compose
 * file (`docker-compose.dev.yml`, `compose.override.yaml`, `docker-compose.test.yml`), a
 * `dev`/`test`-like profile, a development build target, or a development Dockerfile.
 * https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/
 * https://docs.docker.com/compose/how-tos/profiles/
 */
import { baseName, dirOf } from '../evidence.ts';
import type { ParsedDockerfile } from '../parsers/dockerfile.ts';
import { resolveStage, stageIndex } from '../parsers/dockerfile-stages.ts';
import { composeFileRank, isNotProductionDockerfile } from './build-spec.ts';
import type { ComposeEntry, ComposeRole, Usage } from './compose-roles.ts';
import type { ComposeIndex } from './infra.ts';

const DEV_FILE = /(?:^|[.-])(?:dev|develop|development|local|override|debug)(?:[.-]|$)/;
const TEST_FILE = /(?:^|[.-])(?:test|tests|ci|e2e|integration)(?:[.-]|$)/;
const DEV_PROFILES =
  /^(?:dev|develop|development|debug|local|tools|admin|monitoring|observability)$/;
const TEST_PROFILES = /^(?:test|tests|e2e|ci|integration|perf|load)$/;
const DEV_TARGET = /^(?:dev|develop|development|debug|local)$/i;

/** An entry with neither build nor image extends the entry of its name in a sibling file. */
export function baseEntry(entry: ComposeEntry, compose: ComposeIndex): ComposeEntry {
  if (entry.build !== null || entry.image !== null) return entry;
  const dir = dirOf(entry.file);
  const candidates = compose.services
    .filter(
      (other) =>
        other !== entry &&
        other.name === entry.name &&
        dirOf(other.file) === dir &&
        (other.build !== null || other.image !== null),
    )
    .sort((a, b) => composeFileRank(b.file) - composeFileRank(a.file));
  // The base file (rank 1) first: an override extends it, not the production file.
  return candidates.find((other) => composeFileRank(other.file) === 1) ?? candidates[0] ?? entry;
}

/** The Dockerfile stage a compose build runs (its target, else the last), as the image sees it. */
export function imageOf(
  spec: NonNullable<ComposeEntry['buildSpec']>,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
): ComposeRole['image'] {
  const parsed = dockerfiles.get(spec.dockerfile);
  if (!parsed || parsed.stages.length === 0) return null;
  const index = spec.target === null ? parsed.stages.length - 1 : stageIndex(parsed, spec.target);
  if (index === undefined) return null;
  return {
    dockerfile: spec.dockerfile,
    stage: resolveStage(parsed, index, spec.args),
    context: spec.context,
  };
}

/** Production (or the base file), development only, or tests only; and what says so. */
export function usageOf(
  entry: ComposeEntry,
  base: ComposeEntry,
  dockerfiles: ReadonlyMap<string, ParsedDockerfile>,
): { usage: Usage; why: string | null } {
  const name = baseName(entry.file);
  const profile = (pattern: RegExp) => entry.profiles.find((item) => pattern.test(item));
  const testProfile = profile(TEST_PROFILES);
  if (testProfile) return { usage: 'test', why: `the \`${testProfile}\` profile of ${entry.file}` };
  if (TEST_FILE.test(name)) return { usage: 'test', why: entry.file };
  const devProfile = profile(DEV_PROFILES);
  if (devProfile) return { usage: 'dev', why: `the \`${devProfile}\` profile of ${entry.file}` };
  if (DEV_FILE.test(name)) return { usage: 'dev', why: entry.file };
  const spec = base.buildSpec;
  if (spec?.target && DEV_TARGET.test(spec.target))
    return { usage: 'dev', why: `the \`${spec.target}\` build target in ${entry.file}` };
  if (spec && isNotProductionDockerfile(spec.dockerfile, dockerfiles.get(spec.dockerfile)))
    return { usage: 'dev', why: `${spec.dockerfile}, built from ${entry.file}` };
  return { usage: 'prod', why: null };
}

/** `docker-compose.dev.yml` → `dev`; `compose.yaml` → null. */
export function variantOf(file: string): string | null {
  const stem = baseName(file)
    .replace(/\.ya?ml$/, '')
    .replace(/^(?:docker-)?compose[.-]?/, '');
  return stem === '' ? null : stem;
}
