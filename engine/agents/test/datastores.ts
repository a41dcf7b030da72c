/**
 * Which backing services a service needs (issue 10: "ephemeral database for integration tests
 * when the fingerprint has one"; issue 14: MySQL/MariaDB, RabbitMQ, MongoDB, and the same needs
 * for the local environments), read from the fingerprint and, when the caller read them from the
 * checkout, the repository's signals (drivers, URLs, compose environment). Each need carries the
 * evidence it was read from, so a run can say why it started a database.
 *
 * Specific signals name the datastore: env vars (PG*, POSTGRES_*, MYSQL_*, REDIS_*, RABBITMQ_*,
 * MONGO*), a compose service running its image, a driver, a URL with its scheme, a queue library
 * that runs on one broker only. DATABASE_URL, an ORM or a migrations tool only say "a relational
 * database": they count for PostgreSQL unless the repository shows MySQL/MariaDB, and then for
 * that one, so the tests never get a DATABASE_URL of the wrong kind.
 */
import type { Evidence, Fingerprint, Service } from '../repo-auditor/fingerprint.ts';
import { datastoreOfScheme, NO_SIGNALS, type RepositorySignals } from './repository-signals.ts';

export type Datastore = 'postgres' | 'mysql' | 'redis' | 'rabbitmq' | 'mongodb';
export const DATASTORES: readonly Datastore[] = [
  'postgres',
  'mysql',
  'redis',
  'rabbitmq',
  'mongodb',
];

export interface Need {
  /** Human-readable reasons, each with file:line. */
  reasons: string[];
}

export interface SqlNeed extends Need {
  /** Where the service's migrations are (repository-relative), when the fingerprint has them. */
  migrations: { tool: string; path: string } | null;
}
/** Kept for callers written before MySQL was a need. */
export type PostgresNeed = SqlNeed;

export interface DatastoreNeeds {
  postgres: SqlNeed | null;
  mysql: SqlNeed | null;
  redis: Need | null;
  rabbitmq: Need | null;
  mongodb: Need | null;
}

const ENV: Record<Datastore, RegExp> = {
  postgres: /^(?:POSTGRES_\w+|POSTGRESQL_\w+|PG(?:HOST|HOSTADDR|PORT|DATABASE|USER|PASSWORD))$/,
  mysql: /^(?:MYSQL|MARIADB)_\w+$/,
  redis: /^REDIS_\w+$/,
  rabbitmq: /^(?:RABBITMQ|AMQP|CLOUDAMQP)_\w+$/,
  mongodb: /^MONGO\w*$/,
};
const SQL_ENV = /^(?:DATABASE_URL|DB_URL)$/;
const IMAGE: Record<Datastore, RegExp> = {
  postgres: /^(?:postgres|postgresql|postgis|timescaledb)(?:[:@-]|$)/,
  mysql: /^(?:mysql|mariadb|percona)(?:[:@-]|$)/,
  // redismod / redis-stack: Redis with modules, as vendors publish it (redislabs/redismod).
  redis: /^(?:redis|redismod|valkey|keydb)(?:[:@-]|$)/,
  rabbitmq: /^rabbitmq(?:[:@-]|$)/,
  mongodb: /^(?:mongo|mongodb)(?:[:@-]|$)/,
};
/** Drivers, as the auditor names dependencies (npm, PEP 503, Go module, Maven artifact id). */
const DRIVERS: Record<Datastore, ReadonlySet<string>> = {
  postgres: new Set([
    'pg',
    'postgres',
    'pg-promise',
    'psycopg2',
    'psycopg2-binary',
    'psycopg',
    'asyncpg',
    'github.com/lib/pq',
    'github.com/jackc/pgx',
    'postgresql',
    'r2dbc-postgresql',
  ]),
  mysql: new Set([
    'mysql',
    'mysql2',
    'mariadb',
    'mysqlclient',
    'pymysql',
    'aiomysql',
    'asyncmy',
    'mysql-connector-python',
    'github.com/go-sql-driver/mysql',
    'mysql-connector-j',
    'mysql-connector-java',
    'mariadb-java-client',
  ]),
  redis: new Set([
    'redis',
    'ioredis',
    '@redis/client',
    'django-redis',
    'github.com/redis/go-redis',
    'github.com/go-redis/redis',
    'github.com/gomodule/redigo',
    'spring-boot-starter-data-redis',
    'jedis',
    'lettuce-core',
  ]),
  rabbitmq: new Set([
    'amqplib',
    'amqp-connection-manager',
    'pika',
    'aio-pika',
    'github.com/rabbitmq/amqp091-go',
    'github.com/streadway/amqp',
    'spring-rabbit',
    'spring-boot-starter-amqp',
  ]),
  mongodb: new Set([
    'mongoose',
    'mongodb',
    'pymongo',
    'motor',
    'mongoengine',
    'go.mongodb.org/mongo-driver',
    'spring-data-mongodb',
    'spring-boot-starter-data-mongodb',
    'mongodb-driver-sync',
  ]),
};
/** Queue libraries (fingerprint `queues`) that run on one broker only. */
const QUEUES: Partial<Record<Datastore, ReadonlySet<string>>> = {
  redis: new Set(['bull', 'bullmq', 'rq', 'asynq']),
  rabbitmq: new Set(['rabbitmq']),
};

