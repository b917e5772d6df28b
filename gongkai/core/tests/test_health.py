"""Health and readiness endpoints; JSON log lines."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from gongkai.core.logging import JsonFormatter


def test_healthz_answers_without_database():
    """/healthz says the process is up."""
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_and_migrations():
    """/readyz is 200 with the database reachable and migrated."""
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok"}


def test_json_formatter_writes_one_object_per_line():
    """Each log record becomes one JSON object with Chinese text kept readable."""
    record = logging.LogRecord(
        "gongkai", logging.WARNING, __file__, 1, "收到申请 %s", ("A1",), None
    )
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert data["message"] == "收到申请 A1" and data["level"] == "WARNING"
    assert "\n" not in line
