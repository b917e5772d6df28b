"""The worker queue moves to Redis (RQ) by configuration alone: TASKS_BACKEND and REDIS_URL."""

from __future__ import annotations

import importlib
import json
import shlex
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django_tasks.base import Task

from gongkai.core.testing import scratch_database_url
from gongkai.core.tests.redis_support import (
    REPO,
    gongkai_env,
    private_redis_db,
    run_gongkai,
)

RQ_UNIT = REPO / "deploy" / "gongkai-worker-rq.service"


def _project_tasks() -> list[Task]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gongkai."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tasks":
                raise
            continue
        found += [obj for obj in vars(module).values() if isinstance(obj, Task)]
    return found


def test_every_task_queue_is_configured():
    """Each task's queue is in TASK_QUEUES, from which the RQ queues are configured."""
    tasks = _project_tasks()
    assert len(tasks) >= 5, tasks
    missing = {
        t.module_path: t.queue_name for t in tasks if t.queue_name not in settings.TASK_QUEUES
    }
    assert not missing


def _worker_command() -> list[str]:
    """The ExecStart of the shipped systemd unit, with this checkout's venv."""
    text = RQ_UNIT.read_text().replace("\\\n", " ")
    line = next(ln for ln in text.splitlines() if ln.startswith("ExecStart="))
    argv = shlex.split(line.removeprefix("ExecStart="))
    assert argv[0] == "/srv/gongkai/.venv/bin/gongkai"
    return [*argv[1:]]


@pytest.mark.django_db
def test_rq_worker_runs_real_tasks_from_redis(tmp_path: Path):
    """With TASKS_BACKEND=django_tasks_rq.RQBackend a real task (immediate and deferred) is
    enqueued into Redis by one process and run by the shipped RQ worker command in another."""
    with private_redis_db() as redis_url, scratch_database_url(tmp_path) as database_url:
        env = gongkai_env(
            tmp_path,
            DATABASE_URL=database_url,
            TASKS_BACKEND="django_tasks_rq.RQBackend",
            REDIS_URL=redis_url,
        )
        run_gongkai(["migrate", "--noinput", "-v", "0"], env, timeout=300)
        # django-tasks-rq checks that django_rq is installed and every queue is in RQ_QUEUES.
        run_gongkai(["check", "--fail-level", "WARNING"], env)
        enqueue = run_gongkai(
            [
                "shell",
                "-v",
                "0",
                "-c",
                "import datetime as dt, json\n"
                "from django.utils import timezone\n"
                "from gongkai.core.tasks import heartbeat\n"
                "now = heartbeat.enqueue(note='rq-now')\n"
                "later = heartbeat.using(run_after=timezone.now() - dt.timedelta(seconds=1))"
                ".enqueue(note='rq-deferred')\n"
                "print(json.dumps([now.id, later.id, now.status, later.backend]))",
            ],
            env,
        )
        now_id, later_id, status, backend = json.loads(enqueue.stdout.strip().splitlines()[-1])
        assert (status, backend) == ("READY", "default")

        worker = _worker_command()
        assert worker[0] == "rqworker" and "--with-scheduler" in worker
        assert set(settings.TASK_QUEUES) <= set(worker)
        run_gongkai([*worker, "--burst"], env)

        readback = run_gongkai(
            [
                "shell",
                "-v",
                "0",
                "-c",
                "import json\n"
                "from gongkai.core.models import AuditEvent\n"
                "from gongkai.core.tasks import heartbeat\n"
                "events = dict(AuditEvent.objects.filter(action='system.heartbeat')"
                ".values_list('after__note', 'seq'))\n"
                f"results = [heartbeat.get_result(i) for i in ({now_id!r}, {later_id!r})]\n"
                "print(json.dumps({'events': events, 'results': "
                "[[r.status, r.return_value, len(r.worker_ids)] for r in results]}))",
            ],
            env,
        )
        data = json.loads(readback.stdout.strip().splitlines()[-1])
        events = data["events"]
        assert set(events) == {"rq-now", "rq-deferred"}
        assert data["results"] == [
            ["SUCCESSFUL", events["rq-now"], 1],
            ["SUCCESSFUL", events["rq-deferred"], 1],
        ]


def test_default_install_has_no_redis_apps(tmp_path: Path):
    """Without TASKS_BACKEND the database queue is used and nothing of RQ is installed."""
    result = run_gongkai(
        [
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings\n"
            "print(settings.TASKS['default']['BACKEND'], 'django_rq' in settings.INSTALLED_APPS,"
            " hasattr(settings, 'RQ_QUEUES'), settings.CACHES['default']['BACKEND'])",
        ],
        gongkai_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"),
    )
    assert result.stdout.split() == [
        "django_tasks_db.DatabaseBackend",
        "False",
        "False",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
