"""Reads of the applicant's side: what an applicant sees of their own case, in plain words.

Only what concerns the applicant is shown: status in the applicant's words (internal review
steps read "办理中"), the receipt date, each deadline with the working days left, the letters
addressed to them, and the files they gave. Internal notes of the office never appear.

The wording follows the active language (Chinese by default, English when the applicant
switches): labels are marked for translation and dates go through ``display_date``. The JSON API
and the PDF receipt build these views under the default language, so they stay Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from gongkai.agencies.models import Agency
from gongkai.applications import deadlines
from gongkai.applications.choices import (
    ApplicantType,
    DeliveryMethod,
    EventKind,
    InformationForm,
    Status,
)
from gongkai.applications.models import Application
from gongkai.applications.workflow import APPLICANT, WORKFLOW, may
from gongkai.letters.choices import LetterKind
from gongkai.letters.permissions import letters_for_applicant
from gongkai.portal.models import ApplicantFile, CaseAccess, StagedUpload
from gongkai.workcalendar.clock import DeadlineName, DeadlineState

#: The status as the applicant reads it.
PUBLIC_STATUS: dict[str, Any] = {
    Status.HANDLING: gettext_lazy("办理中"),
    Status.AWAITING_CORRECTION: gettext_lazy("待补正"),
    Status.CONSULTING: gettext_lazy("办理中（正在征求意见）"),
    Status.AWAITING_FEE: gettext_lazy("待缴纳信息处理费"),
    Status.IN_REVIEW: gettext_lazy("办理中"),
    Status.IN_APPROVAL: gettext_lazy("办理中"),
    Status.APPROVED: gettext_lazy("答复待送达"),
    Status.REPLIED: gettext_lazy("已答复"),
    Status.ABANDONED: gettext_lazy("视为放弃申请"),
    Status.WITHDRAWN: gettext_lazy("已撤回"),
    Status.TRANSFERRED: gettext_lazy("已转其他机关办理"),
    Status.CLOSED: gettext_lazy("已办结"),
}

#: Timeline entries the applicant sees, with their wording.
PUBLIC_EVENTS: dict[str, Any] = {
    EventKind.REGISTERED: pgettext_lazy("case timeline", "提交申请"),
    EventKind.TRANSFERRED_IN: gettext_lazy("由其他机关转来"),
    EventKind.CORRECTION_REQUESTED: gettext_lazy("机关发出补正告知"),
    EventKind.CORRECTION_RECEIVED: gettext_lazy("收到补正"),
    EventKind.CORRECTION_EXPIRED: gettext_lazy("逾期未补正，视为放弃申请"),
    EventKind.CONSULTATION_SENT: gettext_lazy("征求意见（所需时间不计入答复期限）"),
    EventKind.EXTENSION_APPROVED: gettext_lazy("延长答复期限"),
    EventKind.LONGER_DEADLINE_SET: gettext_lazy("确定延迟答复的合理期限（《条例》第三十五条）"),
    EventKind.FEE_NOTICE_SENT: gettext_lazy("发出收费通知"),
    EventKind.FEE_PAID: gettext_lazy("缴费已确认"),
    EventKind.FEE_EXPIRED: gettext_lazy("逾期未缴费，视为放弃申请"),
    EventKind.DELIVERED: gettext_lazy("答复已送达"),
    EventKind.REPLIED_ON_THE_SPOT: gettext_lazy("当场答复"),
    EventKind.TRANSFERRED: gettext_lazy("转其他机关办理"),
    EventKind.WITHDRAWN: pgettext_lazy("case timeline", "撤回申请"),
}


def cn_date(day: dt.date | None) -> str:
    """``2026年3月16日`` in any language (empty for None): for the Chinese documents (receipt)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def display_date(day: dt.date | None) -> str:
    """The date in the active language: ``2026年3月16日`` in Chinese, ``2026-03-16`` in English.

    The format is itself a translated string (the templates use ``date:_("Y年n月j日")``), so the
    pages and the texts built here agree; empty for None.
    """
    return dateformat.format(day, _("Y年n月j日")) if day else ""


def public_status(application: Application) -> str:
    """The case's status in the applicant's words (internal review steps read "办理中")."""
    label = PUBLIC_STATUS.get(application.status)
    return str(label) if label is not None else application.get_status_display()


def agencies_for_applications(query: str = "") -> QuerySet[Agency]:
    """Active agencies that receive applications, optionally filtered by name."""
    qs = Agency.objects.active().only("id", "name", "short_name", "path", "parent_id")
    query = query.strip()[:50]
    if query:
        from django.db.models import Q

        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return qs.order_by("path")


