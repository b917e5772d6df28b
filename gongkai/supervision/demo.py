"""Demo 督办 for the demo city: town staff, a few late cases, and 督办单 in every state.

Small and fast: five cases and three orders, and one budget published late under the default
event-tied column rule. Leaves one overdue case of 沙洲镇 without a
督办单, so that a visitor can issue one (``bgs_handler``) and answer it (``shazhou_handler``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.accounts.services import membership_grant, user_create
from gongkai.agencies.models import Agency
from gongkai.applications.choices import ApplicantType, Channel, IdDocumentType
from gongkai.applications.identity import id_check_char
from gongkai.applications.services import ApplicantData, application_register
from gongkai.catalog.choices import Genre, ReviewResult, StatutoryItem
from gongkai.catalog.models import Category
from gongkai.catalog.services import item_approve, item_create, item_review, item_submit
from gongkai.core.actors import SYSTEM
from gongkai.supervision import services
from gongkai.supervision.choices import Outcome, Source
from gongkai.supervision.models import Order
from gongkai.supervision.planning import task_create, task_report

PASSWORD = "Gongkai-demo-2026"  # noqa: S105 - the demo city's printed password
#: (username, full name, agency name suffix, role)
TOWN_STAFF = [
    ("shazhou_handler", "沙洲镇经办人", "沙洲镇人民政府", Role.HANDLER),
    ("shazhou_head", "沙洲镇负责人", "沙洲镇人民政府", Role.HEAD),
    ("shiqiao_handler", "石桥镇经办人", "石桥镇人民政府", Role.HANDLER),
]
#: (agency name suffix, calendar days before today the request arrived, what is asked)
CASES = [
    ("沙洲镇人民政府", 50, "2025年沙洲镇农村危房改造补助资金发放名单"),
    ("沙洲镇人民政府", 24, "沙洲镇2025年度防汛物资采购合同"),
    ("石桥镇人民政府", 45, "石桥镇垃圾中转站选址论证材料"),
    ("石桥镇人民政府", 20, "石桥镇2025年低保对象评审会议记录"),
]


def _agency(suffix: str) -> Agency | None:
    return Agency.objects.filter(name__endswith=suffix, is_active=True).order_by("path").first()


def _user(username: str, full_name: str, agency: Agency, role: str) -> User:
    user = User.objects.filter(username=username).first() or user_create(
        by=SYSTEM, username=username, password=PASSWORD, full_name=full_name
    )
    membership_grant(by=SYSTEM, user=user, agency=agency, role=role, includes_subagencies=False)
    return user


def _applicant(n: int) -> ApplicantData:

    first17 = f"439901198{n}0612{n:03d}"
    return ApplicantData(
        applicant_type=ApplicantType.PERSON,
        name=f"陈{'明华杰伟'[n % 4]}",
        id_document_type=IdDocumentType.ID_CARD,
        id_number=first17 + id_check_char(first17),
        phone=f"1390799{n:04d}",
        address="临江市江南区",
    )


def build_supervision_demo(*, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Add the demo 督办 to the demo city (once); return the new logins (name, role)."""
    today = today or timezone.localdate()
    office = Agency.objects.filter(
        is_disclosure_office=True, parent__parent__isnull=True, is_active=True
    ).first()
    if office is None or Order.objects.exists() or _agency(TOWN_STAFF[0][2]) is None:
        return []
    logins = []
    with transaction.atomic():
        people: dict[str, User] = {}
        for username, full_name, suffix, role in TOWN_STAFF:
            agency = _agency(suffix)
            assert agency is not None  # noqa: S101
            people[suffix + role] = _user(username, full_name, agency, role)
            logins.append((username, f"{agency.short_name or agency.name}·{Role(role).label}"))
        cases: list[Any] = []
        for n, (suffix, days, description) in enumerate(CASES, start=1):
            agency = _agency(suffix)
            assert agency is not None  # noqa: S101  (the staff loop above found every town)
            cases.append(
                application_register(
                    by=people[suffix + Role.HANDLER],
                    agency=agency,
                    channel=Channel.IN_PERSON,
                    arrived_on=today - dt.timedelta(days=days),
                    applicant=_applicant(n),
                    description=description,
                )
            )
        shiqiao = cases[2].agency
        bgs = User.objects.filter(username="bgs_handler").first() or SYSTEM
        services.order_issue(
            by=bgs,
            issuer=office,
            agency=shiqiao,
            application=cases[2],
            source=Source.APPLICATION,
            subject=f"申请 {cases[2].registration_number} 超期未答复",
            note="该申请已超过法定答复期限，请立即办理并反馈。",
            deadline=today + dt.timedelta(days=3),
        )
        answered = services.order_issue(
            by=bgs,
            issuer=office,
            agency=cases[3].agency,
            application=cases[3],
            source=Source.APPLICATION,
            subject=f"申请 {cases[3].registration_number} 临近答复期限",
            deadline=today + dt.timedelta(days=5),
        )
        services.order_answer(
            by=people["石桥镇人民政府" + Role.HANDLER],
            order=answered,
            text="已拟写答复，本周内送达。",
        )
        report = _agency("江南区人民政府办公室")
        head = User.objects.filter(username="d01_head").first()
        if report is not None and head is not None and bgs is not SYSTEM:
            done = services.order_issue(
                by=bgs,
                issuer=office,
                agency=report,
                source=Source.REPORT,
                subject="年度报告未按时报送",
                note="请于反馈时限前报送本级政府信息公开工作年度报告。",
                deadline=today + dt.timedelta(days=2),
            )
            services.order_answer(by=head, order=done, text="年度报告已审定并报送。")
            services.order_close(by=bgs, order=done, outcome=Outcome.RESOLVED)
        _tasks(office, people, today)
        _late_budget(today)
    return logins


