/**
 * Doctor's view of the mirrors an air-gapped site configures (issue 14: "every blocker names the
 * missing offline input … `prodsprint doctor` lists them too"): the registry mirror for FROM
 * images and the npm, PyPI, Go and Maven mirrors builds install from. Each is optional (a
 * repository that needs none builds without it), so a missing or silent one warns and says what
 * a first sprint would run into. Only the configured URL is asked, once, with a 2 s limit; its
 * credential goes in the request header, never into a line of the report.
 */
import {
  resolveMirrorCredential,
  type Mirror,
  type PackageEcosystem,
} from '../../environments/local/offline-settings.ts';
import { Redactor } from '../../secrets/redact.ts';
import { optionalCheck, type DoctorCheck } from './doctor-check.ts';
import { probeHttp, probeRegistry } from '../../system/http-probe.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';

/** What installs from each package mirror inside a build, in the words users know. */
const INSTALLERS: Record<PackageEcosystem, string> = {
  npm: 'npm packages (npm, yarn, pnpm, bun)',
  pypi: 'Python packages (pip, pipenv, poetry, uv)',
  go: 'Go modules (go mod download, go build)',
  maven: 'Maven or Gradle dependencies (mvn, gradle)',
};

const credentialOf = (mirror: Mirror) =>
  mirror.credentialRef ? ` (credential: ${mirror.credentialRef})` : '';

/**
 * The Authorization header for a probe, or the check that says why there is none. The value
 * is registered with a redactor of its own (nothing printed here carries it anyway).
 */
function credential(
  mirror: Mirror,
  env: NodeJS.ProcessEnv,
): { authorization?: string } | { missing: { detail: string; remedy: string } } {
  try {
    return resolveMirrorCredential(mirror, env, new Redactor());
  } catch (error) {
    if (!(error instanceof OfflineInputMissingError)) throw error;
    return { missing: { detail: error.detail, remedy: error.remedy } };
  }
}

export async function checkRegistryMirror(
  mirror: Mirror | undefined,
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck> {
  const check = (result: Parameters<typeof optionalCheck>[2]) =>
    optionalCheck('registry-mirror', 'Registry mirror (FROM images)', result);
  if (!mirror)
    return check({
      ok: false,
      detail:
        "not configured: FROM images come from the engine or are stood in from this machine's packages (see the stand-in checks); a repository whose Dockerfile uses any other image (ubuntu, alpine, ruby, php, .NET, …) is blocked at the build",
      remedy:
        "point ProdSprint at the team's OCI registry mirror (Docker Hub images under library/…): `prodsprint config set registry.mirror <url> [--credential-ref env:NAME]`; `prodsprint images publish <reference>...` fills it with what stands in here",
    });
  const auth = credential(mirror, env);
  if ('missing' in auth) return check({ ok: false, ...auth.missing });
  const probe = await probeRegistry(mirror.url, {
    ...auth,
    settingHint: '`prodsprint config set registry.mirror <url>`',
  });
  return probe.ok
    ? check({ ok: true, detail: `${mirror.url}${credentialOf(mirror)} ${probe.detail}` })
    : check(probe);
}

export async function checkPackageMirror(
  ecosystem: PackageEcosystem,
  mirror: Mirror | undefined,
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck> {
  const key = `mirrors.${ecosystem}`;
  const check = (result: Parameters<typeof optionalCheck>[2]) =>
    optionalCheck(`package-mirror.${ecosystem}`, `Package mirror: ${ecosystem}`, result);
  const setIt = `\`prodsprint config set ${key} <url> [--credential-ref env:NAME]\``;
  if (!mirror)
    return check({
      ok: false,
      detail: `not configured: the first sprint of a repository that installs ${INSTALLERS[ecosystem]} while it builds is blocked at the build ("package mirror for ${ecosystem} is not configured"); builds have no other network`,
      remedy: `point ProdSprint at your internal ${ecosystem} mirror: ${setIt}`,
    });
  const auth = credential(mirror, env);
  if ('missing' in auth) return check({ ok: false, ...auth.missing });
  const probe = await probeHttp(mirror.url, auth);
  const shown = `${mirror.url}${credentialOf(mirror)}`;
  if (!probe.answered)
    return check({
      ok: false,
      detail: `${shown} does not answer (${probe.reason}): builds that install ${INSTALLERS[ecosystem]} fail`,
      remedy: `start the mirror or make it reachable from this machine, or point the setting at one that answers: ${setIt}`,
    });
  if (probe.status === 401 || probe.status === 403)
    return check({
      ok: false,
      detail: `${shown} refuses this machine (HTTP ${probe.status})`,
      remedy: mirror.credentialRef
        ? `check the credential in ${mirror.credentialRef.slice('env:'.length)} (a token, or user:password) against the mirror`
        : `give the mirror's credential by reference: \`prodsprint config set ${key} ${mirror.url} --credential-ref env:NAME\``,
    });
  if (probe.status >= 500)
    return check({
      ok: false,
      detail: `${shown} answers HTTP ${probe.status}: it is up but failing`,
      remedy: `look at the mirror's own logs; builds that install ${INSTALLERS[ecosystem]} fail until it answers`,
    });
  // Index pages differ (a Go proxy or a Maven repository may answer 404 at its root): any
  // answer that is not a refusal or a server error shows the mirror is there.
  return check({ ok: true, detail: `${shown} answers (HTTP ${probe.status})` });
}
