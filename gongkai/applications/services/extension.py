"""Extensions (第三十三条第二款) as a request: the handler asks with reasons, the head decides,
and the applicant must be told before the original limit ends.

"因正当理由不能在规定的期限内答复的，经政府信息公开工作机构负责人同意并告知申请人，可以延长答复
的期限，延长的期限最长不得超过20个工作日" (spec §1.3). The head's approval itself is
``handling.application_approve_extension`` (it may also be taken without a request); this
module adds the request, the refusal and the state of the notice to the applicant
(decision 1606).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.applications import deadlines
from gongkai.applications.choices import EventKind
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.workflow import WORKFLOW, notify
from gongkai.core.actors import Actor
from gongkai.workcalendar.rules import DEFAULT_RULES, RuleKey

#: The letters app's kind of the 延期答复告知书 (as logged on the case's timeline).
EXTENSION_LETTER = "EXTENSION"
DECISIONS = {EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED}


def pending_extension_request(application: Application) -> ApplicationEvent | None:
    """The handler's latest extension request that the head has not decided yet."""
    pending = None
    for event in application.events.filter(
        kind__in=[EventKind.EXTENSION_REQUESTED, *DECISIONS]
    ).order_by("seq"):
        pending = event if event.kind == EventKind.EXTENSION_REQUESTED else None
    return pending


def extension_request(
    *, by: Actor, application: Application, days: int, reason: str, on: dt.date | None = None
) -> Application:
    """The handler asks the head to extend the reply limit, with the reasons (正当理由)."""
    if not reason.strip():
        raise ValidationError({"reason": "请写明需要延期答复的正当理由（第三十三条第二款）。"})
    with WORKFLOW.perform(application, "request_extension", by=by) as step:
        app = step.obj
        limit = DEFAULT_RULES.get(RuleKey.EXTENSION_MAX_DAYS, app.received_on)
        if days < 1 or app.extension_days + days > limit.days:
            raise ValidationError(
                {
                    "days": f"延长的期限合计不得超过{limit.days}个工作日（{limit.citation}，"
                    f"已延长{app.extension_days}个工作日）。"
                }
            )
        on = on or timezone.localdate()
        if app.reply_due_on is not None and on > app.reply_due_on:
            raise ValidationError(
                {"on": f"答复期限已于{app.reply_due_on:%Y年%m月%d日}届满，不能再申请延期。"}
            )
        step.record(
            EventKind.EXTENSION_REQUESTED,
            on=on,
            payload={"days": days, "reason": reason.strip()},
            note=reason.strip(),
        )
        step.audit_after["days"] = days
        notify(app, "extension_requested")
    return step.obj


def extension_refuse(
    *, by: Actor, application: Application, opinion: str, on: dt.date | None = None
) -> Application:
    """The head does not agree to the requested extension (the limit stays as it is)."""
    if not opinion.strip():
        raise ValidationError({"opinion": "请写明不同意延期的意见。"})
    with WORKFLOW.perform(application, "refuse_extension", by=by) as step:
        request = pending_extension_request(step.obj)
        step.record(
            EventKind.EXTENSION_REFUSED,
            on=on,
            payload={"request": request.seq if request else None},
            note=opinion.strip(),
        )
    return step.obj


@dataclass(frozen=True)
class ExtensionNotice:
    """Whether the applicant was told of the extension before the original limit (第三十三条)."""

    original_due: dt.date | None
    sent_on: dt.date | None
    state: str  # "sent" | "late" | "pending" | "missing"

    @property
    def is_problem(self) -> bool:
        """The notice is missing or went out after the original limit."""
        return self.state in {"missing", "late"}

    @property
    def message(self) -> str:
        due = f"{self.original_due:%Y年%m月%d日}" if self.original_due else "原答复期限届满"
        if self.state == "sent":
            return f"延期答复告知书已于{self.sent_on:%Y年%m月%d日}发出（原答复期限{due}前）。"
        if self.state == "late":
            return (
                f"延期答复告知书于{self.sent_on:%Y年%m月%d日}才发出，晚于原答复期限{due}"
                "（第三十三条第二款：延期应当告知申请人）。"
            )
        if self.state == "pending":
            return f"尚未发出延期答复告知书：应当在{due}前告知申请人（第三十三条第二款）。"
        return f"缺少延期答复告知书：原答复期限{due}前没有告知申请人延期（第三十三条第二款）。"


def extension_notice(
    application: Application, *, today: dt.date | None = None
) -> ExtensionNotice | None:
    """The state of the notice of the extension to the applicant (None without an extension).

    The original limit is the clock's reply limit computed without the extension entries.
    """
    rows = list(application.events.order_by("seq"))
    if not any(r.kind == EventKind.EXTENSION_APPROVED for r in rows):
        return None
    base = [r for r in rows if r.kind != EventKind.EXTENSION_APPROVED]
    clock = deadlines.compute_events(base, today=today)
    original = clock.reply.due if clock.reply else None
    sent = sorted(
        r.on
        for r in rows
        if r.kind == EventKind.LETTER_ISSUED and r.payload.get("kind") == EXTENSION_LETTER
    )
    today = today or timezone.localdate()
    if sent:
        late = original is not None and sent[0] > original
        return ExtensionNotice(original, sent[0], "late" if late else "sent")
    overdue = original is not None and today > original
    return ExtensionNotice(original, None, "missing" if overdue else "pending")


def extension_context(application: Application) -> dict[str, Any]:
    """What the case page shows about extensions: the pending request and the notice."""
    return {
        "extension_request": pending_extension_request(application),
        "extension_notice": extension_notice(application),
    }
