"""The deployment script's reduced form: production settings on PostgreSQL, gunicorn, a worker."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from gongkai.core.testing import scratch_database_url

REPO = Path(settings.REPO_DIR)


@pytest.mark.django_db
def test_production_instance_serves_and_processes_a_task(tmp_path):
    """`deploy/install.sh --smoke` migrates an empty database, serves, and runs a real task."""
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL leg of the test command")
    with scratch_database_url(tmp_path) as database_url:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DATABASE_URL": database_url,
            "GONGKAI_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        }
        result = subprocess.run(
            ["bash", str(REPO / "deploy" / "install.sh"), "--smoke"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "smoke: OK" in result.stdout
        assert '"status": "ok"' in (tmp_path / "readyz.json").read_text()
        assert "政府信息公开" in (tmp_path / "home.html").read_text(encoding="utf-8")
