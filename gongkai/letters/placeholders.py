"""Placeholders of letter templates: the restricted engine, validation and the case context.

Templates are rendered by a Django template ``Engine`` of their own: no template loaders (so
``{% include %}``/``{% extends %}`` cannot read files), no extra tag libraries, autoescape off
because the output is plain text (the PDF and the office preview escape it when they put it
into HTML; DOCX runs are XML-escaped by python-docx). Saving a template checks that it only
uses the tags in ``ALLOWED_TAGS`` and the variables in ``PLACEHOLDERS``. The context holds
strings (and ``items``, a list of dicts of strings) only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from gongkai.agencies.choices import AgencyKind
from gongkai.applications.choices import ApplicantType, EventKind, result_short_label
from gongkai.applications.deadlines import longer_deadline_decision
from gongkai.letters.choices import LetterKind
from gongkai.responses.selectors import letter_context

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency
    from gongkai.applications.models import Application

ENGINE = Engine(
    dirs=[],
    app_dirs=False,
    loaders=[],
    libraries={},
    autoescape=False,
    debug=False,
    string_if_invalid="",
)

ALLOWED_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "firstof", "comment", "endcomment"}
)


@dataclass(frozen=True)
class Placeholder:
    """A variable templates may use; ``fact`` ones are typed in by the officer when issuing."""

    name: str
    label: str
    fact: str = ""  # "", "text", "textarea" or "date"


PLACEHOLDERS: dict[str, Placeholder] = {
    p.name: p
    for p in [
        Placeholder("applicant", "申请人姓名或名称"),
        Placeholder("registration_number", "受理编号"),
        Placeholder("received_on", "收到申请日期"),
        Placeholder("request", "申请获取的政府信息"),
        Placeholder("items", "申请事项及处理结果（列表：description, decision, reason）"),
        Placeholder("result", "办理结果"),
        Placeholder("delivery", "获取信息的方式"),
        Placeholder("requested_form", "所需信息的载体形式"),
        Placeholder("agency", "本机关名称"),
        Placeholder("agency_phone", "本机关联系电话"),
        Placeholder("agency_address", "本机关地址"),
        Placeholder("review_body", "行政复议机关"),
        Placeholder("issued_on", "成文日期"),
        Placeholder("reply_due_on", "答复期限"),
        Placeholder("extension_days", "延长的工作日数"),
        Placeholder("correction_requested_on", "补正告知日期"),
        Placeholder("fee_basis", "计收方式"),
        Placeholder("fee_quantity", "计费数量"),
        Placeholder("fee_standard", "收费标准"),
        Placeholder("fee_amount", "应缴金额（元）"),
        Placeholder("fee_article", "收费办法条款"),
        Placeholder("fee_sent_on", "收费通知日期"),
        Placeholder("fee_pay_by", "缴费期限", "date"),
        Placeholder("reasons", "理由和依据", "textarea"),
        Placeholder("correction_content", "需要补正的事项", "textarea"),
        Placeholder("correction_period_ends_on", "补正期限", "date"),
        Placeholder("extension_reason", "延期理由", "textarea"),
        Placeholder("published_at", "已公开的位置或获取途径", "text"),
        Placeholder("responsible_agency", "负责公开的行政机关", "text"),
        Placeholder("responsible_agency_contact", "该机关联系方式", "text"),
        Placeholder("earlier_reply", "此前答复（日期、文号）", "text"),
        Placeholder("recipient", "主送（被征求意见方）", "text"),
        Placeholder("consultation_subject", "征求意见的信息", "text"),
        Placeholder("consultation_answer_due", "征求意见答复期限", "date"),
        Placeholder("you", "对申请人的称谓（您／贵单位）"),
        Placeholder("disclosure_content", "决定公开的政府信息内容", "textarea"),
        Placeholder("disclosure_reasons", "决定公开的理由", "textarea"),
        Placeholder("payment_method", "缴费方式", "text"),
        Placeholder("volume_facts", "申请数量、频次情况", "textarea"),
        Placeholder("reasons_due_on", "说明理由期限", "date"),
        Placeholder("reasons_requested_on", "要求说明理由日期", "date"),
        Placeholder("longer_deadline_decided_on", "确定合理期限的决定日期"),
        Placeholder("longer_deadline_reason", "确定延迟答复合理期限的情况说明", "textarea"),
        Placeholder("withheld", "区分处理说明（由答复材料的遮盖标记生成）"),
        Placeholder("provided", "提供的答复材料（文件名和页数）"),
    ]
}

FACT_NAMES = tuple(name for name, p in PLACEHOLDERS.items() if p.fact)

_TAG = re.compile(r"{%-?\s*(\w+)")
_VAR = re.compile(r"{{-?\s*([A-Za-z_]\w*)")
_LOOP = re.compile(r"{%\s*for\s+(\w+)(?:\s*,\s*(\w+))?\s+in\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cn_date(value: dt.date | None) -> str:
    """Format a date for people: ``2026年3月16日`` (empty for None)."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def inline(value: Any) -> str:
    """Text quoted inside a sentence: line breaks become spaces (no paragraph inside quotes)."""
    return re.sub(r"\s*\n\s*", " ", str(value or "")).strip()


