/**
 * The catalog of stand-ins: which family serves a reference, and for references no family
 * serves, why not in words a person can act on (no Ubuntu packages here; datastores come from
 * the backing-service images; Windows images cannot run on Linux). A digest-pinned reference
 * can be stood in only with a warning: an image built here never has the pinned digest.
 */
import { hostDpkgDatabase } from '../debian-packages.ts';
import { familiarReference, type ImageReference } from '../image-reference.ts';
import { busyboxFamily } from './busybox.ts';
import { debianFamily } from './debian.ts';
import { distrolessFamily } from './distroless.ts';
import { golangFamily } from './golang.ts';
import { javaFamily, mavenFamily } from './java.ts';
import { nginxFamily } from './nginx.ts';
import { nodeFamily } from './node.ts';
import { pythonFamily } from './python.ts';
import type { HostContext, StandInAnswer, StandInFamily } from './types.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeInRoot } from '../root-edit.ts';
import { splitTag } from './variant.ts';

export const FAMILIES: StandInFamily[] = [
  debianFamily,
  nodeFamily,
  pythonFamily,
  golangFamily,
  javaFamily,
  mavenFamily,
  nginxFamily,
  distrolessFamily,
  busyboxFamily,
];

/** Official images that are backing services: another part of ProdSprint supplies them. */
const DATASTORES = new Set([
  'postgres',
  'redis',
  'mysql',
  'mariadb',
  'mongo',
  'rabbitmq',
  'memcached',
  'elasticsearch',
  'cassandra',
  'valkey',
]);

/** Known images nothing on this machine can stand in for, and why. */
const NOT_HERE: Record<string, string> = {
  ubuntu: 'this machine has Debian 12 packages, not Ubuntu ones',
  alpine: 'this machine has Debian 12 packages, not Alpine ones (apk, musl)',
  centos: 'this machine has Debian 12 packages, not CentOS ones (rpm)',
  fedora: 'this machine has Debian 12 packages, not Fedora ones (rpm)',
  rockylinux: 'this machine has Debian 12 packages, not Rocky Linux ones (rpm)',
  almalinux: 'this machine has Debian 12 packages, not AlmaLinux ones (rpm)',
  amazonlinux: 'this machine has Debian 12 packages, not Amazon Linux ones (rpm)',
  ruby: 'no Ruby runtime is installed on this machine',
  php: 'no PHP runtime is installed on this machine',
  rust: 'no Rust toolchain is installed for images on this machine',
  elixir: 'no Elixir runtime is installed on this machine',
  erlang: 'no Erlang runtime is installed for images on this machine',
  perl: 'the Perl image is not stood in here',
  gradle: 'no Gradle is installed on this machine',
  httpd: 'no Apache httpd is installed on this machine',
  tomcat: 'no Tomcat is installed on this machine',
  caddy: 'no Caddy is installed on this machine',
  traefik: 'no Traefik is installed on this machine',
  haproxy: 'the HAProxy image is not stood in here',
  docker: 'Docker-in-Docker images cannot be stood in',
};

/** Catalog rows for what has no stand-in: a name and the references it covers. */
export const WITHOUT_STAND_IN: Array<{ family: string; examples: string[] }> = [
  ...Object.keys(NOT_HERE).map((name) => ({ family: name, examples: [`${name}:latest`] })),
  {
    family: 'dotnet',
    examples: ['mcr.microsoft.com/dotnet/sdk:8.0', 'mcr.microsoft.com/dotnet/aspnet:8.0'],
  },
  { family: 'datastores', examples: [...DATASTORES].map((name) => `${name}:latest`) },
];

export function familyFor(ref: ImageReference): StandInFamily | undefined {
  return FAMILIES.find((family) => family.matches(ref));
}

/** What this machine can offer for `ref`: a stand-in, or why not. */
export async function findStandIn(
  ref: ImageReference,
  context: HostContext = { database: hostDpkgDatabase() },
): Promise<StandInAnswer> {
  const family = familyFor(ref);
  if (!family) return { available: false, reason: whyNoFamily(ref) };
  const windows = splitTag(ref.tag, () => false).os?.kind === 'windows';
  if (windows)
    return {
      available: false,
      family: family.name,
      reason: `${familiarReference(ref)} is a Windows image; this engine runs Linux containers`,
    };
  const offered = await family.offer(ref, context);
  const answer = offered.available ? withAlpineUserTools(offered) : offered;
  if (!answer.available || !ref.digest) return answer;
  const warning = `pinned to ${ref.digest.slice(0, 19)}…: the stand-in is built on this machine, so its digest does not match`;
  return { ...answer, offer: { ...answer.offer, warnings: [...answer.offer.warnings, warning] } };
}

/** Alpine's user tools (BusyBox applets), as shell scripts over Debian's shadow utilities. */
const ALPINE_USER_TOOLS = ['adduser', 'addgroup', 'deluser', 'delgroup'];
const ALPINE_USERS_DIR = fileURLToPath(new URL('./alpine-users/', import.meta.url));

/**
 * Dockerfiles written for alpine images make their users with BusyBox's `addgroup -S` and
 * `adduser -S -G`, which Debian's adduser refuses. An alpine request's stand-in puts scripts
 * that take BusyBox's flags first on PATH (/usr/local/sbin), mapped onto useradd and groupadd;
 * `apk` stays missing, which the build refuses up front.
 */
function withAlpineUserTools(answer: Extract<StandInAnswer, { available: true }>): StandInAnswer {
  const { offer } = answer;
  if (!offer.missingPackageManagers.includes('apk')) return answer;
  const { content } = offer;
  const scripts = ALPINE_USER_TOOLS.map((tool) => readFileSync(join(ALPINE_USERS_DIR, tool)));
  return {
    ...answer,
    offer: {
      ...offer,
      content: {
        ...content,
        key: `${content.key}-alpine-users`,
        hashInputs: [...content.hashInputs, ...scripts],
        actual: `${content.actual}, with Alpine's adduser/addgroup flags`,
        customize: async (root) => {
          await content.customize?.(root);
          ALPINE_USER_TOOLS.forEach((tool, index) =>
            writeInRoot(root, `/usr/local/sbin/${tool}`, scripts[index]!.toString(), 0o755),
          );
        },
      },
      warnings: [
        ...offer.warnings,
        "adduser, addgroup, deluser and delgroup take Alpine's (BusyBox's) flags, mapped onto useradd and groupadd",
      ],
    },
  };
}

function whyNoFamily(ref: ImageReference): string {
  const name = familiarReference(ref);
  if (ref.official && DATASTORES.has(ref.name))
    return `${name} is a datastore image; ProdSprint builds no stand-in base image for it (its backing-service images serve tests and environments)`;
  if (ref.official && NOT_HERE[ref.name])
    return `${NOT_HERE[ref.name]}, so ${name} has no stand-in`;
  if (ref.registry === 'mcr.microsoft.com')
    return `${name} is a Microsoft image (.NET, Windows); no .NET SDK or runtime is installed on this machine`;
  return `ProdSprint has no stand-in for ${name}`;
}
