/**
 * Service containers for CI test jobs (issue 15): a service whose code reads a database, cache
 * or broker gets one beside its test job (`services:` in GitHub Actions and GitLab), found the way
 * the sprint's own test stage finds them (engine/agents/test/datastores.ts: env vars, compose
 * stack, drivers among the declared dependencies) and wired to the variable names the code reads
 * (wire-backing-services.ts). The credentials are fixed and throwaway: the container lives for one
 * job and is reachable only from it.
 */
import type { Fingerprint, Service } from '../repo-auditor/fingerprint.ts';
import { DEPENDENCY_MANIFESTS } from '../repo-auditor/detect/manifests.ts';
import type { ManifestParse } from '../repo-auditor/manifest.ts';
import { datastoresOf, neededDatastores, type Datastore } from '../test/datastores.ts';
import { NO_SIGNALS, type RepositorySignals } from '../test/repository-signals.ts';
import { wireBackingServices, type StartedBackingService } from '../test/wire-backing-services.ts';
import type { RepoFiles } from './repo-files.ts';
import { joinPath } from './repo-files.ts';

export interface CiService {
  /** The host name the tests reach it by (GitHub service id, GitLab alias). */
  name: Datastore;
  /** pins.yaml key. */
  image: string;
  env: Array<{ name: string; value: string }>;
  /** GitHub `options:`: a health check, so the job starts once the datastore accepts work. */
  options: string;
}

const USER = 'ci';
const PASSWORD = 'ci-only';
const DATABASE = 'app';

interface Kind {
  image: string;
  port: number;
  env: Record<string, string>;
  health: string;
  user: string | null;
  password: string | null;
  database: string | null;
}

const KINDS: Record<Datastore, Kind> = {
  postgres: {
    image: 'postgres-16',
    port: 5432,
    env: { POSTGRES_USER: USER, POSTGRES_PASSWORD: PASSWORD, POSTGRES_DB: DATABASE },
    health: `pg_isready -U ${USER} -d ${DATABASE}`,
    user: USER,
    password: PASSWORD,
    database: DATABASE,
  },
  mysql: {
    image: 'mysql-8',
    port: 3306,
    env: {
      MYSQL_ROOT_PASSWORD: PASSWORD,
      MYSQL_DATABASE: DATABASE,
      MYSQL_USER: USER,
      MYSQL_PASSWORD: PASSWORD,
    },
    health: 'mysqladmin ping -h 127.0.0.1',
    user: USER,
    password: PASSWORD,
    database: DATABASE,
  },
  redis: {
    image: 'redis',
    port: 6379,
    env: {},
    health: 'redis-cli ping',
    user: null,
    password: null,
    database: null,
  },
  rabbitmq: {
    image: 'rabbitmq-3',
    port: 5672,
    env: { RABBITMQ_DEFAULT_USER: USER, RABBITMQ_DEFAULT_PASS: PASSWORD },
    health: 'rabbitmq-diagnostics -q ping',
    user: USER,
    password: PASSWORD,
    database: '/',
  },
  mongodb: {
    image: 'mongo-7',
    port: 27017,
    env: { MONGO_INITDB_ROOT_USERNAME: USER, MONGO_INITDB_ROOT_PASSWORD: PASSWORD },
    health: `mongosh --quiet --eval 'db.adminCommand("ping")'`,
    user: USER,
    password: PASSWORD,
    database: DATABASE,
  },
};

/** The dependencies the service's own manifests declare: the drivers that name a datastore. */
async function dependencySignals(files: RepoFiles, service: Service): Promise<RepositorySignals> {
  const dependencies: RepositorySignals['dependencies'] = [];
  for (const [name, parse] of Object.entries(DEPENDENCY_MANIFESTS)) {
    const path = joinPath(service.path, name);
    const text = await files.text(path);
    if (text === null) continue;
    let parsed: ManifestParse;
    try {
      parsed = parse(path, service.path, text);
    } catch {
      continue;
    }
    if (parsed.ok)
      for (const [dependency, evidence] of parsed.manifest.deps)
        dependencies.push({ name: dependency, evidence });
  }
  return { ...NO_SIGNALS, dependencies };
}

/**
 * The service containers `service`'s tests need, the variables that point its code at them, and
 * why each is there (for the plan's notes). `postgresVersion` is the plan's own database version.
 */
export async function ciServicesOf(
  files: RepoFiles,
  service: Service,
  fingerprint: Fingerprint,
  images: Record<string, unknown>,
  postgresVersion: string | null,
): Promise<{ services: CiService[]; env: Record<string, string>; reasons: string[] }> {
  const signals = await dependencySignals(files, service);
  const needs = datastoresOf(service, fingerprint, signals);
  const services: CiService[] = [];
  const started: StartedBackingService[] = [];
  const reasons: string[] = [];
  for (const datastore of neededDatastores(needs)) {
    const kind = KINDS[datastore];
    const versioned = postgresVersion ? `postgres-${postgresVersion}` : '';
    const image = datastore === 'postgres' && versioned in images ? versioned : kind.image;
    services.push({
      name: datastore,
      image,
      env: Object.entries(kind.env).map(([name, value]) => ({ name, value })),
      options: `--health-cmd "${kind.health.replaceAll('"', '\\"')}" --health-interval 5s --health-timeout 5s --health-retries 20`,
    });
    started.push({
      datastore,
      host: datastore,
      port: kind.port,
      user: kind.user,
      password: kind.password,
      database: kind.database,
    });
    reasons.push(`${datastore} (${needs[datastore]!.reasons.slice(0, 2).join('; ')})`);
  }
  const env = started.length ? wireBackingServices(service, fingerprint, started, signals) : {};
  return { services, env, reasons };
}