def clean_text(value: Any) -> str:
    """Return ``value`` as text without control characters (they break DOCX XML)."""
    return _CONTROL.sub("", str(value or "")).strip()


def used_placeholders(source: str) -> set[str]:
    """Return the placeholder names a template text refers to."""
    return set(_VAR.findall(source))


def validate_template_source(source: str, *, field: str = "body") -> None:
    """Raise ValidationError unless ``source`` parses and uses only allowed tags and variables."""
    errors: list[str] = []
    for tag in sorted(set(_TAG.findall(source)) - ALLOWED_TAGS):
        errors.append(_("不允许使用模板标签 {%% %(tag)s %%}。") % {"tag": tag})
    loop_vars = {"forloop"}
    for a, b in _LOOP.findall(source):
        loop_vars.update(v for v in (a, b) if v)
    for name in sorted(used_placeholders(source) - set(PLACEHOLDERS) - loop_vars):
        errors.append(_("未知的占位符 {{ %(name)s }}。") % {"name": name})
    if not errors:
        try:
            ENGINE.from_string(source)
        except TemplateSyntaxError as exc:
            errors.append(_("模板语法错误：%(error)s") % {"error": exc})
    if errors:
        raise ValidationError({field: errors})


def render_source(source: str, context: dict[str, Any]) -> str:
    """Render a template text with the restricted engine and context."""
    return ENGINE.from_string(source).render(Context(context, autoescape=False))


def default_review_body(agency: Agency) -> str:
    """The usual 行政复议机关: a department's own government; a government's parent government.

    (行政复议法 2023 第二十四条; vertically managed departments set it in the agency settings.)
    """
    if agency.kind == AgencyKind.GOVERNMENT:
        if agency.parent is not None:
            return agency.parent.government().name
        return "上一级人民政府"
    return agency.government().name


FEE_STANDARDS = {
    "PER_APPLICATION": (
        "第四条",
        "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，"
        "按100元/件收取；31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件",
    ),
    "PER_PAGE": (
        "第五条",
        "30页以下（含30页）的，不收费；31—100页（含100页）的部分，按10元/页收取；"
        "101—200页（含200页）的部分，按20元/页收取；200页以上的部分，按40元/页收取",
    ),
}


def _amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}"


