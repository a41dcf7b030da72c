/**
 * The user, database and password the repository's compose file gives a datastore (issue 14),
 * with the public images' defaults (`postgres` runs as user postgres, `mysql` apps log in as
 * root, `rabbitmq` has guest/guest): repositories write these into code and config
 * (`spring.datasource.username=postgres`), so the datastore ProdSprint starts takes the same
 * names and the code works unchanged. Passwords are for the tests stage only, whose datastores
 * are throwaway and on an internal network; an environment always generates its own.
 *
 * A password the stack reads from a compose secret (`MYSQL_ROOT_PASSWORD_FILE=/run/secrets/x`)
 * is the secret's content: the same variable, read the way the public images' entrypoints read
 * it. Which variable is the started user's password (root's or MYSQL_USER's) is decided in one
 * place, passwordVariables, also used by wireBackingFiles to give the app's copy of that secret
 * the started datastore's password.
 */
import type { Credentials } from './datastore-kinds.ts';
import { imageRuns, type Datastore } from './datastores.ts';
import type { ComposeStackService, RepositorySignals } from './repository-signals.ts';

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
  /** The password of `user` as the stack sets it: a literal value, else its secret's content. */
  const passwordOf = (user: string | undefined) => {
    const names = passwordVariables(datastore, user);
    const secret = passwordSecretsOf(datastore, stack, user)
      .map((name) => stack.secrets.find((mount) => mount.name === name)?.content)
      .find((content) => content);
    return env(...names) ?? (secret ? withoutTrailingNewlines(secret) : undefined);
  };
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
      return hints(user, passwordOf(user), env('POSTGRES_DB') ?? user);
    }
    case 'mysql': {
      const user = env('MYSQL_USER', 'MARIADB_USER') ?? 'root';
      return hints(user, passwordOf(user), env('MYSQL_DATABASE', 'MARIADB_DATABASE'));
    }
    case 'rabbitmq': {
      const user = env('RABBITMQ_DEFAULT_USER') ?? 'guest';
      return hints(
        user,
        passwordOf(user) ?? (user === 'guest' ? 'guest' : undefined),
        env('RABBITMQ_DEFAULT_VHOST') ?? '/',
      );
    }
    case 'mongodb': {
      const user = env('MONGO_INITDB_ROOT_USERNAME');
      return hints(user, passwordOf(user), env('MONGO_INITDB_DATABASE'));
    }
    case 'redis':
      return {};
  }
}

/**
 * The variables by which a datastore's compose service sets the password of `user`, the user
 * the started datastore logs the app in as: MySQL's root has its own (MYSQL_ROOT_PASSWORD), any
 * other user MYSQL_PASSWORD. Each may come as `<name>_FILE`, a path the image reads it from.
 */
export function passwordVariables(datastore: Datastore, user: string | null | undefined): string[] {
  switch (datastore) {
    case 'postgres':
      return ['POSTGRES_PASSWORD'];
    case 'mysql':
      return user === 'root'
        ? ['MYSQL_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD']
        : ['MYSQL_PASSWORD', 'MARIADB_PASSWORD'];
    case 'rabbitmq':
      return ['RABBITMQ_DEFAULT_PASS'];
    case 'mongodb':
      return ['MONGO_INITDB_ROOT_PASSWORD'];
    case 'redis':
      return [];
  }
}

/**
 * The compose secrets (by name) `stack`, a compose service running `datastore`, reads the
 * password of `user` from: a `<password variable>_FILE` whose path is where it mounts the secret.
 */
export function passwordSecretsOf(
  datastore: Datastore,
  stack: ComposeStackService,
  user: string | null | undefined,
): string[] {
  return passwordVariables(datastore, user).flatMap((variable) => {
    const path = stack.env[`${variable}_FILE`]?.trim();
    const mount = path ? stack.secrets.find((secret) => secret.target === path) : undefined;
    return mount ? [mount.name] : [];
  });
}

/** As the images' entrypoints read a password file (`$(< file)`): trailing newlines dropped. */
export function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return text.slice(0, end);
}
