"""Send and record notifications to applicants: e-mail (Django mail backends) and SMS.

``notify_event(event_id)`` runs after the transaction that appended a case event commits
(see ``signals.py``). It sends on receipt, correction requests, fee notices, extensions (and
the later reasonable reply date of 第三十五条), replies and other conclusions; each message is
recorded in ``Notification`` whatever the outcome, at most once per event and channel. A
failure to send never breaks the caller.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gongkai.applications.choices import EventKind
from gongkai.applications.identity import mask_email, mask_phone
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.notifications import sms
from gongkai.notifications.choices import NotificationChannel, NotificationKind, NotificationStatus
from gongkai.notifications.models import Notification

logger = logging.getLogger(__name__)

#: Case events that tell the applicant something, and what.
EVENT_KINDS: dict[str, str] = {
    EventKind.REGISTERED: NotificationKind.RECEIVED,
    EventKind.TRANSFERRED_IN: NotificationKind.RECEIVED,
    EventKind.CORRECTION_REQUESTED: NotificationKind.CORRECTION_REQUESTED,
    EventKind.FEE_NOTICE_SENT: NotificationKind.FEE_NOTICE,
    EventKind.EXTENSION_APPROVED: NotificationKind.EXTENDED,
    EventKind.LONGER_DEADLINE_SET: NotificationKind.EXTENDED,  # 第三十五条 later reply date
    EventKind.DELIVERED: NotificationKind.REPLIED,
    EventKind.REPLIED_ON_THE_SPOT: NotificationKind.REPLIED,
    EventKind.CORRECTION_EXPIRED: NotificationKind.CONCLUDED,
    EventKind.FEE_EXPIRED: NotificationKind.CONCLUDED,
    EventKind.TRANSFERRED: NotificationKind.CONCLUDED,
    EventKind.WITHDRAWN: NotificationKind.CONCLUDED,
}
MOBILE = re.compile(r"^(?:\+?86)?1\d{10}$")


@dataclass(frozen=True)
class Message:
    """The text of a notification."""

    subject: str
    body: str
    sms: str


def _date(day: object) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""  # type: ignore[attr-defined]


def _follow_hint(app: Application) -> str:
    if hasattr(app, "portal_access"):
        base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
        return _("请凭受理编号和查询码登录平台查看：%(url)s") % {
            "url": base + reverse("apply:follow")
        }
    phone = app.agency.phone
    return _("如有疑问，请联系%(agency)s%(phone)s。") % {
        "agency": app.agency.name,
        "phone": f"（{phone}）" if phone else "",
    }


def compose(kind: str, app: Application, event: ApplicationEvent) -> Message:
    """Write the message for ``kind`` about ``app`` (registration number, dates; no identity data)."""
    n = app.registration_number
    agency = app.agency.name
    due = _date(app.reply_due_on)
    if kind == NotificationKind.RECEIVED:
        subject = _("申请 %(n)s 已收到") % {"n": n}
        text = _("%(agency)s已于%(on)s收到您的政府信息公开申请，受理编号 %(n)s。") % {
            "agency": agency,
            "on": _date(app.received_on),
            "n": n,
        }
        if due:
            text += _("法定答复期限：%(due)s。") % {"due": due}
    elif kind == NotificationKind.CORRECTION_REQUESTED:
        subject = _("申请 %(n)s 需要补正") % {"n": n}
        text = _("%(agency)s请您补正申请 %(n)s，补正期限至%(until)s。补正事项：%(what)s") % {
            "agency": agency,
            "n": n,
            "until": _date(app.correction_period_ends_on),
            "what": app.correction_content[:300],
        }
    elif kind == NotificationKind.FEE_NOTICE:
        notice = app.fee_notices.order_by("-sent_on", "-pk").first()
        subject = _("申请 %(n)s 的收费通知") % {"n": n}
        text = _(
            "%(agency)s就申请 %(n)s 发出收费通知，金额 %(amount)s 元，请在%(until)s前缴纳。"
        ) % {
            "agency": agency,
            "n": n,
            "amount": notice.amount if notice else "—",
            "until": _date(notice.pay_by) if notice and notice.pay_by else _("规定期限"),
        }
    elif kind == NotificationKind.EXTENDED and event.kind == EventKind.LONGER_DEADLINE_SET:
        # Not an extension under 第三十三条: the head set a later, reasonable reply date.
        decided = (event.payload or {}).get("due_on")
        subject = _("申请 %(n)s 延迟答复") % {"n": n}
        text = _(
            "%(agency)s依据《中华人民共和国政府信息公开条例》第三十五条，确定了申请 %(n)s "
            "延迟答复的合理期限，将于%(due)s前向您作出答复。"
        ) % {
            "agency": agency,
            "n": n,
            "due": due or (_date(dt.date.fromisoformat(decided)) if decided else "—"),
        }
    elif kind == NotificationKind.EXTENDED:
        subject = _("申请 %(n)s 延期答复") % {"n": n}
        text = _("%(agency)s延长了申请 %(n)s 的答复期限，延长后的法定答复期限：%(due)s。") % {
            "agency": agency,
            "n": n,
            "due": due or "—",
        }
    elif kind == NotificationKind.REPLIED:
        subject = _("申请 %(n)s 已答复") % {"n": n}
        text = _("%(agency)s已于%(on)s答复您的申请 %(n)s。") % {
            "agency": agency,
            "on": _date(event.on),
            "n": n,
        }
    else:
        subject = _("申请 %(n)s 办理终结") % {"n": n}
        text = _("您的申请 %(n)s 办理终结：%(what)s。") % {
            "n": n,
            "what": app.get_status_display(),
        }
    hint = _follow_hint(app)
    prefix = _("【政府信息公开】")
    return Message(prefix + subject, f"{text}\n{hint}", f"{prefix}{text}{hint}")


def _record(
    app: Application,
    event: ApplicationEvent,
    kind: str,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    error: str,
) -> Notification | None:
    try:
        with transaction.atomic():
            return Notification.objects.create(
                application=app,
                event=event,
                kind=kind,
                channel=channel,
                recipient=recipient[:120],
                subject=subject[:200],
                body=body,
                status=NotificationStatus.FAILED if error else NotificationStatus.SENT,
                error=error[:300],
            )
    except IntegrityError:  # already sent for this event and channel
        return None


def _already(event: ApplicationEvent, channel: str) -> bool:
    return Notification.objects.filter(event=event, channel=channel).exists()


def notify_event(event_id: int) -> list[Notification]:
    """Send the notifications an event calls for; return the recorded ones (never raises)."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return _notify_event(event_id)
    except Exception:  # a notification must never break the step that caused it
        logger.exception("notification for event %s failed", event_id)
        return []


