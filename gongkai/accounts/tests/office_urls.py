"""Office URLs of the accounts and core apps for the permission matrix."""

from __future__ import annotations

from typing import Any

MISSING = 987_654_321


def _account(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, int]:
    return {"pk": MISSING if missing else staff["handler_b"].pk}


def _account_action(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_account(tree, staff, missing), "action": "disable"}


CASES = {
    "accounts:home": None,
    "accounts:login": None,
    "accounts:logout": None,
    "core:audit_log": None,
    "accounts:two_factor_setup": None,
    "accounts:two_factor_verify": None,
    "accounts:password_change": None,
    "accounts:account_list": None,
    "accounts:settings": None,
    "accounts:account_detail": _account,
    "accounts:account_action": _account_action,
}