def _late_budget(today: dt.date) -> None:
    """教育局's budget of this year, published 45 days after it was approved: late under the
    default rule for 预决算 (within 20 working days of the 成文日期, decision 2005)."""
    unit = _agency("教育局")
    category = Category.objects.filter(scheme__is_subject=True, name="财政、金融、审计").first()
    if unit is None or category is None:
        return
    item = item_create(
        by=SYSTEM, agency=unit, title=f"{unit.name}{today.year}年部门预算",
        summary=f"{unit.name}部门预算及“三公”经费预算情况说明。",
        body="<p>一、部门基本情况</p><p>二、收支预算总体情况</p><p>三、“三公”经费预算情况</p>",
        genre=Genre.BUDGET, written_on=today - dt.timedelta(days=45), category=category,
        statutory_item=StatutoryItem.BUDGET, keywords="部门预算 三公经费",
    )  # fmt: skip
    item_submit(by=SYSTEM, item=item)
    item_review(
        by=SYSTEM, item=item, basis="《保密法》及本机关保密事项范围", result=ReviewResult.PASS
    )
    item_approve(by=SYSTEM, item=item)


#: (lead unit suffix, code, task, days from today to the deadline, expected evidence)
TASKS = [
    ("人民政府办公室", "一、1", "编制并发布本级政府信息公开工作年度报告", -250, "年度报告链接"),
    ("财政局", "二、3", "预决算信息在批复后20日内公开", -20, "预算、决算公开目录信息"),
    (
        "沙洲镇人民政府",
        "三、2",
        "推进基层政务公开标准化规范化，更新公开事项目录",
        20,
        "目录更新链接",
    ),
    ("教育局", "二、7", "做好义务教育招生政策解读", 45, "政策解读链接"),
]


def _tasks(office: Agency, people: dict[str, User], today: dt.date) -> None:
    """This year's 政务公开工作要点, in several states (one overdue, one done)."""

    bgs = User.objects.filter(username="bgs_handler").first()
    for suffix, code, text, days, evidence in TASKS:
        lead = office if suffix == "人民政府办公室" else _agency(suffix)
        if lead is None:
            continue
        task = task_create(
            by=SYSTEM,
            issuer=office,
            agency=lead,
            year=today.year,
            code=code,
            text=text,
            deadline=today + dt.timedelta(days=days),
            evidence_expected=evidence,
        )
        if lead == office and bgs is not None:
            task_report(
                by=bgs, task=task, text="年度报告已于3月发布。", done=True,
                evidence="/reports/",
            )  # fmt: skip
