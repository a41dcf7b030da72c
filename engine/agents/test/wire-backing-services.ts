/**
 * Wiring (issue 14): the environment a service gets so that its own code finds the backing
 * services ProdSprint started, under the names that code reads. Pure: the fingerprint's env vars
 * and the compose `environment:` of the service say which names are read; `started` says where
 * each datastore is and with which credentials.
 *
 * Three layers, later ones winning: the datastore's usual names (DATABASE_URL, PG*, REDIS_URL,
 * AMQP_URL, MONGODB_URI, …); every name the code reads whose prefix and suffix say what it is
 * (DB_HOST, SPRING_DATASOURCE_URL, RABBITMQ_VHOST, MONGO_PORT, …); and compose values that point
 * at the compose datastore service (`SQLALCHEMY_DATABASE_URI: postgresql+psycopg2://u:p@db/app`),
 * rewritten to the started instance's credentials with their scheme, driver and options kept.
 * The datastore is also reachable under that compose service's name (a network alias), so a
 * host written in code (`host='db'`) works unchanged. A compose value that is the path of a
 * compose secret the service mounts stays the path (wire-backing-files.ts fills the file).
 */
import type { Fingerprint, Service } from '../repo-auditor/fingerprint.ts';
import { composeNamesOf, type Datastore } from './datastores.ts';
import { datastoreOfScheme, NO_SIGNALS, type RepositorySignals } from './repository-signals.ts';

/** One running datastore as the app reaches it. */
export interface StartedBackingService {
  datastore: Datastore;
  /** Host name on the shared network (the container's name or alias). */
  host: string;
  port: number;
  user: string | null;
  password: string | null;
  /** Database name; the vhost for RabbitMQ. */
  database: string | null;
}

type Part = 'url' | 'host' | 'port' | 'user' | 'password' | 'database' | 'address' | 'jdbc';

