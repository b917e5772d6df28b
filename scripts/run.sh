#!/usr/bin/env bash
# `make run`: migrate the SQLite database under var/, load the demo city if the database is new,
# then serve the platform at http://127.0.0.1:8000 together with the background worker.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
BIN=.venv/bin
mkdir -p var
new_db=0
[[ -z "${DATABASE_URL:-}" && ! -f var/gongkai.sqlite3 ]] && new_db=1
$BIN/gongkai migrate --noinput -v 0
if (( new_db )) || [[ "$($BIN/gongkai shell -c 'from gongkai.agencies.models import Agency; print(Agency.objects.exists())')" == "False" ]]; then
  $BIN/gongkai demo
fi
$BIN/gongkai collectstatic --noinput -v 0
echo "Gongkai: http://127.0.0.1:8000/  (office: http://127.0.0.1:8000/office/)  — Ctrl-C stops."
$BIN/gongkai db_worker &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null; exit 0' INT TERM EXIT
$BIN/gongkai runserver 127.0.0.1:8000
