#!/usr/bin/env bash
# Makes a PostgreSQL server available to the migration integration tests and
# exports its URL as POOLSIDE_TEST_POSTGRES_URL. Source it (with-servers.sh
# does) or run it with a command: .ci/ensure-postgres.sh go test ./migration/...
#
# 1. POOLSIDE_TEST_POSTGRES_URL set, or a server answering on 127.0.0.1:5432
#    (trust auth, database test): use it as it is.
# 2. Otherwise install Debian's postgresql (apt-get, as root) when no server
#    binaries exist, create a throw-away cluster in a temp dir, start it on a
#    free 127.0.0.1 port (trust auth, loopback only) and stop it by PID when
#    the calling shell exits.
# Failure to provide a server is not an error here: the tests skip locally
# and fail under CI=true.

_pg_answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

_pg_ensure() {
  local default="postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
  if [[ -n "${POOLSIDE_TEST_POSTGRES_URL:-}" ]]; then
    return 0
  fi
  if _pg_answers 127.0.0.1 5432; then
    export POOLSIDE_TEST_POSTGRES_URL="$default"
    return 0
  fi
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [[ -z "$bindir" ]]; then
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
      echo "ensure-postgres: no PostgreSQL and cannot apt-get install it; PostgreSQL tests will skip (fail under CI=true)" >&2
      return 0
    fi
    echo "ensure-postgres: installing Debian's postgresql" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2 || return 0
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    [[ -n "$bindir" ]] || return 0
  fi
  local port dir run=()
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  dir=$(mktemp -d -t poolside-pg.XXXXXX)
  if [[ "$(id -u)" == 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust >/dev/null || return 0
  "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null || { cat "$dir/log" >&2; return 0; }
  "${run[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres test || return 0
  local pid
  pid=$(head -1 "$dir/data/postmaster.pid")
  # stop the server (by its PID) when the shell that sourced us exits
  local parent=$$
  ( while kill -0 "$parent" 2>/dev/null; do sleep 1; done
    kill -INT "$pid" 2>/dev/null; sleep 2; rm -rf "$dir" ) >/dev/null 2>&1 &
  disown 2>/dev/null || true
  export POOLSIDE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/test?sslmode=disable"
  echo "ensure-postgres: PostgreSQL pid $pid on 127.0.0.1:$port" >&2
}

_pg_ensure
if [[ "${BASH_SOURCE[0]}" == "$0" && $# -gt 0 ]]; then
  exec "$@"
fi