const SUFFIXES: Array<[RegExp, Part]> = [
  [/^(?:URL|URI|DSN|CONNECTION_STRING|CONN)$/, 'url'],
  [/^(?:HOST|HOSTNAME|SERVER|HOSTADDR)$/, 'host'],
  [/^PORT$/, 'port'],
  [/^(?:USER|USERNAME|DEFAULT_USER|LOGIN)$/, 'user'],
  [/^(?:PASSWORD|PASS|PWD|DEFAULT_PASS|DEFAULT_PASSWORD)$/, 'password'],
  [
    /^(?:DB|DATABASE|NAME|DBNAME|DB_NAME|DATABASE_NAME|VHOST|VIRTUAL_HOST|DEFAULT_VHOST)$/,
    'database',
  ],
  [/^(?:ADDR|ADDRESS)$/, 'address'],
];
/** Prefixes of names a datastore's settings go by; `sql` is whichever relational one runs. */
const PREFIXES: Array<[RegExp, Datastore | 'sql']> = [
  [/^SPRING_DATASOURCE_/, 'sql'],
  [/^(?:DB|DATABASE|SQL|RDS)_/, 'sql'],
  [/^(?:POSTGRESQL_|POSTGRES_|PG_?)/, 'postgres'],
  [/^(?:MYSQL|MARIADB)_/, 'mysql'],
  [/^(?:SPRING_(?:DATA_)?REDIS|REDIS|CACHE)_/, 'redis'],
  [/^(?:SPRING_RABBITMQ|RABBITMQ|RABBIT|AMQP|CLOUDAMQP)_/, 'rabbitmq'],
  [/^(?:SPRING_DATA_MONGODB|MONGODB|MONGO)_/, 'mongodb'],
];
/** Whole names that are URLs of one kind (the broker of Celery and of Kombu). */
const WHOLE: Record<string, Datastore | 'sql' | 'broker'> = {
  DATABASE_URL: 'sql',
  DB_URL: 'sql',
  DATABASE_URI: 'sql',
  SQLALCHEMY_DATABASE_URI: 'sql',
  CELERY_BROKER_URL: 'broker',
  BROKER_URL: 'broker',
  CELERY_RESULT_BACKEND: 'redis',
  MONGO_URL: 'mongodb',
  MONGO_URI: 'mongodb',
  MONGODB_URI: 'mongodb',
  MONGODB_URL: 'mongodb',
  SPRING_DATA_MONGODB_URI: 'mongodb',
  SPRING_DATASOURCE_URL: 'sql',
};
/** What each datastore always gets, whatever the code reads: the names its own tools know. */
const USUAL: Record<Datastore, Record<string, Part>> = {
  postgres: {
    DATABASE_URL: 'url',
    POSTGRES_URL: 'url',
    PGHOST: 'host',
    PGPORT: 'port',
    PGUSER: 'user',
    PGPASSWORD: 'password',
    PGDATABASE: 'database',
    POSTGRES_HOST: 'host',
    POSTGRES_PORT: 'port',
    POSTGRES_USER: 'user',
    POSTGRES_PASSWORD: 'password',
    POSTGRES_DB: 'database',
  },
  mysql: {
    DATABASE_URL: 'url',
    MYSQL_URL: 'url',
    MYSQL_HOST: 'host',
    MYSQL_PORT: 'port',
    MYSQL_USER: 'user',
    MYSQL_PASSWORD: 'password',
    MYSQL_DATABASE: 'database',
  },
  redis: { REDIS_URL: 'url', REDIS_HOST: 'host', REDIS_PORT: 'port' },
  rabbitmq: {
    AMQP_URL: 'url',
    RABBITMQ_URL: 'url',
    RABBITMQ_HOST: 'host',
    RABBITMQ_PORT: 'port',
    RABBITMQ_USER: 'user',
    RABBITMQ_PASSWORD: 'password',
    RABBITMQ_VHOST: 'database',
    CELERY_BROKER_URL: 'url',
    BROKER_URL: 'url',
  },
  mongodb: { MONGODB_URI: 'url', MONGODB_URL: 'url', MONGO_URL: 'url', MONGO_URI: 'url' },
};
const SCHEME: Record<Datastore, string> = {
  postgres: 'postgres',
  mysql: 'mysql',
  redis: 'redis',
  rabbitmq: 'amqp',
  mongodb: 'mongodb',
};
/** scheme://[userinfo@]authority[/path][?query] — each part a negated class: linear. */
const URL_SHAPE =
  /^([a-zA-Z][a-zA-Z0-9+.:-]*):\/\/(?:[^@/?#\s]*@)?([^/?#\s]*)(\/[^?#\s]*)?(\?[^#\s]*)?$/;

/** The env for `service`: names it reads → values reaching the started datastores. */
export function wireBackingServices(
  service: Service,
  fingerprint: Fingerprint,
  started: StartedBackingService[],
  signals: RepositorySignals = NO_SIGNALS,
): Record<string, string> {
  const byKind = new Map(started.map((instance) => [instance.datastore, instance]));
  // DATABASE_URL and DB_* go to the relational database the repository's own URL names.
  const databaseUrl = signals.urls.find((url) => url.name === 'DATABASE_URL');
  const preferred = datastoreOfScheme(databaseUrl?.scheme ?? '') === 'mysql' ? 'mysql' : 'postgres';
  const sql = byKind.get(preferred) ?? byKind.get('postgres') ?? byKind.get('mysql');
  // SQLAlchemy refuses postgres://; every other client takes postgresql:// as well.
  const python = service.language?.value === 'python';
  const env = usualEnv(started, python);
  if (sql) env.DATABASE_URL = valueOf(sql, 'url', python);

  const read = new Set([
    ...service.envVars.map((variable) => variable.value),
    ...signals.composeEnv.map((entry) => entry.name),
  ]);
  for (const name of [...read].sort()) {
    const target = targetOf(name, byKind, sql);
    if (target) env[name] = valueOf(target.instance, target.part, python);
  }

  // A URL the repository assigns to a name keeps its scheme and driver (postgresql+asyncpg).
  for (const url of signals.urls) {
    const instance = url.name ? byKind.get(datastoreOfScheme(url.scheme) ?? 'postgres') : undefined;
    if (url.name && instance && datastoreOfScheme(url.scheme) === instance.datastore)
      env[url.name] = rewrite(instance, url.scheme, '', '');
  }
  // Compose values that point at the compose datastore service: same URL, our instance.
  for (const { name, value } of signals.composeEnv) {
    const shape = URL_SHAPE.exec(value.trim());
    if (!shape) continue;
    const host = (shape[2] ?? '').split(':')[0] ?? '';
    const instance = started.find(
      (s) => s.host === host || composeNamesOf(s.datastore, service, fingerprint).includes(host),
    );
    if (instance) env[name] = rewrite(instance, shape[1] ?? '', shape[3] ?? '', shape[4] ?? '');
  }
  // A compose value that is the path of a secret the service mounts stays that path
  // (DATABASE_PASSWORD=/run/secrets/db-password): the code reads the file, which
  // wireBackingFiles fills with the password; the password itself would be read as a path.
  const mounted = new Set(signals.composeSecrets.map((secret) => secret.target));
  for (const { name, value } of signals.composeEnv)
    if (mounted.has(value.trim())) env[name] = value.trim();
  return env;
}

/**
 * The names each datastore's own clients read (DATABASE_URL, PG*, MYSQL_*, REDIS_URL, AMQP_URL,
 * MONGODB_URI, …), whatever the code reads; `python` gives postgresql:// (SQLAlchemy refuses
 * postgres://). With both relational databases, DATABASE_URL is PostgreSQL's.
 */
export function usualEnv(started: StartedBackingService[], python = false): Record<string, string> {
  const env: Record<string, string> = {};
  const order = [...started].sort(
    (a, b) => Number(a.datastore === 'postgres') - Number(b.datastore === 'postgres'),
  );
  for (const instance of order)
    for (const [name, part] of Object.entries(USUAL[instance.datastore]))
      env[name] = valueOf(instance, part, python);
  return env;
}

function targetOf(
  name: string,
  byKind: Map<Datastore, StartedBackingService>,
  sql: StartedBackingService | undefined,
): { instance: StartedBackingService; part: Part } | undefined {
  const pick = (kind: Datastore | 'sql' | 'broker') =>
    kind === 'sql'
      ? sql
      : kind === 'broker'
        ? (byKind.get('rabbitmq') ?? byKind.get('redis'))
        : byKind.get(kind);
  const whole = WHOLE[name];
  if (whole) {
    const instance = pick(whole);
    const jdbc = name === 'SPRING_DATASOURCE_URL';
    return instance && { instance, part: jdbc ? 'jdbc' : 'url' };
  }
  for (const [prefix, kind] of PREFIXES) {
    const match = prefix.exec(name);
    if (!match) continue;
    const suffix = name.slice(match[0].length);
    const part = SUFFIXES.find(([pattern]) => pattern.test(suffix))?.[1];
    const instance = pick(kind);
    if (!part || !instance) return undefined;
    const jdbc = part === 'url' && name.startsWith('SPRING_DATASOURCE_');
    return { instance, part: jdbc ? 'jdbc' : part };
  }
  return undefined;
}

function valueOf(instance: StartedBackingService, part: Part, python = false): string {
  switch (part) {
    case 'host':
      return instance.host;
    case 'port':
      return String(instance.port);
    case 'user':
      return instance.user ?? '';
    case 'password':
      return instance.password ?? '';
    case 'database':
      return instance.database ?? '';
    case 'address':
      return `${instance.host}:${instance.port}`;
    case 'jdbc':
      return `jdbc:${instance.datastore === 'mysql' ? 'mysql' : 'postgresql'}://${instance.host}:${instance.port}/${instance.database ?? ''}`;
    case 'url': {
      const scheme = python && instance.datastore === 'postgres' ? 'postgresql' : undefined;
      return rewrite(instance, scheme ?? SCHEME[instance.datastore], '', '');
    }
  }
}

/** A URL to `instance` in `scheme` (driver suffix kept), with the path and query given. */
function rewrite(instance: StartedBackingService, scheme: string, path: string, query: string) {
  const auth =
    instance.user !== null
      ? `${encodeURIComponent(instance.user)}${instance.password !== null ? `:${encodeURIComponent(instance.password)}` : ''}@`
      : '';
  const at = `${instance.host}:${instance.port}`;
  if (scheme.startsWith('jdbc:')) return `${scheme}://${at}/${instance.database ?? ''}${query}`;
  let tail: string;
  if (instance.datastore === 'redis')
    tail = path; // /0: the database number, not a name
  else if (instance.datastore === 'rabbitmq')
    tail = `/${encodeURIComponent(instance.database ?? '/')}`;
  else tail = `/${instance.database ?? ''}`;
  const options =
    instance.datastore === 'mongodb' && instance.user !== null && !/authSource=/.test(query)
      ? `${query ? `${query}&` : '?'}authSource=admin`
      : query;
  return `${scheme}://${auth}${at}${tail}${options}`;
}
