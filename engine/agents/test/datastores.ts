/**
 * Which throwaway datastores a service's tests need (issue 10: "ephemeral database for
 * integration tests when the fingerprint has one"), read from the fingerprint alone. Each need
 * carries the evidence it was read from, so a run can say why it started a database.
 *
 * Specific signals name the datastore: env vars (PG*, POSTGRES_*, REDIS_*), a compose service
 * running its image, a Redis-only queue library. DATABASE_URL, an ORM or a migrations tool only
 * say "a relational database": they count for PostgreSQL unless the repository shows another one
 * (MySQL/MariaDB), where starting PostgreSQL would hand the tests a DATABASE_URL of the wrong kind.
 */
import type { Fingerprint, Service } from '../repo-auditor/fingerprint.ts';

export type Datastore = 'postgres' | 'redis';

export interface PostgresNeed {
  /** Human-readable reasons, each with file:line. */
  reasons: string[];
  /** Where the service's migrations are (repository-relative), when the fingerprint has them. */
  migrations: { tool: string; path: string } | null;
}

export interface DatastoreNeeds {
  postgres: PostgresNeed | null;
  redis: { reasons: string[] } | null;
}

const POSTGRES_ENV = /^(?:POSTGRES_\w+|PG(?:HOST|HOSTADDR|PORT|DATABASE|USER|PASSWORD))$/;
const SQL_ENV = /^(?:DATABASE_URL|DB_URL)$/;
const REDIS_ENV = /^REDIS_\w+$/;
const OTHER_SQL_ENV = /^(?:MYSQL|MARIADB)_\w+$/;
const POSTGRES_IMAGE = /^(?:postgres|postgresql|postgis|timescaledb)(?:[:@-]|$)/;
const REDIS_IMAGE = /^(?:redis|valkey|keydb)(?:[:@-]|$)/;
const OTHER_SQL_IMAGE = /^(?:mysql|mariadb|percona)(?:[:@-]|$)/;
/** Queue libraries that only run on Redis (Celery may use RabbitMQ, so it is not one). */
const REDIS_QUEUES = new Set(['bull', 'bullmq', 'rq', 'asynq']);

export function datastoresOf(service: Service, fingerprint: Fingerprint): DatastoreNeeds {
  const postgres: string[] = [];
  const generic: string[] = [];
  const redis: string[] = [];
  let otherSql = false;

  for (const env of service.envVars) {
    if (POSTGRES_ENV.test(env.value)) postgres.push(`env ${env.value} (${at(env.evidence)})`);
    if (SQL_ENV.test(env.value)) generic.push(`env ${env.value} (${at(env.evidence)})`);
    if (REDIS_ENV.test(env.value)) redis.push(`env ${env.value} (${at(env.evidence)})`);
    if (OTHER_SQL_ENV.test(env.value)) otherSql = true;
  }
  for (const { file, service: compose } of composeServicesOver(service, fingerprint)) {
    const image = imageName(compose.image);
    const where = `compose service ${compose.name} in ${file} (${at(compose.evidence)})`;
    if (POSTGRES_IMAGE.test(image)) postgres.push(where);
    if (REDIS_IMAGE.test(image)) redis.push(where);
    if (OTHER_SQL_IMAGE.test(image)) otherSql = true;
  }
  for (const queue of service.queues) {
    if (REDIS_QUEUES.has(queue.value) || /redis/i.test(queue.value))
      redis.push(`queue ${queue.value} (${at(queue.evidence)})`);
  }
  if (service.orm) generic.push(`ORM ${service.orm.value} (${at(service.orm.evidence)})`);
  if (service.migrations) {
    const { tool } = service.migrations.value;
    generic.push(`migrations by ${tool} (${at(service.migrations.evidence)})`);
  }

  const postgresReasons = postgres.length > 0 ? [...postgres, ...generic] : otherSql ? [] : generic;
  return {
    postgres:
      postgresReasons.length > 0
        ? {
            reasons: [...new Set(postgresReasons)],
            migrations: service.migrations?.value ?? null,
          }
        : null,
    redis: redis.length > 0 ? { reasons: [...new Set(redis)] } : null,
  };
}

/** True when at least one datastore is needed. */
export function needsAny(needs: DatastoreNeeds): boolean {
  return needs.postgres !== null || needs.redis !== null;
}

/** Compose files in the service's directory or above it: the stack the service runs in. */
function composeServicesOver(service: Service, fingerprint: Fingerprint) {
  return fingerprint.composeFiles
    .filter((file) => isWithin(service.path, dirOf(file.path)))
    .flatMap((file) => file.services.map((compose) => ({ file: file.path, service: compose })));
}

/** The image's name without registry or namespace: `docker.io/library/postgres:16` → `postgres:16`. */
function imageName(image: string | null): string {
  return (image ?? '').toLowerCase().split('/').pop() ?? '';
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

function isWithin(path: string, dir: string): boolean {
  return dir === '.' || path === dir || path.startsWith(`${dir}/`);
}

function at(evidence: Array<{ file: string; line: number }>): string {
  const first = evidence[0];
  return first ? `${first.file}:${first.line}` : 'fingerprint';
}
