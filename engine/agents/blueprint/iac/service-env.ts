/**
 * What each environment variable the code reads is for, so the IaC can hand it a value instead
 * of creating secrets nothing delivers (issue 15): the listening port, a PostgreSQL or Redis
 * connection part (wired to the planned database or cache), or a credential (delivered from the
 * platform's secret manager). Names the code reads that are none of these are left to the app's
 * defaults. Names come from repository text: only exact lookups and one linear regex meet them.
 */

export type EnvRole =
  | 'port'
  | 'db-url'
  | 'db-host'
  | 'db-port'
  | 'db-name'
  | 'db-user'
  | 'db-password'
  | 'cache-url'
  | 'cache-host'
  | 'cache-port'
  | 'secret';

const EXACT: Record<string, EnvRole> = {};
const put = (role: EnvRole, names: string[]) => names.forEach((n) => (EXACT[n] = role));
put('port', ['PORT', 'HTTP_PORT', 'APP_PORT', 'SERVER_PORT']);
put('db-url', [
  'DATABASE_URL',
  'DATABASE_URI',
  'DB_URL',
  'DB_URI',
  'DB_DSN',
  'DATABASE_DSN',
  'POSTGRES_URL',
  'POSTGRES_URI',
  'POSTGRESQL_URL',
  'PG_URL',
  'PG_CONNECTION_STRING',
  'SQLALCHEMY_DATABASE_URI',
  'SPRING_DATASOURCE_URL',
]);
put('db-host', ['PGHOST', 'POSTGRES_HOST', 'POSTGRESQL_HOST', 'DB_HOST', 'DATABASE_HOST']);
put('db-port', ['PGPORT', 'POSTGRES_PORT', 'DB_PORT', 'DATABASE_PORT']);
put('db-name', ['PGDATABASE', 'POSTGRES_DB', 'POSTGRES_DATABASE', 'DB_NAME', 'DATABASE_NAME']);
put('db-user', [
  'PGUSER',
  'POSTGRES_USER',
  'DB_USER',
  'DB_USERNAME',
  'DATABASE_USER',
  'SPRING_DATASOURCE_USERNAME',
]);
put('db-password', [
  'PGPASSWORD',
  'POSTGRES_PASSWORD',
  'POSTGRES_PASS',
  'DB_PASSWORD',
  'DB_PASS',
  'DATABASE_PASSWORD',
  'SPRING_DATASOURCE_PASSWORD',
]);
put('cache-url', ['REDIS_URL', 'REDIS_URI', 'REDIS_TLS_URL', 'CACHE_URL']);
put('cache-host', ['REDIS_HOST', 'REDIS_HOSTNAME', 'CACHE_HOST', 'SPRING_DATA_REDIS_HOST']);
put('cache-port', ['REDIS_PORT', 'CACHE_PORT', 'SPRING_DATA_REDIS_PORT']);

/** Credential-shaped names: one alternation, no nested quantifier (linear on any input). */
const SECRET_NAME =
  /(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL|_DSN$|_KEY$)/;

/** The role of variable `name`, or null when the IaC has nothing to give it. */
export function envRoleOf(name: string): EnvRole | null {
  const upper = name.toUpperCase();
  return EXACT[upper] ?? (SECRET_NAME.test(upper) ? 'secret' : null);
}

export interface DataStores {
  db: boolean;
  cache: boolean;
}

/**
 * Where one variable's value comes from, given the data stores the stack plans: `wired` to a
 * planned resource or a known value, `secret` (a key of the service's own secret, which a person
 * fills), or nothing.
 */
export type EnvSource =
  { kind: 'wired'; role: EnvRole } | { kind: 'secret'; role: EnvRole } | { kind: 'none' };

/** How variable `name` gets its value when the stack plans `stores`. */
export function envSourceOf(name: string, stores: DataStores): EnvSource {
  const role = envRoleOf(name);
  if (role === null) return { kind: 'none' };
  if (role === 'port') return { kind: 'wired', role };
  if (role === 'secret') return { kind: 'secret', role };
  const planned = role.startsWith('db-') ? stores.db : stores.cache;
  // A URL with a password in it cannot be assembled by the platform: a person writes it into
  // the secret from the planned endpoint and the managed password.
  if (role === 'db-url') return { kind: 'secret', role };
  if (planned) return { kind: 'wired', role };
  // The code expects a store this plan does not create: its credentials must come from whoever
  // runs that store; the other parts keep the app's defaults (and the plan notes the store).
  return CREDENTIALS.has(role) ? { kind: 'secret', role } : { kind: 'none' };
}

const CREDENTIALS = new Set<EnvRole>(['db-user', 'db-password', 'cache-url']);

/** Variables that name a data store the stack does not plan, for a note. */
export function unplannedStoreVars(names: string[], stores: DataStores): string[] {
  return names.filter((name) => {
    const role = envRoleOf(name);
    if (role === null || role === 'port' || role === 'secret') return false;
    return role.startsWith('db-') ? !stores.db : !stores.cache;
  });
}
