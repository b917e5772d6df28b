#!/usr/bin/env bash
# Install Gongkai on a Debian server as docs/deploy.md describes, or (--smoke) run the reduced
# form the test suite uses: production settings against a given PostgreSQL database, gunicorn
# serving on a free local port, the background worker processing a real task.
#
#   deploy/install.sh --smoke      needs DATABASE_URL (an empty database) and GONGKAI_VAR_DIR
#   deploy/install.sh              full install (root): packages, user, venv, services, nginx
#   deploy/install.sh --redis      the same with Redis for the worker queue and the cache
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

smoke() {
  : "${DATABASE_URL:?DATABASE_URL must name an empty PostgreSQL database}"
  : "${GONGKAI_VAR_DIR:?GONGKAI_VAR_DIR must name a scratch directory}"
  export DEBUG=false SECRET_KEY="${SECRET_KEY:-smoke-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
  export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
  export LOG_FORMAT=json CACHE_URL="${CACHE_URL:-dbcache://gongkai_cache}"
  local bin="$REPO/.venv/bin" port
  fetch() { "$bin/python" -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=5).read())' "$1"; }
  "$bin/gongkai" migrate --noinput -v 0
  "$bin/gongkai" createcachetable
  "$bin/gongkai" collectstatic --noinput -v 0
  "$bin/gongkai" check --deploy
  port=$("$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$bin/gunicorn" gongkai.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
      --pid "$GONGKAI_VAR_DIR/gunicorn.pid" --daemon --error-logfile "$GONGKAI_VAR_DIR/gunicorn.log"
  "$bin/gongkai" db_worker --interval 0.2 --no-startup-delay > "$GONGKAI_VAR_DIR/worker.log" 2>&1 &
  WORKER_PID=$!
  trap 'kill "${WORKER_PID:-}" 2>/dev/null || true; kill "$(cat "$GONGKAI_VAR_DIR/gunicorn.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
  local ok=0
  for _ in $(seq 1 50); do
    if fetch "http://127.0.0.1:$port/readyz" > "$GONGKAI_VAR_DIR/readyz.json" 2>/dev/null; then ok=1; break; fi
    sleep 0.2
  done
  (( ok )) || { echo "gunicorn did not become ready" >&2; cat "$GONGKAI_VAR_DIR/gunicorn.log" >&2; exit 1; }
  fetch "http://127.0.0.1:$port/" > "$GONGKAI_VAR_DIR/home.html"
  fetch "http://127.0.0.1:$port/static/gongkai/site.css" > /dev/null
  "$bin/gongkai" shell -v 0 -c "from gongkai.core.tasks import heartbeat; print(heartbeat.enqueue(note='smoke').id)" > "$GONGKAI_VAR_DIR/task_id"
  for _ in $(seq 1 100); do
    if [[ "$("$bin/gongkai" shell -v 0 -c "from gongkai.core.models import AuditEvent; print(AuditEvent.objects.filter(action='system.heartbeat').count())")" == "1" ]]; then
      echo "smoke: OK (port $port)"; return 0
    fi
    sleep 0.3
  done
  echo "the worker did not process the task" >&2; cat "$GONGKAI_VAR_DIR/worker.log" >&2; exit 1
}

full() {
  # $1 = "redis": the worker queue and the shared cache on Redis (docs/deploy.md §8).
  local redis=${1:-}
  [[ $(id -u) -eq 0 ]] || { echo "run as root" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-dev \
      build-essential postgresql postgresql-client nginx fonts-noto-cjk gettext \
      libreoffice-writer-nogui libreoffice-calc-nogui \
      ${redis:+redis-server}
  id gongkai >/dev/null 2>&1 || adduser --system --group --home /srv/gongkai gongkai
  install -d -o gongkai -g gongkai -m 750 /srv/gongkai/var /etc/gongkai
  [[ -f /etc/gongkai/gongkai.env ]] || install -m 600 -o gongkai deploy/gongkai.env.example /etc/gongkai/gongkai.env
  python3 -m venv /srv/gongkai/.venv
  /srv/gongkai/.venv/bin/pip install -q "$REPO${redis:+[redis]}"
  echo "Edit /etc/gongkai/gongkai.env, create the database (docs/deploy.md §2), then:"
  echo "  set -a; . /etc/gongkai/gongkai.env; set +a; /srv/gongkai/.venv/bin/gongkai migrate"
  local worker=gongkai-worker
  if [[ -n $redis ]]; then
    worker=gongkai-worker-rq
    echo "In gongkai.env set TASKS_BACKEND=django_tasks_rq.RQBackend, REDIS_URL=redis://127.0.0.1:6379/0"
    echo "and CACHE_URL=redis://127.0.0.1:6379/1 (docs/deploy.md §8)."
  fi
  cp deploy/gongkai-web.service "deploy/$worker.service" /etc/systemd/system/
  cp deploy/gongkai-media-sweep.service deploy/gongkai-media-sweep.timer /etc/systemd/system/
  cp deploy/nginx-gongkai.conf /etc/nginx/sites-available/gongkai
  echo "Then: systemctl enable --now gongkai-web $worker gongkai-media-sweep.timer;"
  echo "enable the nginx site (docs/deploy.md §5)."
}

case "${1:-}" in
  --smoke) smoke ;;
  "") full ;;
  --redis) full redis ;;
  *) echo "usage: $0 [--smoke | --redis]" >&2; exit 2 ;;
esac
