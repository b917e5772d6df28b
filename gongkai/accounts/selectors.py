"""Reads about the current staff member."""

from __future__ import annotations

from typing import Any

from gongkai.accounts.scoping import memberships_of


def home_summary(user: Any) -> dict[str, Any]:
    """The person's agencies and roles, grouped per agency, for the office home page."""
    by_agency: dict[int, dict[str, Any]] = {}
    for m in memberships_of(user):
        entry = by_agency.setdefault(m.agency_id, {"agency": m.agency, "roles": []})
        label = m.get_role_display() + ("（含下级机关）" if m.includes_subagencies else "")
        entry["roles"].append(label)
    return {"agencies": sorted(by_agency.values(), key=lambda e: e["agency"].path)}
