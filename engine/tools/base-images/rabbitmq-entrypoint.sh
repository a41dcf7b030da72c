# Starts RabbitMQ (local/rabbitmq:base, rabbitmq-base.ts) for a test run or a local environment.
# The user, its password and its vhost come from RABBITMQ_DEFAULT_USER / _PASS / _VHOST, as with
# the public image; they are imported as definitions on every boot, so a credential the engine
# generated anew replaces the old one in a kept volume instead of locking the app out.
set -eu
NAME="${RABBITMQ_DEFAULT_USER:-test}"
PASSWORD="${RABBITMQ_DEFAULT_PASS:-}"
VHOST="${RABBITMQ_DEFAULT_VHOST:-/}"
if [ -z "$PASSWORD" ]; then
  echo "RABBITMQ_DEFAULT_PASS must be set" >&2
  exit 64
fi
# The values reach JSON below inside quotes; the engine generates plain ones.
case "$NAME" in
  *[!A-Za-z0-9_.-]*)
    echo "RABBITMQ_DEFAULT_USER must be letters, digits and _.-" >&2
    exit 64
    ;;
esac
case "$VHOST" in
  *[!A-Za-z0-9_./-]*)
    echo "RABBITMQ_DEFAULT_VHOST must be letters, digits and _./-" >&2
    exit 64
    ;;
esac
case "$PASSWORD" in
  *[!A-Za-z0-9_.+=-]*)
    echo "RABBITMQ_DEFAULT_PASS must be letters, digits and _.+=-" >&2
    exit 64
    ;;
esac
# Only this user may read what holds the password (the engine mounts /tmp as a tmpfs).
umask 077
DEFINITIONS=/tmp/rabbitmq-definitions.json
ALL='"configure": ".*", "write": ".*", "read": ".*"'
printf '%s\n' "{\"users\": [{\"name\": \"$NAME\", \"password\": \"$PASSWORD\", \"tags\": \"administrator\"}]," \
  "\"vhosts\": [{\"name\": \"$VHOST\"}]," \
  "\"permissions\": [{\"user\": \"$NAME\", \"vhost\": \"$VHOST\", $ALL}]}" >"$DEFINITIONS"
# Definitions to load also mean "no guest user". loopback_users: clients come from other hosts.
printf '%s\n' "load_definitions = $DEFINITIONS" 'listeners.tcp.default = 5672' \
  'loopback_users = none' >/tmp/rabbitmq.conf
export RABBITMQ_CONFIG_FILE=/tmp/rabbitmq.conf
# What /usr/lib/rabbitmq/bin/rabbitmq-server and erl would run, without the helper programs
# (dirname, basename, readlink, …) their scripts call.
exec erlexec -s rabbit boot -boot start_sasl +W w \
  +MBas ageffcbf +MHas ageffcbf +MBlmbcs 512 +MHlmbcs 512 +MMmcs 30 \
  +P 1048576 +t 5000000 +stbt db +zdbbl 128000 +sbwt none +sbwtdcpu none +sbwtdio none \
  -syslog logger '[]' -syslog syslog_error_logger false \
  -kernel prevent_overlapping_partitions false -noinput "$@"