def _notify_event(event_id: int) -> list[Notification]:
    event = (
        ApplicationEvent.objects.select_related("application", "application__agency")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.kind not in EVENT_KINDS:
        return []
    app = event.application
    kind = EVENT_KINDS[event.kind]
    message = compose(kind, app, event)
    sent: list[Notification] = []
    if app.email and not _already(event, NotificationChannel.EMAIL):
        error = ""
        try:
            send_mail(
                message.subject,
                message.body,
                settings.DEFAULT_FROM_EMAIL,
                [app.email],
                fail_silently=False,
            )
        except Exception as exc:  # noqa: BLE001 - recorded, never raised
            error = f"{type(exc).__name__}"
        row = _record(
            app, event, kind, NotificationChannel.EMAIL, mask_email(app.email),
            message.subject, message.body, error,
        )  # fmt: skip
        if row:
            sent.append(row)
    phone = re.sub(r"[\s-]", "", app.phone or "")
    if MOBILE.match(phone) and not _already(event, NotificationChannel.SMS):
        error = ""
        try:
            sms.get_backend().send(phone, message.sms)
        except Exception as exc:  # noqa: BLE001 - recorded, never raised
            error = f"{type(exc).__name__}"
        row = _record(
            app, event, kind, NotificationChannel.SMS, mask_phone(phone), "", message.sms, error
        )
        if row:
            sent.append(row)
    return sent


def notify_case(kind: str, *, application_id: int) -> list[Notification]:
    """Entry point for ``applications.notifications.notify``: send for the case's latest event.

    The office services call ``notify(kind, application_id=...)`` after commit; this sends for
    the newest timeline entry (deduplicated with the signal path by event and channel).
    """
    event = ApplicationEvent.objects.filter(application_id=application_id).order_by("-seq").first()
    return notify_event(event.pk) if event is not None else []
