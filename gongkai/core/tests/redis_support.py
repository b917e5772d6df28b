"""Helpers for tests against a real Redis server and a scratch database in other processes.

Redis: ``$REDIS_URL`` when set (scripts/test.sh exports it), else whatever
``scripts/ensure_redis.sh`` finds or starts; no Redis is a test failure, not a skip. Each test
claims a database number that is empty (atomically, with a marker key), so neither parallel
runs nor the machine's own Redis data are disturbed, and flushes only that database afterwards.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings

REPO = Path(settings.REPO_DIR)
GONGKAI = str(REPO / ".venv" / "bin" / "gongkai")
CLAIM_KEY = "gongkai:test-claim"
# Claim the database only if it holds no key at all; the marker keeps it ours while we work.
CLAIM_SCRIPT = (
    "if redis.call('DBSIZE') == 0 then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) "
    "return 1 else return 0 end"
)


def redis_server_url() -> str:
    """The URL of a reachable Redis server, started privately by ensure_redis.sh if needed."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "ensure_redis.sh")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"no Redis server for this test: {result.stderr.strip()}")
    return result.stdout.strip()


def _with_db(url: str, number: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


@contextmanager
def private_redis_db() -> Iterator[str]:
    """Yield the URL of an empty Redis database claimed for this test; flush it afterwards."""
    server = redis_server_url()
    token = uuid.uuid4().hex
    try:
        databases = int(redis.Redis.from_url(server).config_get("databases")["databases"] or 16)
    except redis.ResponseError:  # CONFIG may be disabled on a managed server
        databases = 16
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis at {server} is not reachable: {exc}")
    # From the highest number down: low numbers are where the machine's own data usually is.
    for number in range(databases - 1, 0, -1):
        url = _with_db(server, number)
        client = redis.Redis.from_url(url)
        if client.eval(CLAIM_SCRIPT, 1, CLAIM_KEY, token, 1800):
            break
        client.close()
    else:
        pytest.fail(f"no empty Redis database on {server} to claim for this test")
    try:
        yield url
    finally:
        if client.get(CLAIM_KEY) in (token.encode(), None):
            client.flushdb()
        client.close()


def gongkai_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `gongkai` process with production settings and the given values."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND", "CACHE_URL", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "gongkai.settings",
            "DEBUG": "false",
            "GONGKAI_VAR_DIR": str(var_dir),
        }
    )
    env.update(extra)
    return env


def run_gongkai(
    args: list[str], env: dict[str, str], timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """Run `gongkai ARGS` in its own process; fail the test with its output on error."""
    result = subprocess.run(
        [GONGKAI, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"gongkai {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result
