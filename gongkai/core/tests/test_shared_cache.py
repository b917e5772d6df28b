"""CACHE_URL: rate limits shared by every server process through Redis; a check for LocMem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.checks import run_checks
from django.test import override_settings

from gongkai.core.checks import check_shared_cache
from gongkai.core.testing import scratch_database_url
from gongkai.core.tests.redis_support import (
    gongkai_env,
    private_redis_db,
    run_gongkai,
)
from gongkai.portal import ratelimit

LIMITS = {"lookup_ip": (3, 600)}
CLIENT = "203.0.113.7"

# Two requests from the same client, counted in another server process.
OTHER_PROCESS = (
    "import json\n"
    "from django.test import override_settings\n"
    "from gongkai.portal import ratelimit\n"
    f"with override_settings(PORTAL_RATE_LIMITS={LIMITS!r}):\n"
    f"    hits = [ratelimit.hit('lookup_ip', {CLIENT!r}) for _ in range(2)]\n"
    "print(json.dumps([bool(h) for h in hits]))"
)


def _other_process(tmp_path: Path, cache_url: str, database_url: str = "") -> list[bool]:
    env = gongkai_env(
        tmp_path,
        DATABASE_URL=database_url or f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        CACHE_URL=cache_url,
        # The same keyed hash as this process, so both count the same client.
        FIELD_HASH_KEY=settings.FIELD_HASH_KEY,
        FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
    )
    result = run_gongkai(["shell", "-v", "0", "-c", OTHER_PROCESS], env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_rate_limit_trips_across_processes_with_redis_cache(tmp_path: Path):
    """Two requests here and two in another process: the limit of 3 trips in the other one,
    then here again, because both processes count in the same Redis database."""
    with private_redis_db() as redis_url:
        redis_cache = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
        with override_settings(CACHES={"default": redis_cache}, PORTAL_RATE_LIMITS=LIMITS):
            assert [ratelimit.hit("lookup_ip", CLIENT) for _ in range(2)] == [None, None]
            assert _other_process(tmp_path, redis_url) == [False, True]
            limited = ratelimit.hit("lookup_ip", CLIENT)
            assert limited is not None and limited.name == "lookup_ip"
            assert 0 < limited.retry_after <= 600
            # Another client is counted on its own.
            assert ratelimit.hit("lookup_ip", "198.51.100.1") is None
            caches["default"].close()


@pytest.mark.django_db
def test_rate_limit_trips_across_processes_with_database_cache(tmp_path: Path):
    """CACHE_URL=dbcache://...: two processes on one database share the counter too."""
    with scratch_database_url(tmp_path) as database_url:
        env = gongkai_env(tmp_path, DATABASE_URL=database_url, CACHE_URL="dbcache://gongkai_cache")
        run_gongkai(["createcachetable"], env)
        assert _other_process(tmp_path, "dbcache://gongkai_cache", database_url) == [
            False,
            False,
        ]
        assert _other_process(tmp_path, "dbcache://gongkai_cache", database_url) == [
            False,
            True,
        ]


def test_process_local_cache_does_not_share_the_limit(tmp_path: Path):
    """The contrast: with the default local-memory cache the other process starts from zero."""
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "contrast"}
    with override_settings(CACHES={"default": locmem}, PORTAL_RATE_LIMITS=LIMITS):
        caches["default"].clear()
        assert [ratelimit.hit("lookup_ip", CLIENT) for _ in range(3)] == [None, None, None]
        assert _other_process(tmp_path, "locmemcache://") == [False, False]


def test_cache_url_selects_djangos_redis_cache(tmp_path: Path):
    """CACHE_URL=redis://... gives Django's own RedisCache (no third-party cache library)."""
    result = run_gongkai(
        [
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings; import json; print(json.dumps(settings.CACHES))",
        ],
        gongkai_env(
            tmp_path,
            DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            CACHE_URL="redis://127.0.0.1:6379/5",
        ),
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
        }
    }


def test_deploy_check_fails_for_a_process_local_cache(settings):
    """gongkai.E020 (an error) for LocMem (or Dummy) with DEBUG off; none for Redis, database, or DEBUG."""
    settings.DEBUG = False
    for backend in ("locmem.LocMemCache", "dummy.DummyCache"):
        settings.CACHES = {"default": {"BACKEND": f"django.core.cache.backends.{backend}"}}
        messages = check_shared_cache()
        assert [m.id for m in messages] == ["gongkai.E020"]
        assert messages[0].is_serious()
        assert "限流" in messages[0].msg and "CACHE_URL" in messages[0].hint
    for backend, location in (
        ("redis.RedisCache", "redis://127.0.0.1:6379/1"),
        ("db.DatabaseCache", "gongkai_cache"),
    ):
        settings.CACHES = {
            "default": {"BACKEND": f"django.core.cache.backends.{backend}", "LOCATION": location}
        }
        assert check_shared_cache() == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Registered as a deployment check: `gongkai check --deploy` (and make prod-check) runs it.
    assert "gongkai.E020" not in {m.id for m in run_checks(tags=["caches"])}
    deploy = run_checks(tags=["caches"], include_deployment_checks=True)
    assert "gongkai.E020" in {m.id for m in deploy}
    settings.DEBUG = True
    assert check_shared_cache() == []
