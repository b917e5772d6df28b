"""Template helpers for annual-report pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """Return ``mapping[key]`` (None if absent)."""
    if not isinstance(mapping, Mapping):
        return None
    return mapping.get(key)
