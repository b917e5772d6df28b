#!/usr/bin/env bash
# Print a DATABASE_URL for a reachable PostgreSQL server, starting one when none is reachable.
# Order: $DATABASE_URL if set; the local server on 127.0.0.1:5432 (or its socket); the
# machine's own cluster (pg_ctlcluster); else a private cluster under var/pg on port 54329.
# A missing PostgreSQL is an error (exit 1), never a silent skip.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${DATABASE_URL:-}" ]]; then echo "$DATABASE_URL"; exit 0; fi
try() { PGCONNECT_TIMEOUT=3 psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }
if try "postgres://postgres@127.0.0.1:5432/postgres"; then
  echo "postgres://postgres@127.0.0.1:5432/gongkai"; exit 0
fi
if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1; then
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2 2>/dev/null || true
  for _ in $(seq 1 20); do try "postgres://postgres@127.0.0.1:5432/postgres" && { echo "postgres://postgres@127.0.0.1:5432/gongkai"; exit 0; }; sleep 0.5; done
fi
# A private cluster owned by the postgres user (the server refuses to run as root).
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bindir" ]]; then echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; fi
dir=$(pwd)/var/pg
port=54329
if ! try "postgres://postgres@127.0.0.1:$port/postgres"; then
  mkdir -p "$dir"
  runas=()
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres "$dir"; runas=(runuser -u postgres --); fi
  [[ -f "$dir/PG_VERSION" ]] || "${runas[@]}" "$bindir/initdb" -D "$dir" -U postgres -A trust >&2
  "${runas[@]}" "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -w start >&2
fi
try "postgres://postgres@127.0.0.1:$port/postgres" || { echo "could not start PostgreSQL" >&2; exit 1; }
echo "postgres://postgres@127.0.0.1:$port/gongkai"
