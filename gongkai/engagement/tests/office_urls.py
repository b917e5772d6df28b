"""Office URLs of public engagement for the permission matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.actors import SYSTEM
from gongkai.engagement.choices import DraftKind
from gongkai.engagement.services import consultation_create, message_receive

MISSING = 987_654_321


def _consultation(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    if missing:
        return {"pk": MISSING}
    c = consultation_create(
        by=SYSTEM, agency=tree.dept_b, title="乙局草案", kind=DraftKind.OTHER, body="全文",
        opens_on=dt.date(2025, 3, 1), closes_on=dt.date(2025, 3, 10),
    )  # fmt: skip
    return {"pk": c.pk}


def _comment(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    return {**_consultation(tree, staff, missing), "comment_pk": MISSING if missing else 1}


def _message(tree: Any, staff: dict[str, Any], missing: bool) -> dict[str, Any]:
    if missing:
        return {"pk": MISSING}
    m = message_receive(by=SYSTEM, agency=tree.dept_b, subject="留言", text="内容", contact="x")
    return {"pk": m.pk}


CASES = {
    "engagement:index": None,
    "engagement:consultation_new": None,
    "engagement:consultation": _consultation,
    "engagement:publish": _consultation,
    "engagement:close": _consultation,
    "engagement:draft_import": _consultation,
    "engagement:comment_enter": _consultation,
    "engagement:moderate": _comment,
    "engagement:answer": _comment,
    "engagement:conclude": _consultation,
    "engagement:hotline_new": None,
    "engagement:interaction_new": None,
    "engagement:message": _message,
    "engagement:message_assign": _message,
    "engagement:message_reply": _message,
}
