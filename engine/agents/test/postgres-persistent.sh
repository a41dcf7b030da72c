# Starts PostgreSQL from local/postgres:base for a local environment, whose data a volume keeps
# (datastore-kinds.ts): the cluster is made on the first start only, and the user's password is
# set on every start, so a credential the engine generated anew replaces the old one instead of
# locking the app out. Durable, unlike the throwaway server of a test run.
set -eu
: "${POSTGRES_USER:=app}"
: "${POSTGRES_DB:=app}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
PGDATA=/var/lib/postgresql/data
# The values reach SQL below without quoting (names) or inside quotes (password).
case "$POSTGRES_USER$POSTGRES_DB" in
  *[!a-z0-9_]*)
    echo "POSTGRES_USER and POSTGRES_DB must be lower-case letters, digits and _" >&2
    exit 64
    ;;
esac
case "$POSTGRES_PASSWORD" in
  *[!A-Za-z0-9_.+=-]*)
    echo "POSTGRES_PASSWORD must be letters, digits and _.+=-" >&2
    exit 64
    ;;
esac
single() {
  postgres --single -D "$PGDATA" -c jit=off -c exit_on_error=on postgres >/dev/null
}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # The password reaches initdb on stdin: never on a command line (ps) nor in a file.
  printf '%s\n' "$POSTGRES_PASSWORD" | initdb -D "$PGDATA" -U "$POSTGRES_USER" \
    --pwfile=/dev/stdin --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C >/dev/null
  # initdb lets only loopback in over TCP; the app is another host on the network.
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    printf 'CREATE DATABASE %s\n' "$POSTGRES_DB" | single
  fi
fi
# printf is a shell builtin: the password is on no command line.
printf "ALTER ROLE %s PASSWORD '%s'\n" "$POSTGRES_USER" "$POSTGRES_PASSWORD" | single
exec postgres -D "$PGDATA" -c listen_addresses='*' -c jit=off