def receiving_agency(pk: Any) -> Agency | None:
    """The active agency with ``pk`` (None for unknown, inactive or malformed ids)."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < number < 2**31:
        return None
    return Agency.objects.active().filter(pk=number).first()


@dataclass
class DeadlineLine:
    """One deadline as the applicant reads it."""

    label: str
    due: dt.date | None
    text: str
    provisional: bool = False
    iso: str = ""


@dataclass
class CaseView:
    """Everything the applicant's case page shows."""

    access: CaseAccess
    application: Application
    status_label: str
    received_text: str
    deadlines: list[DeadlineLine] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    letters: list[Any] = field(default_factory=list)
    files: list[ApplicantFile] = field(default_factory=list)
    can_correct: bool = False
    can_pay: bool = False
    can_withdraw: bool = False
    fee: Any = None
    longer_deadline: LongerDeadlineView | None = None


@dataclass
class LongerDeadlineView:
    """The 第三十五条 decision as the applicant reads it: when it was made and the new date."""

    decided_text: str
    due_text: str
    letter: Any = None


def longer_deadline_view(application: Application, letters: list[Any]) -> LongerDeadlineView | None:
    """The head's latest 第三十五条 decision on the case (None if there is none).

    The date shown is the reply limit the clock computes from the decision; the head's internal
    note is not shown (the 延迟答复告知书, if issued, states what the agency tells the applicant).
    """
    decision = deadlines.longer_deadline_decision(application)
    if decision is None:
        return None
    on, payload = decision
    decided_due = payload.get("due_on")
    due = application.reply_due_on or (dt.date.fromisoformat(decided_due) if decided_due else None)
    notice = [letter for letter in letters if letter.kind == LetterKind.LONGER_DEADLINE]
    return LongerDeadlineView(
        decided_text=display_date(on),
        due_text=display_date(due),
        letter=notice[-1] if notice else None,
    )


def remaining_text(days: int | None, provisional: bool) -> str:
    """ "剩余 3 个工作日" / "今天到期" / "已超过 2 个工作日" (marked 暂定 when provisional)."""
    if days is None:
        return ""
    if days > 0:
        text = ngettext("剩余 %(days)s 个工作日", "剩余 %(days)s 个工作日", days) % {"days": days}
    elif days == 0:
        text = _("今天到期")
    else:
        text = ngettext("已超过 %(days)s 个工作日", "已超过 %(days)s 个工作日", -days) % {
            "days": -days
        }
    return _("%(text)s（暂定）") % {"text": text} if provisional else text


def _due_and_remaining(due: dt.date, days: int | None, provisional: bool) -> str:
    return _("%(date)s，%(remaining)s") % {
        "date": display_date(due),
        "remaining": remaining_text(days, provisional),
    }


def deadline_lines(application: Application, *, today: dt.date) -> list[DeadlineLine]:
    """The deadlines that concern the applicant, worded like "法定答复期限：2026年3月16日，剩余 12 个工作日"."""
    result = deadlines.compute(application, today=today, explain=False)
    lines: list[DeadlineLine] = []
    reply = result.reply
    if reply is not None:
        label = _("法定答复期限")
        if application.events.filter(kind=EventKind.LONGER_DEADLINE_SET).exists():
            label = _("答复期限（依《条例》第三十五条确定的合理期限）")
        elif application.extension_days:
            label = ngettext(
                "法定答复期限（已延长 %(days)s 个工作日）",
                "法定答复期限（已延长 %(days)s 个工作日）",
                application.extension_days,
            ) % {"days": application.extension_days}
        if reply.state in (DeadlineState.PENDING, DeadlineState.OVERDUE) and reply.due:
            text = _due_and_remaining(reply.due, reply.days_remaining, reply.provisional)
        elif reply.state is DeadlineState.PAUSED:
            left = reply.days_remaining
            if left is None:
                text = _("暂停计算（征求意见或等待缴费的时间不计入答复期限）")
            else:
                text = ngettext(
                    "暂停计算（征求意见或等待缴费的时间不计入答复期限），恢复后剩余 %(days)s 个工作日",
                    "暂停计算（征求意见或等待缴费的时间不计入答复期限），恢复后剩余 %(days)s 个工作日",
                    left,
                ) % {"days": left}
        elif reply.state is DeadlineState.WAITING:
            text = _("待收到补正后重新计算（《条例》第三十条）")
        elif reply.state in (DeadlineState.MET, DeadlineState.MET_LATE) and reply.met_on:
            text = _("%(due)s（已于%(on)s答复）") % {
                "due": display_date(reply.due),
                "on": display_date(reply.met_on),
            }
        else:
            text = display_date(reply.due) or "—"
        lines.append(
            DeadlineLine(
                label,
                reply.due,
                text,
                reply.provisional,
                reply.due.isoformat() if reply.due else "",
            )
        )
    if application.status == Status.AWAITING_CORRECTION and application.correction_period_ends_on:
        due = application.correction_period_ends_on
        count = deadlines.get_calendar().working_days_between(today, due)
        lines.append(
            DeadlineLine(
                _("补正期限"),
                due,
                _due_and_remaining(due, count.days, count.provisional),
                count.provisional,
                due.isoformat(),
            )
        )
    fee = result.deadline(DeadlineName.FEE_PAYMENT)
    if fee is not None and application.status == Status.AWAITING_FEE and fee.due:
        lines.append(
            DeadlineLine(
                _("缴费期限"),
                fee.due,
                _due_and_remaining(fee.due, fee.days_remaining, fee.provisional),
                fee.provisional,
                fee.due.isoformat(),
            )
        )
    return lines


