"""Test data for letters: cases as model rows (the applications services are not committed yet).

Switch ``make_case`` to ``gongkai.applications.services.application_register`` once those
services land; the letters code only reads the case.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from gongkai.applications.choices import (
    ApplicantType,
    Channel,
    DeliveryMethod,
    EventKind,
    IdDocumentType,
    Result,
    Status,
)
from gongkai.applications.models import Application, ApplicationEvent, RequestedItem
from gongkai.letters.choices import LetterKind
from gongkai.letters.models import Letter, LetterTemplate, LetterTemplateVersion

_n = itertools.count(1)
RECEIVED = dt.date(2026, 2, 10)


def make_case(agency: Any, **extra: Any) -> Application:
    """An open case of ``agency`` received on 2026-02-10, with one requested item."""
    n = next(_n)
    values: dict[str, Any] = {
        "agency": agency,
        "registration_year": 2026,
        "registration_serial": n,
        "registration_number": f"2026-{n:04d}",
        "channel": Channel.ONLINE,
        "arrived_on": RECEIVED,
        "received_on": RECEIVED,
        "applicant_type": ApplicantType.PERSON,
        "applicant_name": "张三",
        "id_document_type": IdDocumentType.ID_CARD,
        "id_number": "11010119900307001X",
        "phone": "13812345678",
        "address": "测试市人民路1号",
        "applicant_key": f"key{n}",
        "description": "2025年本机关行政处罚决定书",
        "requested_delivery": DeliveryMethod.EMAIL,
        "reply_due_on": dt.date(2026, 3, 16),
        "status": Status.HANDLING,
    }
    values.update(extra)
    app = Application.objects.create(**values)
    RequestedItem.objects.create(
        application=app,
        position=1,
        description=values["description"],
        decision=values.get("result") or values.get("proposed_result") or "",
    )
    return app


def make_closed_case(agency: Any, by: Any = None, **extra: Any) -> Application:
    """A case replied to (予以公开) and closed, with its timeline."""
    app = make_case(
        agency,
        status=Status.CLOSED,
        result=extra.pop("result", Result.R1_OPEN),
        proposed_result=Result.R1_OPEN,
        replied_on=dt.date(2026, 3, 10),
        closed_on=dt.date(2026, 3, 11),
        filed_on=dt.date(2026, 3, 11),
        handler=by,
        **extra,
    )
    steps = [
        (EventKind.REGISTERED, RECEIVED, {"channel": "ONLINE"}),
        (EventKind.HANDLER_ASSIGNED, RECEIVED, {}),
        (EventKind.REPLY_DRAFTED, dt.date(2026, 3, 2), {"result": "r1_open"}),
        (EventKind.DELIVERED, dt.date(2026, 3, 10), {"method": "EMAIL"}),
        (EventKind.CLOSED, dt.date(2026, 3, 11), {}),
    ]
    for seq, (kind, on, payload) in enumerate(steps, 1):
        ApplicationEvent.objects.create(
            application=app, seq=seq, kind=kind, on=on, actor=by, payload=payload
        )
    return app


def make_letter_row(application: Application, **extra: Any) -> Letter:
    """A letter row without files (for URL and scoping tests that never render)."""
    template, _ = LetterTemplate.objects.get_or_create(
        agency=None, code="reply_r1_open", defaults={"kind": LetterKind.REPLY, "name": "予以公开"}
    )
    version = template.latest_version() or LetterTemplateVersion.objects.create(
        template=template, number=1, title="政府信息公开申请答复书", body="{{ applicant }}："
    )
    serial = Letter.objects.filter(agency=application.agency).count() + 1
    values: dict[str, Any] = {
        "agency": application.agency,
        "application": application,
        "kind": LetterKind.REPLY,
        "template_code": "reply_r1_open",
        "template_version": version,
        "year": 2026,
        "serial": serial,
        "number": f"测试依告〔2026〕{serial}号",
        "title": "政府信息公开申请答复书",
        "recipient": application.applicant_name,
        "body": "正文",
        "signer": application.agency.name,
        "issued_on": dt.date(2026, 3, 10),
        "docx_file": "letters/missing.docx",
        "pdf_file": "letters/missing.pdf",
    }
    values.update(extra)
    return Letter.objects.create(**values)
