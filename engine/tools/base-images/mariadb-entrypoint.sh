# Starts MariaDB (local/mariadb:base, mariadb-base.ts) for a test run or a local environment.
# The data dir is initialised on the first start only (a volume keeps it); the database, the
# user and its password are made true on every start, so a credential the engine generated anew
# (its state was deleted, the volume kept) replaces the old one instead of locking the app out.
set -eu
NAME="${MARIADB_USER:-${MYSQL_USER:-test}}"
DATABASE="${MARIADB_DATABASE:-${MYSQL_DATABASE:-test}}"
PASSWORD="${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}"
if [ -z "$PASSWORD" ]; then
  echo "MARIADB_PASSWORD must be set" >&2
  exit 64
fi
# The values reach SQL below inside quotes; the engine generates plain ones. MARIADB_USER=root
# makes root@'%' (what many apps log in as); root@localhost stays locked either way.
case "$NAME$DATABASE" in
  *[!A-Za-z0-9_]*)
    echo "MARIADB_USER and MARIADB_DATABASE must be letters, digits and _" >&2
    exit 64
    ;;
esac
case "$PASSWORD" in
  *[!A-Za-z0-9_.+=-]*)
    echo "MARIADB_PASSWORD must be letters, digits and _.+=-" >&2
    exit 64
    ;;
esac
DATA=/var/lib/mysql
SHARE=/usr/share/mysql
SYSTEM_TABLES=/usr/local/lib/prodsprint/mariadb-system-tables.sql
bootstrap() {
  mariadbd --no-defaults --datadir="$DATA" --lc-messages-dir="$SHARE" \
    --character-sets-dir="$SHARE/charsets" --socket=/tmp/mysqld.sock \
    --innodb-log-file-size=16M --log-warnings=0 --enforce-storage-engine= --bootstrap >/dev/null
}
if [ ! -d "$DATA/mysql" ]; then
  bootstrap <"$SYSTEM_TABLES"
fi
# printf is a shell builtin: the password never appears on a command line (ps). FLUSH
# PRIVILEGES loads the grant tables, which --bootstrap skips, so CREATE/ALTER USER work.
printf '%s\n' 'FLUSH PRIVILEGES;' \
  "CREATE DATABASE IF NOT EXISTS \`$DATABASE\`;" \
  "CREATE USER IF NOT EXISTS '$NAME'@'%' IDENTIFIED BY '$PASSWORD';" \
  "ALTER USER '$NAME'@'%' IDENTIFIED BY '$PASSWORD';" \
  "GRANT ALL PRIVILEGES ON *.* TO '$NAME'@'%';" \
  "DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '%');" \
  "ALTER USER IF EXISTS 'root'@'localhost' ACCOUNT LOCK;" | bootstrap
exec mariadbd --no-defaults --datadir="$DATA" --lc-messages-dir="$SHARE" \
  --character-sets-dir="$SHARE/charsets" --socket=/tmp/mysqld.sock \
  --innodb-log-file-size=16M --bind-address=0.0.0.0 --port=3306 --skip-name-resolve \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci "$@"
