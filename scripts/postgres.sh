#!/usr/bin/env bash
# A throw-away PostgreSQL server for the store tests (Debian's `postgresql` package).
#
#   eval "$(bash scripts/postgres.sh start)"   # prints: export BATON_TEST_POSTGRES_URL=postgres://…
#   bash scripts/postgres.sh stop              # stops it and deletes its data folder
#   bash scripts/postgres.sh url               # the URL of the running server
#
# The server gets its own data folder (under $TMPDIR, one per checkout), listens on a free
# loopback port only, trusts local connections (it holds nothing but test databases), and runs
# with fsync off (a test server; nothing to keep after a power cut). initdb and postgres
# refuse to run as root, so as root (CI) they run as the `postgres` system user.
set -euo pipefail
cd "$(dirname "$0")/.."

checkout_key=$(pwd | cksum | cut -d' ' -f1)
base="${BATON_PG_BASE:-${TMPDIR:-/tmp}/baton-pg-$checkout_key}"
data="$base/data"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; run scripts/setup.sh (installs Debian's postgresql package)" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "postgres.sh: running as root but there is no 'postgres' system user to run the server as" >&2; exit 1; }
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
  start)
    if [ -f "$base/url" ] && as_server "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "export BATON_TEST_POSTGRES_URL=$(cat "$base/url")"
      exit 0
    fi
    rm -rf "$base"
    mkdir -p "$base"
    chmod 700 "$base"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$base"
    as_server "$bindir/initdb" -D "$data" -U baton --auth=trust --encoding=UTF8 --locale=C >"$base/initdb.log" 2>&1 \
      || { cat "$base/initdb.log" >&2; exit 1; }
    port=$(free_port)
    as_server "$bindir/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$base -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null \
      || { cat "$base/server.log" >&2; exit 1; }
    url="postgres://baton@127.0.0.1:$port/postgres?sslmode=disable"
    echo "$url" | as_server tee "$base/url" >/dev/null
    echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $data" >&2
    echo "export BATON_TEST_POSTGRES_URL=$url"
    ;;
  stop)
    if [ -d "$data" ]; then
      as_server "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$base"
    ;;
  url)
    cat "$base/url"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|url" >&2
    exit 2
    ;;
esac
