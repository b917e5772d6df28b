"""Information processing fees (信息处理费): the amount, the notice, payment and expiry.

The office sends the notice and confirms payment; online the applicant only submits a proof
(``applicant_record_payment`` checks it may be recorded; the portal stores it), because the fee
goes to the treasury against a 财政票据 only the office can verify (decision 0502).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.applications.choices import EventKind, FeeBasis, Result
from gongkai.applications.fees import per_application_fee, per_page_fee
from gongkai.applications.models import Application, FeeNotice
from gongkai.applications.services.intake import applicant_keys_of
from gongkai.applications.workflow import WORKFLOW, conclude, notify
from gongkai.core.actors import Actor
from gongkai.workcalendar.rules import DEFAULT_RULES, RuleKey


def fee_amount(
    *, application: Application, basis: str, pages: int | None = None
) -> tuple[int, int]:
    """Return (quantity, amount in 元) of the fee for ``application`` on ``basis``.

    按件: the quantity is the application's rank among the same applicant's applications to this
    agency received in the same calendar month. 按量: the quantity is the number of pages.
    """
    if basis == FeeBasis.PER_PAGE:
        if pages is None or pages < 0:
            raise ValidationError({"pages": "请填写页数。"})
        return pages, per_page_fee(pages)
    month_start = application.received_on.replace(day=1)
    same = Application.objects.filter(
        agency_id=application.agency_id,
        applicant_key__in=applicant_keys_of(application),
        received_on__gte=month_start,
        received_on__lte=application.received_on,
    ).order_by("received_on", "pk")
    rank = list(same.values_list("pk", flat=True)).index(application.pk) + 1
    return rank, per_application_fee(rank)


def fee_notice_send(
    *,
    by: Actor,
    application: Application,
    basis: str,
    sent_on: dt.date,
    received_on: dt.date | None = None,
    pages: int | None = None,
    late: bool = False,
) -> FeeNotice:
    """Send a fee notice (收费通知); the amount follows the fee measure's tiers.

    The notice must be sent within the reply limit. One sent after it is refused, unless the
    office records one that was in fact sent with ``late``: marked 逾期发出, it does not pause
    the expired reply limit (decisions 0101, 1602).
    """
    if basis not in FeeBasis.values:
        raise ValidationError({"basis": "请选择计收方式。"})
    with transaction.atomic():
        with WORKFLOW.perform(application, "send_fee_notice", by=by) as step:
            app = step.obj
            if (
                app.received_on
                < DEFAULT_RULES.get(RuleKey.FEE_PAYMENT_DAYS, sent_on).effective_from
            ):
                raise ValidationError("信息处理费自2021年1月1日起收取。")
            is_late = app.reply_due_on is not None and sent_on > app.reply_due_on
            if is_late and not late:
                raise ValidationError(
                    {
                        "sent_on": "收费通知应当在答复期限内发出（《政府信息公开信息处理费管理办法》），"
                        f"本案答复期限为{app.reply_due_on:%Y年%m月%d日}，已经届满。确已逾期发出的，"
                        "请勾选“逾期发出”登记；逾期发出的收费通知不中止答复期限。"
                    }
                )
            quantity, amount = fee_amount(application=app, basis=basis, pages=pages)
            if amount == 0:
                raise ValidationError("按收费标准本申请无需缴费，不应发出收费通知。")
            received = received_on or sent_on
            notice = FeeNotice.objects.create(
                application=app,
                basis=basis,
                quantity=quantity,
                amount=Decimal(amount),
                sent_on=sent_on,
                received_on=received,
            )
            step.record(
                EventKind.FEE_NOTICE_SENT,
                on=sent_on,
                payload={
                    "fee_notice": notice.pk,
                    "basis": basis,
                    "quantity": quantity,
                    "amount": amount,
                    "received_on": received.isoformat(),
                    **({"late": True} if is_late else {}),
                },
            )
            step.audit_after["amount"] = amount
            notify(app, "fee_notice")
        # The payment limit is known once the step has recomputed the deadlines.
        for item in step.obj.deadlines:
            if item["name"] == "fee_payment" and item.get("due"):
                notice.pay_by = dt.date.fromisoformat(item["due"])
                notice.save(update_fields=["pay_by"])
    return notice


def fee_pay(
    *, by: Actor, application: Application, paid_on: dt.date, receipt_number: str = ""
) -> Application:
    """Record the payment; handling resumes."""
    with WORKFLOW.perform(application, "pay_fee", by=by) as step:
        notice = step.obj.fee_notices.select_for_update().get()
        if paid_on < notice.sent_on:
            raise ValidationError({"paid_on": "缴费日期不能早于收费通知日期。"})
        notice.paid_on = paid_on
        notice.receipt_number = receipt_number
        notice.save(update_fields=["paid_on", "receipt_number"])
        step.record(EventKind.FEE_PAID, on=paid_on, payload={"fee_notice": notice.pk})
    return step.obj


def fee_expire(*, by: Actor, application: Application, on: dt.date) -> Application:
    """Record that the fee was not paid in time: deemed abandoned (row （六）2)."""
    with WORKFLOW.perform(application, "expire_fee", by=by) as step:
        notice = step.obj.fee_notices.select_for_update().get()
        if notice.pay_by is None:
            raise ValidationError(
                {"on": "缴费期限尚未确定（申请人收到收费通知之日不明），不能登记逾期未缴费。"}
            )
        if on <= notice.pay_by:
            raise ValidationError({"on": f"缴费期限至{notice.pay_by:%Y年%m月%d日}，尚未届满。"})
        notice.expired_on = on
        notice.save(update_fields=["expired_on"])
        conclude(step, Result.R6_2, on)
        step.record(EventKind.FEE_EXPIRED, on=on, payload={"fee_notice": notice.pk})
        notify(step.obj, "concluded")
    return step.obj


def applicant_record_payment(
    *, application: Application, paid_on: dt.date, receipt_number: str = ""
) -> None:
    """Check that a payment proof may be recorded now (the case awaits the fee).

    The proof itself (file, date, number) is stored by the portal; the office confirms the
    payment with ``fee_pay`` after checking it. Raises ValidationError when the case is not
    awaiting a fee or the date is impossible.
    """
    app = Application.objects.get(pk=application.pk)
    WORKFLOW.check_status(app, "pay_fee")
    notice = app.fee_notices.order_by("-sent_on", "-pk").first()
    if notice is None:
        raise ValidationError({"paid_on": "本申请没有收费通知。"})
    if paid_on < notice.sent_on:
        raise ValidationError({"paid_on": "缴费日期不能早于收费通知日期。"})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "缴费日期不能晚于今天。"})
    if len(receipt_number) > 60:
        raise ValidationError({"receipt_number": "票据号不能超过60个字符。"})
