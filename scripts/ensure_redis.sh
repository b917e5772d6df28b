#!/usr/bin/env bash
# Print a REDIS_URL for a reachable Redis server, starting one when none is reachable.
# Order: $REDIS_URL if set; a server on 127.0.0.1:6379; a private one already running on
# 127.0.0.1:6389; else start that private server (no persistence, files under var/redis).
# A missing Redis is an error (exit 1), never a silent skip. The tests never use the database
# number printed here: they claim an empty one of their own (gongkai/core/tests/redis_support.py).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${REDIS_URL:-}" ]]; then echo "$REDIS_URL"; exit 0; fi
# PING through bash's /dev/tcp, so that redis-cli is not needed either.
ping() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "PING\r\n" >&3 &&
    IFS= read -r reply <&3 && [[ "$reply" == +PONG* ]]' _ "$1" 2>/dev/null
}
for port in 6379 6389; do
  if ping "$port"; then echo "redis://127.0.0.1:$port/0"; exit 0; fi
done
if ! command -v redis-server >/dev/null; then
  echo "Redis is not installed (apt-get install redis-server)" >&2; exit 1
fi
dir=$(pwd)/var/redis
mkdir -p "$dir"
redis-server --daemonize yes --port 6389 --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >&2
for _ in $(seq 1 40); do
  if ping 6389; then echo "redis://127.0.0.1:6389/0"; exit 0; fi
  sleep 0.25
done
echo "could not start Redis (see $dir/redis.log)" >&2; exit 1