def case_context(
    *,
    application: Application,
    agency: Agency,
    review_body: str,
    issued_on: dt.date,
    facts: dict[str, Any] | None = None,
    consultation: Any = None,
    fee_notice: Any = None,
) -> dict[str, Any]:
    """Return the placeholder values for a letter of ``application`` (strings only).

    Values typed in by the officer (``facts``) take precedence over those read from the case.
    """
    app = application
    ctx: dict[str, Any] = {
        "applicant": app.applicant_name,
        "registration_number": app.registration_number,
        "received_on": cn_date(app.received_on),
        "request": inline(app.description),
        "you": "您" if app.applicant_type == ApplicantType.PERSON else "贵单位",
        "result": result_short_label(app.result or app.proposed_result)
        if (app.result or app.proposed_result)
        else "",
        "delivery": app.get_requested_delivery_display() if app.requested_delivery else "",
        "requested_form": app.get_requested_form_display() if app.requested_form else "",
        "agency": agency.name,
        "agency_phone": agency.phone,
        "agency_address": agency.address,
        "review_body": review_body,
        "issued_on": cn_date(issued_on),
        "reply_due_on": cn_date(app.reply_due_on),
        "extension_days": str(app.extension_days or ""),
        "extension_reason": app.extension_reason,
        "correction_requested_on": cn_date(app.correction_requested_on),
        "correction_content": app.correction_content,
        "correction_period_ends_on": cn_date(app.correction_period_ends_on),
        "reasons": app.reply_summary,
        "items": [
            {
                "description": inline(item.description),
                "decision": result_short_label(item.decision) if item.decision else "",
                "reason": item.reason,
            }
            for item in app.items.all()
        ],
    }
    if app.pk:
        ctx.update(article_35_context(app))

        ctx.update(letter_context(app))
    if consultation is not None:
        ctx["recipient"] = consultation.party_name
        ctx["consultation_subject"] = inline(consultation.subject)
        ctx["consultation_answer_due"] = cn_date(consultation.answer_due_on)
        ctx.update(third_party_notice_context(app, consultation))
    if fee_notice is None and app.pk:
        fee_notice = app.fee_notices.order_by("-sent_on", "-id").first()
    if fee_notice is not None:
        article, standard = FEE_STANDARDS.get(fee_notice.basis, ("", ""))
        per_page = fee_notice.basis == "PER_PAGE"
        ctx.update(
            {
                "fee_basis": fee_notice.get_basis_display(),
                "fee_quantity": f"{fee_notice.quantity}页"
                if per_page
                else f"第{fee_notice.quantity}件",
                "fee_standard": standard,
                "fee_article": article,
                "fee_amount": _amount(fee_notice.amount),
                "fee_sent_on": cn_date(fee_notice.sent_on),
                "fee_pay_by": cn_date(fee_notice.pay_by),
            }
        )
    for name, value in (facts or {}).items():
        if name not in FACT_NAMES or value in (None, ""):
            continue
        ctx[name] = cn_date(value) if isinstance(value, dt.date) else value
    return _cleaned(ctx)


def third_party_notice_context(application: Application, consultation: Any) -> dict[str, str]:
    """The content and reasons of the recorded 第三十二条 notice to ``consultation``'s party."""
    if not application.pk:
        return {}
    for event in application.events.filter(kind=EventKind.THIRD_PARTY_NOTIFIED).order_by("-seq"):
        if event.payload.get("consultation") == consultation.pk:
            return {
                "disclosure_content": event.payload.get("content", ""),
                "disclosure_reasons": event.payload.get("reasons", ""),
            }
    return {}


def article_35_context(application: Application) -> dict[str, str]:
    """Placeholder values of the 第三十五条 letters read from the case.

    ``reasons_requested_on``: the date of the latest 说明理由告知书 issued on the platform;
    ``longer_deadline_decided_on``: the date of the head's decision (the new reply limit itself
    is ``reply_due_on``, computed by the clock). The head's note is not put into the letter by
    default: the issue form offers it for editing (``longer_deadline_reason``).
    """
    # Cycle: letters.selectors imports this module (default_review_body).
    from gongkai.letters.selectors import latest_letter

    ctx: dict[str, str] = {}
    request = latest_letter(application=application, kind=LetterKind.REASONS_REQUEST)
    if request is not None:
        ctx["reasons_requested_on"] = cn_date(request.issued_on)
    decision = longer_deadline_decision(application)
    if decision is not None:
        ctx["longer_deadline_decided_on"] = cn_date(decision[0])
    return ctx


def _cleaned(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return clean_text(value)


def sample_context() -> dict[str, Any]:
    """Placeholder values for previews of a template without a case."""
    ctx: dict[str, Any] = {name: f"〔{p.label}〕" for name, p in PLACEHOLDERS.items()}
    ctx["items"] = [
        {"description": "〔申请事项一〕", "decision": "予以公开", "reason": ""},
        {"description": "〔申请事项二〕", "decision": "属于国家秘密", "reason": "〔理由〕"},
    ]
    return ctx
