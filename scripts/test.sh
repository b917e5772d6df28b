#!/usr/bin/env bash
# `make test`: ruff (check + format), makemigrations --check, then the whole suite on SQLite
# and again on PostgreSQL. Extra arguments go to pytest (e.g. `make test ARGS=-x`).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DEBUG=false
echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== mypy"
$BIN/mypy gongkai
echo "== migrations"
env -u DATABASE_URL $BIN/gongkai makemigrations --check --dry-run
pg_url=$(bash scripts/ensure_postgres.sh)
# Redis for the RQ task queue and shared cache tests (they claim an empty database number).
REDIS_URL=$(bash scripts/ensure_redis.sh)
export REDIS_URL
echo "== pytest on SQLite"
env -u DATABASE_URL $BIN/python -m pytest -p no:cacheprovider ${PYTEST_ARGS:-}
echo "== pytest on PostgreSQL ($pg_url)"
DATABASE_URL="$pg_url" $BIN/python -m pytest -p no:cacheprovider ${PYTEST_ARGS:-}
