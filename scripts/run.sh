#!/usr/bin/env bash
# `make run`: migrate the SQLite database under var/, load the demo city if the database is new,
# then serve the platform at http://127.0.0.1:8000 (or $PORT) together with the background worker.
#
# Production mode by default: DEBUG off (Chinese error pages, static files through whitenoise,
# the secret key generated once into var/secret_key), served by gunicorn on the loopback
# address. This is the demo instance (GONGKAI_DEMO): the demo logins work with the password
# alone and the login page says so. `DEBUG=true make run` (or `make dev`) serves with Django's
# debug pages and auto-reload for developers.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-false}"
export GONGKAI_DEMO="${GONGKAI_DEMO:-true}"
# Plain HTTP on 127.0.0.1: the cookies cannot be HTTPS-only here.
export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-false}"
export CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-false}"
# Two gunicorn workers: rate limits need a cache they share (production refuses a per-process one).
export CACHE_URL="${CACHE_URL:-dbcache://gongkai_cache}"
BIN=.venv/bin
PORT="${PORT:-8000}"
mkdir -p var
new_db=0
[[ -z "${DATABASE_URL:-}" && ! -f var/gongkai.sqlite3 ]] && new_db=1
$BIN/gongkai migrate --noinput -v 0
$BIN/gongkai createcachetable
if (( new_db )) || [[ "$($BIN/gongkai shell -c 'from gongkai.agencies.models import Agency; print(Agency.objects.exists())')" == "False" ]]; then
  $BIN/gongkai demo
fi
$BIN/gongkai collectstatic --noinput -v 0
echo "Gongkai: http://127.0.0.1:${PORT}/  (office: http://127.0.0.1:${PORT}/office/)  — Ctrl-C stops."
$BIN/gongkai db_worker &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null; exit 0' INT TERM EXIT
case "${DEBUG,,}" in
  1|true|yes|on) $BIN/gongkai runserver 127.0.0.1:${PORT} ;;
  *) $BIN/gunicorn gongkai.wsgi --bind 127.0.0.1:${PORT} --workers 2 --threads 4 --timeout 120 \
       --access-logfile - ;;
esac
