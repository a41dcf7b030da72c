/**
 * The build args that point a Dockerfile's package managers at the package relay (pure). Values
 * are relay URLs only, never credentials: ARG values are kept in the image's history
 * (`docker history --no-trunc`), which is why the relay, not the build, holds the credential.
 *
 * They only take effect in a stage that declares them (`ARG NAME`): the caller injects the ARG
 * lines after each FROM of the translated Dockerfile. Which client reads which variable was
 * checked with the real clients (see the relay's integration test and the notes below).
 */
import type { PackageEcosystem } from './offline-settings.ts';

export interface RelayBuildArgs {
  buildArgs: Record<string, string>;
  /** One line per thing set or left to the caller, for the build's log and the sprint summary. */
  notes: string[];
}

/** Build args and notes for the relay URLs of the configured mirrors. */
export function relayBuildArgs(
  urls: Partial<Record<PackageEcosystem, string>>,
  gateway: string,
): RelayBuildArgs {
  const buildArgs: Record<string, string> = {};
  const notes: string[] = [];
  if (urls.npm) {
    Object.assign(buildArgs, {
      // npm and pnpm (npm_config_registry); npm also sends lockfile URLs of registry.npmjs.org
      // here (its replace-registry-host default).
      NPM_CONFIG_REGISTRY: urls.npm,
      // yarn 1 (its `registry` setting)
      YARN_REGISTRY: urls.npm,
      // yarn 2+ (npmRegistryServer), which refuses plain http unless the host is whitelisted
      YARN_NPM_REGISTRY_SERVER: urls.npm,
      YARN_UNSAFE_HTTP_WHITELIST: gateway,
      BUN_CONFIG_REGISTRY: urls.npm,
      // corepack fetches pnpm and yarn 2+ themselves (`corepack enable && pnpm install`)
      COREPACK_NPM_REGISTRY: urls.npm.replace(/\/$/, ''),
      // corepack checks npm's registry signatures (`dist.signatures`), which a mirror such as
      // Verdaccio does not serve: "No compatible signature found". 0 turns that check off and
      // keeps the tarball's integrity check against the mirror's metadata (and the
      // `packageManager` hash when the repository pins one): the team's mirror is the trust root.
      COREPACK_INTEGRITY_KEYS: '0',
    });
    notes.push(
      `npm, pnpm, yarn, bun and corepack use the npm mirror through ${urls.npm} (NPM_CONFIG_REGISTRY, YARN_REGISTRY, YARN_NPM_REGISTRY_SERVER, BUN_CONFIG_REGISTRY, COREPACK_NPM_REGISTRY; COREPACK_INTEGRITY_KEYS=0: a mirror serves no npm signatures)`,
    );
  }
  if (urls.pypi) {
    Object.assign(buildArgs, {
      PIP_INDEX_URL: urls.pypi,
      // The relay speaks plain http on the build network: pip ignores an http index otherwise.
      PIP_TRUSTED_HOST: gateway,
      UV_INDEX_URL: urls.pypi,
      UV_DEFAULT_INDEX: urls.pypi,
    });
    notes.push(
      `pip and uv use the PyPI mirror through ${urls.pypi} (PIP_INDEX_URL, PIP_TRUSTED_HOST, UV_INDEX_URL, UV_DEFAULT_INDEX)`,
    );
  }
  if (urls.go) {
    Object.assign(buildArgs, {
      GOPROXY: urls.go,
      // Offline there is no checksum database (sum.golang.org) to ask: modules are checked
      // against the repository's go.sum only, and modules missing from go.sum are not verified.
      GOSUMDB: 'off',
    });
    notes.push(
      `go uses the module proxy through ${urls.go} (GOPROXY); GOSUMDB=off: no checksum database offline, modules are checked against go.sum only`,
    );
  }
  if (urls.maven) {
    // No variable configures Maven or Gradle themselves; the Dockerfiles ProdSprint's plans
    // generate read this one into a settings.xml mirror (or a Gradle init script).
    buildArgs.MAVEN_MIRROR_URL = urls.maven;
    notes.push(
      `no environment variable configures a Maven mirror: MAVEN_MIRROR_URL=${urls.maven} reaches Dockerfiles that read it (the plan's do); others need a settings.xml <mirror> with <mirrorOf>*</mirrorOf> given to mvn (-s)`,
    );
  }
  return { buildArgs, notes };
}