def applicant_letters(application: Application) -> list[Any]:
    """The issued letters addressed to the applicant (答复书, 告知书), oldest first.

    Read through ``letters.permissions.letters_for_applicant`` (consultation letters to third
    parties are never included).
    """
    return list(letters_for_applicant(application=application))


def case_view(access: CaseAccess, *, today: dt.date | None = None) -> CaseView:
    """Build the applicant's view of their case."""
    today = today or timezone.localdate()
    app = (
        Application.objects.select_related("agency")
        .prefetch_related("fee_notices")
        .get(pk=access.application_id)
    )
    timeline = [
        {"on": e.on, "text": str(PUBLIC_EVENTS[e.kind])}
        for e in app.events.order_by("seq")
        if e.kind in PUBLIC_EVENTS
    ]
    fee = None
    if app.status == Status.AWAITING_FEE:
        fee = app.fee_notices.order_by("-sent_on", "-pk").first()
    letters = applicant_letters(app)
    return CaseView(
        access=access,
        application=app,
        status_label=public_status(app),
        received_text=display_date(app.received_on),
        deadlines=deadline_lines(app, today=today),
        timeline=timeline,
        letters=letters,
        files=list(app.applicant_files.all()),
        can_correct=may(APPLICANT, "receive_correction", app),
        can_pay=WORKFLOW.status_refusal(app, "pay_fee") is None,
        can_withdraw=may(APPLICANT, "withdraw", app),
        fee=fee,
        longer_deadline=longer_deadline_view(app, letters),
    )


def account_cases(account: Any) -> list[CaseAccess]:
    """The cases linked to an applicant account, newest first, each with ``status_label``: the
    status in the applicant's words, as on the case page."""
    cases = list(
        CaseAccess.objects.filter(account=account)
        .select_related("application", "application__agency")
        .order_by("-created_at")
    )
    for case in cases:
        case.status_label = public_status(case.application)  # type: ignore[attr-defined]
    return cases


def applicant_file(access: CaseAccess, pk: Any) -> ApplicantFile | None:
    """One file of this case, or None."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    return ApplicantFile.objects.filter(application_id=access.application_id, pk=number).first()


def case_json(view: CaseView, *, letter_url: Any = None) -> dict[str, Any]:
    """The case as JSON data for the API (ISO dates; text alongside in the view's language).

    The API builds the view under the default language (``api.views._case_view``), so the text
    fields stay Chinese whatever the client's Accept-Language.
    """
    app = view.application
    return {
        "registration_number": app.registration_number,
        "agency": {"id": app.agency_id, "name": app.agency.name},
        "status": app.status,
        "status_label": view.status_label,
        "received_on": app.received_on.isoformat(),
        "received_text": view.received_text,
        "applicant_type": app.applicant_type,
        "applicant_type_label": ApplicantType(app.applicant_type).label,
        "requested_form": app.requested_form,
        "requested_form_label": InformationForm(app.requested_form).label
        if app.requested_form
        else "",
        "requested_delivery": app.requested_delivery,
        "requested_delivery_label": DeliveryMethod(app.requested_delivery).label
        if app.requested_delivery
        else "",
        "correction_content": app.correction_content
        if app.status == Status.AWAITING_CORRECTION
        else "",
        "deadlines": [
            {"label": d.label, "due": d.iso or None, "text": d.text, "provisional": d.provisional}
            for d in view.deadlines
        ],
        "timeline": [{"on": t["on"].isoformat(), "text": t["text"]} for t in view.timeline],
        "letters": [
            {
                "id": letter.pk,
                "title": letter.title,
                "number": letter.number,
                "issued_on": letter.issued_on.isoformat(),
                "kind": letter.kind,
                "pdf_url": letter_url(letter, "pdf") if letter_url else None,
                "docx_url": letter_url(letter, "docx") if letter_url else None,
            }
            for letter in view.letters
        ],
        "actions": {
            "correct": view.can_correct,
            "pay": view.can_pay,
            "withdraw": view.can_withdraw,
        },
    }


def staged_upload(token: str, field_name: str) -> StagedUpload | None:
    """The file staged for ``field_name`` of the form with ``token``, if any."""
    return StagedUpload.objects.filter(token=token, field=field_name).first()


def staged_uploads(token: str) -> QuerySet[StagedUpload]:
    """Every file staged for the form with ``token``."""
    return StagedUpload.objects.filter(token=token)


def files_of_case(application: Application) -> QuerySet[ApplicantFile]:
    """The applicant's files of an (already access-checked) case, oldest first."""
    return ApplicantFile.objects.filter(application=application).order_by("uploaded_at", "pk")


def file_of_case(application: Application, pk: Any) -> ApplicantFile | None:
    """One applicant file of an (already access-checked) case, or None."""
    return files_of_case(application).filter(pk=pk).first()
