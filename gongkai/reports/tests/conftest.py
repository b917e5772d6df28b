"""Fixtures for the report tests: paths to the seed and corpus files inside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def seeds() -> Path:
    """Return the directory of the copied seed reports."""
    return FIXTURES / "seeds"


@pytest.fixture
def corpus() -> Path:
    """Return the directory of the synthetic test corpus."""
    return FIXTURES / "corpus"
