#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL server.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a cluster in a temporary folder on a free loopback port, exports its URL as
# QUALCODE_TEST_PG_URL, runs the command, then stops the server and deletes the folder.
# When no server can be started the command still runs, without the variable, and the
# PostgreSQL tests skip with the reason; under CI (CI=true) that is an error instead.
set -uo pipefail

find_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null)
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_server() {
  bindir=$(find_bindir)
  if [ -z "$bindir" ]; then
    echo "with-postgres: no PostgreSQL server binaries (initdb) found" >&2
    return 1
  fi
  pgdir=$(mktemp -d /tmp/qualcode-pg.XXXXXX)
  port=$(free_port)
  run_as=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root; Debian's package creates the postgres user
    chown postgres "$pgdir"
    run_as=(runuser -u postgres --)
  fi
  if ! "${run_as[@]}" "$bindir/initdb" -D "$pgdir/data" -A trust -U postgres >"$pgdir/initdb.log" 2>&1; then
    echo "with-postgres: initdb failed:" >&2; cat "$pgdir/initdb.log" >&2
    return 1
  fi
  if ! "${run_as[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
      -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null; then
    echo "with-postgres: the server did not start:" >&2; cat "$pgdir/server.log" >&2
    return 1
  fi
  export QUALCODE_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port" >&2
}

stop_server() {
  if [ -n "${pgdir:-}" ] && [ -d "$pgdir/data" ]; then
    "${run_as[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
}

trap stop_server EXIT
if ! start_server; then
  if [ "${CI:-}" = "true" ]; then
    echo "with-postgres: CI needs PostgreSQL and it could not be started" >&2
    exit 1
  fi
  echo "with-postgres: continuing without PostgreSQL; its tests will be skipped" >&2
fi
"$@"
