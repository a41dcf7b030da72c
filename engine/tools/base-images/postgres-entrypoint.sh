# Starts a throwaway PostgreSQL server for one test run (local/postgres:base, postgres-base.ts).
# Everything lives and dies with the container: no volume, durability off.
set -eu
: "${POSTGRES_USER:=test}"
: "${POSTGRES_DB:=test}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
PGDATA=/var/lib/postgresql/data
# The names reach SQL below without quoting; the engine generates plain ones.
case "$POSTGRES_USER$POSTGRES_DB" in
  *[!a-z0-9_]*)
    echo "POSTGRES_USER and POSTGRES_DB must be lower-case letters, digits and _" >&2
    exit 64
    ;;
esac
# The password reaches initdb on stdin: never on a command line (ps) nor in a file.
printf '%s\n' "$POSTGRES_PASSWORD" | initdb -D "$PGDATA" -U "$POSTGRES_USER" \
  --pwfile=/dev/stdin --auth-local=trust --auth-host=scram-sha-256 \
  --encoding=UTF8 --locale=C --no-sync >/dev/null
# initdb lets only loopback in over TCP; the test container is another host on the network.
printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
if [ "$POSTGRES_DB" != postgres ]; then
  # Single-user mode: the database exists before the server listens, so "ready" means usable.
  printf 'CREATE DATABASE %s\n' "$POSTGRES_DB" |
    postgres --single -D "$PGDATA" -c jit=off -c exit_on_error=on postgres >/dev/null
fi
# Durability buys nothing for a database that dies with the test run; speed does.
exec postgres -D "$PGDATA" -c listen_addresses='*' -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off -c jit=off
