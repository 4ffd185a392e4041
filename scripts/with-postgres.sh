#!/usr/bin/env bash
# Runs a command with TEST_POSTGRES_URL pointing at a PostgreSQL server.
#
# - TEST_POSTGRES_URL already set: use that server.
# - otherwise, when PostgreSQL's server binaries are installed: start a
#   throwaway cluster in a temporary directory on a free loopback port, export
#   TEST_POSTGRES_URL and TRIBUNE_REQUIRE_POSTGRES=1 (so the PostgreSQL tests
#   cannot silently skip), run the command, and remove the cluster afterwards.
# - otherwise: run the command as is; the PostgreSQL tests say they skipped.
set -euo pipefail

if [[ -n "${TEST_POSTGRES_URL:-}" ]]; then
  echo "postgres: using TEST_POSTGRES_URL"
  export TRIBUNE_REQUIRE_POSTGRES=1
  exec "$@"
fi

find_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir
    return
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

bindir="$(find_bindir)"
if [[ -z "$bindir" && -n "${TRIBUNE_REQUIRE_POSTGRES:-}" ]]; then
  echo "postgres: TRIBUNE_REQUIRE_POSTGRES is set but no PostgreSQL server binaries were found and TEST_POSTGRES_URL is not set" >&2
  exit 1
fi
if [[ -z "$bindir" ]]; then
  echo "postgres: no server binaries found (install PostgreSQL or set TEST_POSTGRES_URL); its tests will skip"
  exec "$@"
fi

# initdb refuses to run as root: run the cluster as the postgres user then.
run_as=()
if [[ "$(id -u)" == 0 ]]; then
  if id postgres >/dev/null 2>&1; then
    run_as=(runuser -u postgres --)
  else
    run_as=(runuser -u nobody --)
  fi
fi

cluster="$(mktemp -d /tmp/tribune-pg.XXXXXX)"
chmod 755 "$cluster"
mkdir "$cluster/data" "$cluster/socket"
if [[ ${#run_as[@]} -gt 0 ]]; then
  chown "${run_as[2]}" "$cluster/data" "$cluster/socket"
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

stop_cluster() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop_cluster EXIT

echo "postgres: starting a throwaway cluster ($bindir) on 127.0.0.1:$port"
"${run_as[@]}" "$bindir/initdb" -D "$cluster/data" -U tribune --auth=trust -E UTF8 --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 \
  || { cat "$cluster/initdb.log"; exit 1; }
"${run_as[@]}" "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/data/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster/socket -c fsync=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null \
  || { cat "$cluster/data/server.log"; exit 1; }

export TEST_POSTGRES_URL="postgres://tribune@127.0.0.1:$port/postgres"
export TRIBUNE_REQUIRE_POSTGRES=1
"$@"
