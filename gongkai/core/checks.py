"""Production checks, run with Django's own deployment checks: ``gongkai check --deploy``.

``make prod-check`` runs them with ``--fail-level WARNING``: the secret key comes from the
environment, DEBUG is off, HTTPS is enforced, the database answers, the official calendar is
loaded for the current and the next year, and the cache is shared by all server processes.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError, connection
from django.utils import timezone

from gongkai.workcalendar.selectors import known_years


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Secret key from the environment and DEBUG off (Django checks HTTPS and HSTS itself)."""
    problems: list[CheckMessage] = []
    if not os.environ.get("SECRET_KEY"):
        problems.append(
            Error(
                "SECRET_KEY 未通过环境变量设置（var/secret_key 仅供本地使用）。", id="gongkai.E001"
            )
        )
    if settings.DEBUG:
        problems.append(Error("生产环境必须关闭 DEBUG。", id="gongkai.E002"))
    if settings.GONGKAI_DEMO:
        problems.append(
            Error(
                "GONGKAI_DEMO 只用于演示实例（关闭了双因素认证），生产环境不得开启。",
                id="gongkai.E006",
            )
        )
    return problems


@register(Tags.database, deploy=True)
def check_database_and_calendar(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The database answers, and the calendar covers this year and the next."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure is the finding
        return [Error(f"数据库无法连接：{exc.__class__.__name__}", id="gongkai.E003")]

    this_year = timezone.localdate().year
    try:
        years = set(known_years())
    except DatabaseError:
        return [Error("数据库尚未迁移：请先运行 gongkai migrate。", id="gongkai.E004")]
    missing = [y for y in (this_year, this_year + 1) if y not in years]
    if missing:
        return [
            Warning(
                f"工作日历缺少 {'、'.join(map(str, missing))} 年的官方安排：相关期限将标为“暂定”。",
                hint="国务院办公厅发布节假日安排后，用 gongkai workdays load FILE 载入。",
                id="gongkai.W003",
            )
        ]
    return []


#: Cache backends whose data lives in one server process (or nowhere).
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Rate limits and API replay keys need a cache shared by every server process: an error
    with DEBUG off (``check --deploy`` fails, and ``gongkai.wsgi`` refuses to start)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"缓存后端 {backend.rsplit('.', 1)[-1]} 只在单个服务进程内有效：限流计数和接口防重放"
            "在各进程、各服务器之间不共享，限流形同虚设。",
            hint="设置 CACHE_URL=redis://主机:6379/1（需安装 gongkai[redis]），或 "
            "CACHE_URL=dbcache://gongkai_cache（先运行 gongkai createcachetable）。",
            id="gongkai.E020",
        )
    ]