export function datastoresOf(
  service: Service,
  fingerprint: Fingerprint,
  signals: RepositorySignals = NO_SIGNALS,
): DatastoreNeeds {
  const found = Object.fromEntries(DATASTORES.map((d) => [d, [] as string[]])) as Record<
    Datastore,
    string[]
  >;
  const generic: string[] = [];

  for (const env of service.envVars) {
    for (const datastore of DATASTORES)
      if (ENV[datastore].test(env.value))
        found[datastore].push(`env ${env.value} (${at(env.evidence)})`);
    if (SQL_ENV.test(env.value)) generic.push(`env ${env.value} (${at(env.evidence)})`);
  }
  // A service whose compose entry says what it talks to (depends_on, links) needs only those:
  // the web front of a stack does not need the stack's database.
  const talksTo = signals.composeDependsOn;
  for (const { file, service: compose } of composeServicesOver(service, fingerprint)) {
    if (talksTo && !talksTo.includes(compose.name)) continue;
    const image = imageName(compose.image);
    const where = `compose service ${compose.name} in ${file} (${at(compose.evidence)})`;
    for (const datastore of DATASTORES)
      if (IMAGE[datastore].test(image)) found[datastore].push(where);
  }
  for (const queue of service.queues) {
    for (const datastore of ['redis', 'rabbitmq'] as const)
      if (
        QUEUES[datastore]?.has(queue.value) ||
        (datastore === 'redis' && /redis/i.test(queue.value))
      )
        found[datastore].push(`queue ${queue.value} (${at(queue.evidence)})`);
  }
  for (const dependency of signals.dependencies) {
    for (const datastore of DATASTORES)
      if (DRIVERS[datastore].has(dependency.name))
        found[datastore].push(`driver ${dependency.name} (${at([dependency.evidence])})`);
  }
  for (const url of signals.urls) {
    const datastore = datastoreOfScheme(url.scheme);
    const named = url.name ? `${url.name}=` : '';
    if (datastore) found[datastore].push(`${named}${url.scheme}:// (${at([url.evidence])})`);
  }
  if (service.orm) generic.push(`ORM ${service.orm.value} (${at(service.orm.evidence)})`);
  if (service.migrations) {
    const { tool } = service.migrations.value;
    generic.push(`migrations by ${tool} (${at(service.migrations.evidence)})`);
  }

  // The relational database the generic signals mean: MySQL when the repository shows it and
  // not PostgreSQL, else PostgreSQL.
  const sqlFor = (datastore: 'postgres' | 'mysql'): string[] => {
    if (found[datastore].length > 0) return [...found[datastore], ...generic];
    const mysqlShown = found.mysql.length > 0;
    return datastore === 'postgres' && !mysqlShown ? generic : [];
  };
  const migrations = service.migrations?.value ?? null;
  const sql = (reasons: string[]): SqlNeed | null =>
    reasons.length > 0 ? { reasons: unique(reasons), migrations } : null;
  const other = (reasons: string[]): Need | null =>
    reasons.length > 0 ? { reasons: unique(reasons) } : null;
  return {
    postgres: sql(sqlFor('postgres')),
    mysql: sql(sqlFor('mysql')),
    redis: other(found.redis),
    rabbitmq: other(found.rabbitmq),
    mongodb: other(found.mongodb),
  };
}

/** True when at least one datastore is needed. */
export function needsAny(needs: DatastoreNeeds): boolean {
  return DATASTORES.some((datastore) => needs[datastore] !== null);
}

/** The datastores needed, in a stable order. */
export function neededDatastores(needs: DatastoreNeeds): Datastore[] {
  return DATASTORES.filter((datastore) => needs[datastore] !== null);
}

/** Compose files in the service's directory or above it: the stack the service runs in. */
export function composeServicesOver(service: Service, fingerprint: Fingerprint) {
  return fingerprint.composeFiles
    .filter((file) => isWithin(service.path, dirOf(file.path)))
    .flatMap((file) => file.services.map((compose) => ({ file: file.path, service: compose })));
}

/** The compose services of the stack that run `datastore`'s image: their names are aliases. */
export function composeNamesOf(
  datastore: Datastore,
  service: Service,
  fingerprint: Fingerprint,
): string[] {
  return unique(
    composeServicesOver(service, fingerprint)
      .filter(({ service: compose }) => imageRuns(datastore, compose.image))
      .map(({ service: compose }) => compose.name),
  );
}

/** True when `image` (as a compose file names it) runs `datastore`. */
export function imageRuns(datastore: Datastore, image: string | null): boolean {
  return IMAGE[datastore].test(imageName(image));
}

/** The image's name without registry or namespace: `docker.io/library/postgres:16` → `postgres:16`. */
function imageName(image: string | null): string {
  return (image ?? '').toLowerCase().split('/').pop() ?? '';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

function isWithin(path: string, dir: string): boolean {
  return dir === '.' || path === dir || path.startsWith(`${dir}/`);
}

function at(evidence: Evidence[]): string {
  const first = evidence[0];
  return first ? `${first.file}:${first.line}` : 'fingerprint';
}
