/**
 * The user, database and password the repository's compose file gives a datastore (issue 14),
 * with the public images' defaults (`postgres` runs as user postgres, `mysql` apps log in as
 * root, `rabbitmq` has guest/guest): repositories write these into code and config
 * (`spring.datasource.username=postgres`), so the datastore ProdSprint starts takes the same
 * names and the code works unchanged. Passwords are for the tests stage only, whose datastores
 * are throwaway and on an internal network; an environment always generates its own.
 */
import type { Credentials } from './datastore-kinds.ts';
import { imageRuns, type Datastore } from './datastores.ts';
import type { RepositorySignals } from './repository-signals.ts';

export type CredentialHints = Partial<Credentials>;

/** What the images' entrypoints accept (they refuse anything that would need escaping). */
const NAME = /^[A-Za-z0-9_]{1,63}$/;
const POSTGRES_NAME = /^[a-z0-9_]{1,63}$/;
const VHOST = /^[A-Za-z0-9_./-]{1,63}$/;
const PASSWORD = /^[A-Za-z0-9_.+=-]{1,128}$/;

/** The hints for `datastore` from the service's compose stack; {} when it has none. */
export function composeCredentials(
  datastore: Datastore,
  signals: RepositorySignals,
): CredentialHints {
  const stack = signals.composeStack.find((compose) => imageRuns(datastore, compose.image));
  if (!stack) return {};
  const env = (...names: string[]) =>
    names.map((name) => stack.env[name]).find((value) => value && !value.includes('${'));
  const hints = (user: string | undefined, password: string | undefined, database?: string) => {
    const out: CredentialHints = {};
    const names = datastore === 'postgres' ? POSTGRES_NAME : NAME;
    if (user && names.test(user)) out.user = user;
    if (password && PASSWORD.test(password)) out.password = password;
    const databases = datastore === 'rabbitmq' ? VHOST : names;
    if (database && databases.test(database)) out.database = database;
    return out;
  };
  switch (datastore) {
    case 'postgres': {
      const user = env('POSTGRES_USER') ?? 'postgres';
      return hints(user, env('POSTGRES_PASSWORD'), env('POSTGRES_DB') ?? user);
    }
    case 'mysql': {
      const user = env('MYSQL_USER', 'MARIADB_USER') ?? 'root';
      const password =
        user === 'root'
          ? env('MYSQL_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD')
          : env('MYSQL_PASSWORD', 'MARIADB_PASSWORD');
      return hints(user, password, env('MYSQL_DATABASE', 'MARIADB_DATABASE'));
    }
    case 'rabbitmq': {
      const user = env('RABBITMQ_DEFAULT_USER') ?? 'guest';
      const password = env('RABBITMQ_DEFAULT_PASS') ?? (user === 'guest' ? 'guest' : undefined);
      return hints(user, password, env('RABBITMQ_DEFAULT_VHOST') ?? '/');
    }
    case 'mongodb':
      return hints(
        env('MONGO_INITDB_ROOT_USERNAME'),
        env('MONGO_INITDB_ROOT_PASSWORD'),
        env('MONGO_INITDB_DATABASE'),
      );
    case 'redis':
      return {};
  }
}
