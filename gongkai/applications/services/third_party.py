"""第三十二条: disclosing over a third party's objection needs a written notice to it first.

"第三方不同意公开且有合理理由的，行政机关不予公开。行政机关认为不公开可能对公共利益造成重大影响的，
可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方" (spec §1.3). The notice is a
step of its own (``notify_third_party``) recording when the written notice went out, the reasons
and the content; a reply that discloses over an objection cannot be delivered before it
(decision 1604). The letter itself is the letters app's 告知第三方决定公开书.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from gongkai.applications.choices import (
    ConsultationOutcome,
    ConsultationParty,
    EventKind,
    Result,
)
from gongkai.applications.models import Application, Consultation
from gongkai.applications.workflow import WORKFLOW
from gongkai.core.actors import Actor

#: Results that disclose (all or part) of the requested information.
DISCLOSING = {Result.R1_OPEN, Result.R2_PARTIAL}


def objections(application: Application) -> list[Consultation]:
    """The third parties consulted on the case that objected to disclosure."""
    return list(
        application.consultations.filter(
            party=ConsultationParty.THIRD_PARTY, outcome=ConsultationOutcome.OBJECTED
        ).order_by("sent_on", "pk")
    )


def notified_consultations(application: Application) -> set[int]:
    """The consultations whose third party was told in writing that the office discloses."""
    rows = application.events.filter(kind=EventKind.THIRD_PARTY_NOTIFIED)
    return {int(r.payload["consultation"]) for r in rows if r.payload.get("consultation")}


def third_party_notices_missing(application: Application) -> list[Consultation]:
    """Objecting third parties not yet told in writing (the case page lists them)."""
    done = notified_consultations(application)
    return [c for c in objections(application) if c.pk not in done]


def disclosure_blocked(application: Application) -> str | None:
    """Why the reply cannot be delivered yet under 第三十二条 (None if it can).

    A reply discloses over an objection when its result is （一）予以公开, or （二）部分公开 without
    any item withheld to protect a third party (（三）4); then every objecting third party must
    have been told in writing first.
    """
    result = application.proposed_result
    if result not in DISCLOSING:
        return None
    if result == Result.R2_PARTIAL and application.items.filter(decision=Result.R3_4).exists():
        return None
    missing = third_party_notices_missing(application)
    if not missing:
        return None
    names = "、".join(c.party_name for c in missing)
    return (
        f"第三方（{names}）不同意公开，本机关决定予以公开的，应当先将决定公开的政府信息内容和理由"
        "书面告知第三方（第三十二条）。请先办理“告知第三方决定公开”。"
    )


def third_party_notify(
    *,
    by: Actor,
    application: Application,
    consultation: Consultation,
    on: dt.date,
    reasons: str,
    content: str,
) -> Application:
    """Record the written notice to an objecting third party that the office discloses anyway."""
    if not reasons.strip():
        raise ValidationError({"reasons": "请写明决定公开的理由（第三十二条）。"})
    if not content.strip():
        raise ValidationError({"content": "请写明决定公开的政府信息内容（第三十二条）。"})
    with WORKFLOW.perform(application, "notify_third_party", by=by) as step:
        app = step.obj
        if consultation.pk not in {c.pk for c in objections(app)}:
            raise ValidationError({"consultation": "请选择本案中不同意公开的第三方。"})
        if consultation.pk in notified_consultations(app):
            raise ValidationError({"consultation": "已经书面告知过该第三方。"})
        if consultation.answered_on and on < consultation.answered_on:
            raise ValidationError({"on": "告知日期不能早于收到该第三方意见的日期（第三十二条）。"})
        step.record(
            EventKind.THIRD_PARTY_NOTIFIED,
            on=on,
            payload={
                "consultation": consultation.pk,
                "reasons": reasons.strip(),
                "content": content.strip(),
            },
            note=consultation.party_name,
        )
        step.audit_after["consultation"] = consultation.pk
    return step.obj
