#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on 127.0.0.1:55432 (trust auth on loopback, user postgres).
#
#   bash .ci/postgres.sh          start it if nothing answers on the port yet, then print its Npgsql connection string
#   bash .ci/postgres.sh stop     stop the server this script started and delete its cluster
#   bash .ci/postgres.sh status   exit 0 when a server answers on the port
#
# The connection string is the only line written to stdout; progress goes to stderr. Idempotent: when a server
# already answers on the port, it is used as it is. Installs the Debian package `postgresql` when no server binaries
# are found. Runs the server as the `postgres` OS user when started as root (postgres refuses to run as root).
# Environment: PLUGINHUB_PG_PORT (default 55432), PLUGINHUB_PG_DIR (cluster folder, default $TMPDIR/pluginhub-postgres-<port>).
# The tests read PLUGINHUB_TEST_POSTGRES first; this script is what they run when it is unset.
set -euo pipefail

port=${PLUGINHUB_PG_PORT:-55432}
host=127.0.0.1
dir=${PLUGINHUB_PG_DIR:-${TMPDIR:-/tmp}/pluginhub-postgres-$port}
connection="Host=$host;Port=$port;Username=postgres;Database=postgres"

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
    echo "$d"
  fi
}

answers() {
  local bin
  bin=$(find_bin)
  if [ -n "$bin" ] && [ -x "$bin/pg_isready" ]; then
    "$bin/pg_isready" -q -h "$host" -p "$port" -t 2
  else
    # No client tools yet: an open port is all we can check.
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  fi
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_server() {
  local bin
  bin=$(find_bin)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
}

case "${1:-start}" in
  status)
    answers
    exit $?
    ;;
  stop)
    stop_server
    say "stopped"
    exit 0
    ;;
  start) ;;
  *)
    echo "usage: $0 [start|stop|status]" >&2
    exit 2
    ;;
esac

if answers; then
  say "a server already answers on $host:$port"
  echo "$connection"
  exit 0
fi

# Several test processes may call this at once: one starts the server, the others find it running.
lock="${dir}.lock"
exec 9>"$lock"
flock -w 300 9 || { say "timed out waiting for $lock"; exit 1; }
if answers; then
  say "a server already answers on $host:$port"
  echo "$connection"
  exit 0
fi

bin=$(find_bin)
if [ -z "$bin" ]; then
  say "no PostgreSQL server binaries found; installing the Debian package postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  bin=$(find_bin)
  [ -n "$bin" ] || { say "postgresql installed but no binaries under /usr/lib/postgresql/*/bin"; exit 1; }
fi

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

# A fresh cluster every time the server is (re)started: nothing in it is worth keeping.
stop_server
mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
fi
chmod 700 "$dir"

say "creating a cluster in $dir/data with $bin"
as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; say "initdb failed"; exit 1; }

# Loopback only, trust auth (initdb --auth=trust), and durability off: the data is thrown away anyway.
cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '$host'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

say "starting the server on $host:$port"
# fd 9 holds the lock: the server must not inherit it. setsid keeps it out of the caller's process group.
as_owner setsid -w "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >&2 9>&- ||
  { cat "$dir/server.log" >&2 || true; say "the server did not start"; exit 1; }

for _ in $(seq 1 100); do
  if answers; then
    say "ready"
    echo "$connection"
    exit 0
  fi
  sleep 0.1
done
cat "$dir/server.log" >&2 || true
say "the server started but does not answer on $host:$port"
exit 1
