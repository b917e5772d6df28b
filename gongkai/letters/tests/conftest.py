"""Fixtures: generated files go to a temporary MEDIA_ROOT."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Store letters and archives under a per-test directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
