/**
 * Doctor's view of what this machine can build images from (issue 14): the stand-in families
 * for FROM lines (which Node runtimes, Python, Go, JDK, nginx it found: listStandIns, the same
 * catalog `prodsprint images list` shows), and the backing services tests and environments
 * start (PostgreSQL, MariaDB for MySQL, Redis and RabbitMQ from host packages; MongoDB only from
 * a loaded `mongo:<version>` image). Nothing is built: for the host-package services doctor asks
 * the dpkg database whether the packages their images are made from are installed.
 */
import type Docker from 'dockerode';
import { requireMongoImage } from '../../agents/test/datastore-kinds.ts';
import { hostDpkgDatabase, type DpkgDatabase } from '../../tools/base-images/debian-packages.ts';
import { listStandIns, type StandInCatalogRow } from '../../tools/base-images/publish.ts';
import { FAMILIES } from '../../tools/base-images/stand-ins/catalog.ts';
import { optionalCheck, withTimeout, type DoctorCheck } from './doctor-check.ts';
import type { DoctorDocker } from './doctor-engine.ts';
import { PROBE_TIMEOUT_MS } from '../../system/http-probe.ts';
import { OfflineInputMissingError } from '../../system/offline-input.ts';

/**
 * One check per stand-in family (debian, node, python, golang, java, maven, nginx, distroless).
 * Reading the catalog runs each Node binary found with --version, hence the time limit.
 */
export async function checkStandIns(
  dataDir: string,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<DoctorCheck[]> {
  const families = new Set(FAMILIES.map((family) => family.name));
  const late = Symbol('late');
  const rows = await withTimeout<StandInCatalogRow[] | Error | typeof late>(
    listStandIns({ dataDir }).then(
      (all) => all.filter((row) => families.has(row.family)),
      (error: Error) => error,
    ),
    timeoutMs,
    () => late,
  );
  const unknown = (detail: string, remedy: string) => [
    optionalCheck('stand-ins', 'Stand-in base images', { ok: false, detail, remedy }),
  ];
  if (rows === late)
    return unknown(
      `the stand-in catalog took longer than ${timeoutMs / 1000} s to read (this machine is busy)`,
      'run `prodsprint images list`, which waits for it',
    );
  if (rows instanceof Error)
    return unknown(
      `cannot tell which base images can be stood in here: ${rows.message}`,
      "stand-ins are built from a Debian 12 host's installed packages (/var/lib/dpkg); on another system supply every base image through the registry mirror (`prodsprint config set registry.mirror <url>`)",
    );
  return rows.map((row) =>
    optionalCheck(
      `stand-in.${row.family}`,
      `Stand-in: ${row.family}`,
      row.available
        ? { ok: true, detail: row.standsIn }
        : {
            ok: false,
            detail: `no stand-in for ${row.examples.slice(0, 2).join(', ')}, …: ${row.reason ?? 'not available here'}`,
            remedy: `install what the detail names on this machine (apt-get install -y --no-install-recommends <package>) and run doctor again, or supply the real images through the registry mirror (\`prodsprint config set registry.mirror <url>\`) or with \`docker load -i <file>\``,
          },
    ),
  );
}

/** Backing services whose images are assembled from host packages, and the packages they need. */
const FROM_HOST_PACKAGES: Array<{
  id: string;
  title: string;
  image: string;
  packages: (database: DpkgDatabase) => { installed: string[]; missing: string[] };
}> = [
  {
    id: 'postgres',
    title: 'PostgreSQL',
    image: 'local/postgres:base',
    packages: (database) => {
      // Any major: the image takes the newest server installed, with its client.
      const servers = [...database.packages.keys()].filter((name) => /^postgresql-\d+$/.test(name));
      const major = servers
        .map((name) => Number(name.slice('postgresql-'.length)))
        .sort((a, b) => a - b)
        .at(-1);
      return major
        ? named(database, [`postgresql-${major}`, `postgresql-client-${major}`])
        : { installed: [], missing: ['postgresql-15', 'postgresql-client-15'] };
    },
  },
  {
    id: 'mysql',
    title: 'MySQL (MariaDB)',
    image: 'local/mariadb:base',
    packages: (database) => named(database, ['mariadb-server', 'mariadb-client']),
  },
  {
    id: 'redis',
    title: 'Redis',
    image: 'local/redis:base',
    packages: (database) => named(database, ['redis-server']),
  },
  {
    id: 'rabbitmq',
    title: 'RabbitMQ',
    image: 'local/rabbitmq:base',
    packages: (database) => named(database, ['rabbitmq-server']),
  },
];

function named(database: DpkgDatabase, names: string[]) {
  return {
    installed: names.filter((name) => database.packages.has(name)),
    missing: names.filter((name) => !database.packages.has(name)),
  };
}

/** PostgreSQL, MySQL (MariaDB), Redis, RabbitMQ from host packages; then MongoDB on the engine. */
export async function checkBackingServices(
  docker: DoctorDocker | Promise<DoctorDocker>,
  database: () => DpkgDatabase = hostDpkgDatabase,
): Promise<DoctorCheck[]> {
  let dpkg: DpkgDatabase | Error;
  try {
    dpkg = database();
  } catch (error) {
    dpkg = error as Error;
  }
  const fromPackages = FROM_HOST_PACKAGES.map(({ id, title, image, packages }) => {
    const check = (result: Parameters<typeof optionalCheck>[2]) =>
      optionalCheck(`backing-service.${id}`, `Backing service: ${title}`, result);
    if (dpkg instanceof Error)
      return check({
        ok: false,
        detail: `cannot read the dpkg database (${dpkg.message}), so ${image} cannot be built here`,
        remedy: `${title} images are built from a Debian 12 host's packages: run ProdSprint on one`,
      });
    const { installed, missing } = packages(dpkg);
    if (missing.length === 0)
      return check({
        ok: true,
        detail: `${image} can be built here from ${installed.map((name) => `${name} ${dpkg.packages.get(name)?.version ?? ''}`.trim()).join(', ')}`,
      });
    return check({
      ok: false,
      detail: `${missing.join(', ')} not installed: a repository that uses ${title} is blocked at the tests stage`,
      remedy: `apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    });
  });
  return [...fromPackages, await checkMongo(await docker)];
}

async function checkMongo(docker: DoctorDocker): Promise<DoctorCheck> {
  const check = (result: Parameters<typeof optionalCheck>[2]) =>
    optionalCheck('backing-service.mongodb', 'Backing service: MongoDB', result);
  try {
    // requireMongoImage only lists the engine's images.
    const image = await withTimeout(requireMongoImage(docker as Docker), PROBE_TIMEOUT_MS, () => {
      throw new Error(`the engine did not list its images within ${PROBE_TIMEOUT_MS / 1000} s`);
    });
    return check({ ok: true, detail: `${image} is loaded on the Docker Engine` });
  } catch (error) {
    if (error instanceof OfflineInputMissingError)
      return check({
        ok: false,
        detail:
          'no mongo:<version> image is loaded on the Docker Engine, and MongoDB has no Debian package to build one from: a repository that uses MongoDB is blocked at the tests stage',
        remedy: error.remedy,
      });
    return check({
      ok: false,
      detail: `cannot tell whether a mongo:<version> image is loaded: no Docker Engine answered (${(error as Error).message})`,
      remedy:
        'start the Docker Engine (dockerd) or set DOCKER_HOST, then run doctor again; MongoDB has no Debian package, so it needs a mongo:<version> image loaded with `docker load -i <file>`',
    });
  }
}
