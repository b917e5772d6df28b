"""The demo city's record of applications: 2025 and the current year, deterministic (a seed).

Two paths, both the platform's own services:

* the bulk of the record — about 1,100 concluded and open cases across the whole tree — goes in
  through the 台账 import service (``ledger_import_rows``), the path an agency uses to bring its
  history onto the platform: every result of table 三 with each sub-reason, 补正, extensions,
  cases carried over from 2025 into the current year, open and overdue ones;
* the cases in the demo handlers' queues walk through the case services step by step
  (registration, draft, 补正, consultation, fee notice, review, approval, delivery, closing,
  transfer, withdrawal), and reviews and lawsuits are recorded on concluded cases.

Topics follow each agency's remit (no 食品经营许可 at the construction bureau).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.choices import AgencyKind
from gongkai.agencies.credit_code import make_credit_code
from gongkai.agencies.models import Agency
from gongkai.applications import services as s
from gongkai.applications.choices import (
    ApplicantType,
    Channel,
    ConsultationParty,
    DeliveryMethod,
    FeeBasis,
    IdDocumentType,
    LawsuitKind,
    Result,
    ReviewResult,
)
from gongkai.applications.identity import id_check_char
from gongkai.applications.models import Application
from gongkai.core.actors import SYSTEM
from gongkai.ledger import columns as col
from gongkai.ledger.services import ledger_import_rows

SEED = 2026
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩"
PLACES = ("东湖村", "西山街道", "南城社区", "北关镇", "江滨路", "老城区", "滨江新区", "开发区")
ORG_SUFFIX = {
    ApplicantType.BUSINESS: ("建设有限公司", "置业有限公司", "贸易有限公司", "科技有限公司"),
    ApplicantType.RESEARCH: ("规划设计研究院", "农业科学研究所"),
    ApplicantType.PUBLIC_INTEREST: ("环保公益基金会", "志愿者协会"),
    ApplicantType.LEGAL_SERVICE: ("律师事务所",),
    ApplicantType.OTHER_ORG: ("村民委员会", "业主委员会"),
}
#: 申请人类型 as real reports show them: mostly 自然人.
TYPES = [
    (ApplicantType.PERSON, 82),
    (ApplicantType.BUSINESS, 8),
    (ApplicantType.RESEARCH, 1),
    (ApplicantType.PUBLIC_INTEREST, 2),
    (ApplicantType.LEGAL_SERVICE, 5),
    (ApplicantType.OTHER_ORG, 2),
]
CHANNELS = [("网络", 48), ("信函", 28), ("当面", 16), ("电子邮件", 6), ("传真", 2)]
#: 办理结果 weights close to published reports (予以公开 and 不掌握 lead).
RESULT_WEIGHTS = {
    Result.R1_OPEN: 36,
    Result.R2_PARTIAL: 10,
    Result.R4_1: 20,
    Result.R4_2: 4,
    Result.R5_1: 5,
    Result.R5_2: 3,
    Result.R3_4: 3,
    Result.R3_6: 3,
}
#: What people ask each kind of agency for (matched on the agency's name, first match wins).
TOPICS: list[tuple[str, tuple[str, ...]]] = [
    (
        "住房和城乡建设",
        (
            "建设工程施工许可证",
            "房屋征收补偿方案",
            "保障性住房分配名单",
            "老旧小区改造工程验收资料",
        ),
    ),
    (
        "自然资源",
        (
            "集体土地征收批复",
            "国有建设用地使用权出让合同",
            "建设用地规划许可证",
            "国土空间总体规划",
        ),
    ),
    ("公安", ("行政处罚决定书", "道路交通事故认定书", "户籍迁移审批依据")),
    (
        "教育",
        (
            "义务教育学区划分方案",
            "学校新建项目可行性研究报告",
            "民办学校办学许可证",
            "教师招聘考试成绩",
        ),
    ),
    ("人力资源和社会保障", ("工伤认定决定书", "社会保险基金收支情况", "事业单位公开招聘成绩")),
    ("财政", ("部门预算和决算", "专项资金分配明细", "政府采购合同")),
    ("卫生健康", ("医疗机构执业许可证", "公共卫生项目资金使用情况", "医疗纠纷处理依据")),
    ("市场监督管理", ("食品安全抽检结果", "食品经营许可证", "行政处罚决定书")),
    ("生态环境", ("建设项目环境影响评价批复", "排污许可证", "环境空气质量监测数据")),
    ("交通运输", ("道路改造工程招标文件", "公交线路调整方案", "出租车经营权配置方案")),
    ("水利", ("河道整治工程验收报告", "水库移民后期扶持资金发放情况", "取水许可证")),
    (
        "农业农村",
        ("耕地地力保护补贴发放名单", "高标准农田建设项目验收资料", "农村土地承包经营权登记资料"),
    ),
    ("民政", ("最低生活保障资金发放名单", "养老机构备案材料", "社会组织登记资料")),
    ("发展和改革", ("建设项目立项批复", "价格听证会材料", "重点项目投资计划")),
    ("司法", ("行政复议决定书", "法律援助经费使用情况")),
    ("审计", ("预算执行审计报告", "审计整改情况")),
    ("统计", ("统计调查制度", "国民经济和社会发展统计公报数据来源")),
    ("医疗保障", ("医保基金使用情况", "定点医疗机构协议")),
    ("应急管理", ("安全生产事故调查报告", "危险化学品经营许可证")),
    ("商务", ("商贸流通项目补助资金", "外商投资企业备案材料")),
    ("文化广电旅游体育", ("文物保护单位维修方案", "体育场馆建设项目资料")),
    ("科学技术", ("科技计划项目立项名单", "高新技术企业认定资料")),
    ("工业和信息化", ("技术改造专项资金分配", "工业园区规划")),
    ("政府办公室", ("政府常务会议纪要", "重大行政决策事项目录", "政府工作报告数据来源")),
    ("街道", ("社区改造项目资金使用情况", "低保评议结果", "拆迁安置房分配方案")),
    ("镇", ("村集体资金使用情况", "宅基地审批资料", "土地征收补偿款发放明细")),
    ("乡", ("村集体资金使用情况", "危房改造补助名单", "土地征收补偿款发放明细")),
    ("人民政府", ("房屋征收决定", "重大行政决策事项目录", "政府常务会议纪要")),
]
DEFAULT_TOPICS = ("本机关年度预算", "行政许可决定书", "本机关工作规则")


def topics_for(agency: Agency) -> tuple[str, ...]:
    """The subjects people ask ``agency`` about (by its remit)."""
    for key, topics in TOPICS:
        if key in agency.name:
            return topics
    return DEFAULT_TOPICS


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _volume(agency: Agency) -> int:
    """Applications a year: city departments get most, towns few."""
    if agency.kind == AgencyKind.GOVERNMENT:
        return 3 if agency.depth >= 2 else 5
    if agency.depth == 1:  # city departments
        return 16 if any(k in agency.name for k in ("住房", "自然资源", "人力", "公安")) else 10
    return 5


@dataclass
class _Applicant:
    kind: str
    name: str
    identity: str
    phone: str


def _applicant(rng: random.Random) -> _Applicant:
    kind = _weighted(rng, TYPES)
    phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    if kind == ApplicantType.PERSON:
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        first17 = f"439901{birth:%Y%m%d}{rng.randrange(1000):03d}"
        return _Applicant(kind, name, first17 + id_check_char(first17), phone)
    name = "临江市" + rng.choice(PLACES) + rng.choice(ORG_SUFFIX[kind])
    return _Applicant(kind, name, make_credit_code("439900", rng.randrange(10**6)), phone)


def _description(rng: random.Random, agency: Agency, year: int) -> str:
    topic = rng.choice(topics_for(agency))
    place = rng.choice(PLACES)
    return f"请公开{rng.choice((year - 1, year))}年{place}{topic}" + rng.choice(
        ("", "及相关附件", "（含批复文件）", "，以纸质形式邮寄")
    )


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def ledger_rows(agency: Agency, *, rng: random.Random, today: dt.date, results: Any) -> list[dict]:
    """This agency's 2025 and current-year ledger (header-keyed rows, as a 台账 file has them).

    ``results`` yields the next result to use (every table 三 result comes round in turn before
    the weighted mix takes over).
    """
    rows: list[dict] = []
    for year in (2025, today.year):
        start = dt.date(year, 1, 2)
        end = min(dt.date(year, 12, 31), today)
        span = (end - start).days
        for _ in range(_volume(agency) + rng.randrange(3)):
            received = start + dt.timedelta(days=rng.randrange(span))
            who = _applicant(rng)
            age = (today - received).days
            open_case = age < 21 and rng.random() < 0.7 or (age < 60 and rng.random() < 0.04)
            result = None if open_case else next(results)
            replied = None
            if result is not None:
                replied = min(received + dt.timedelta(days=rng.randint(2, 40)), today)
            corrected = None
            if replied and (result == Result.R4_3 or rng.random() < 0.06):
                corrected = received + dt.timedelta(days=rng.randint(0, (replied - received).days))
            rows.append(
                {
                    col.NUMBER: "",
                    col.RECEIVED_ON: _date(received),
                    col.CHANNEL: _weighted(rng, CHANNELS),
                    col.APPLICANT_TYPE: ApplicantType(who.kind).label,
                    col.APPLICANT: who.name,
                    col.DESCRIPTION: _description(rng, agency, year),
                    col.RESULT: col.result_ledger_label(result) if result else "",
                    col.REPLIED_ON: _date(replied),
                    col.ID_NUMBER: who.identity,
                    col.PHONE: who.phone,
                    col.EXTENDED: "是" if replied and (replied - received).days > 28 else "否",
                    col.CORRECTED_ON: _date(corrected),
                }
            )
    return rows


def _result_stream(rng: random.Random) -> Any:
    for result in Result.values:  # each result at least once
        yield Result(result)
    pairs = [(r, RESULT_WEIGHTS.get(Result(r), 1)) for r in Result.values]
    while True:
        yield _weighted(rng, pairs)


def import_ledgers(*, today: dt.date, rng: random.Random) -> int:
    """Every agency's record through the ledger import service; returns the rows imported."""

    results = _result_stream(rng)
    total = 0
    for agency in Agency.objects.filter(is_active=True).order_by("path"):
        rows = ledger_rows(agency, rng=rng, today=today, results=results)
        outcome = ledger_import_rows(
            by=SYSTEM, agency=agency, table=rows, today=today, source="演示台账"
        )
        if not outcome.validation.ok:
            raise RuntimeError(f"{agency.name}: {outcome.validation.errors[:3]}")
        total += outcome.imported
    return total


# -- the demo handlers' queues: cases walked through the services ------------------------------


@dataclass
class Team:
    """The demo staff of one agency (the district offices have no 审核人)."""

    agency: Agency
    handler: User
    head: User
    reviewer: User | None = None


def demo_teams() -> list[Team]:
    """Every agency with a demo 经办人, with its 审核人 and 负责人."""
    teams = []
    for handler in User.objects.filter(username__endswith="_handler").order_by("username"):
        prefix = handler.username.removesuffix("_handler")
        membership = handler.memberships.select_related("agency").first()
        head = User.objects.filter(username=f"{prefix}_head").first()
        if membership is None or head is None:
            continue
        reviewer = User.objects.filter(username=f"{prefix}_reviewer").first()
        teams.append(Team(membership.agency, handler, head, reviewer))
    return teams


class _Walk:
    """Builds cases of one team, each stopped in a given state, dated back from ``today``."""

    def __init__(self, team: Team, today: dt.date, rng: random.Random) -> None:
        self.team, self.today, self.rng = team, today, rng

    def day(self, back: int) -> dt.date:
        return self.today - dt.timedelta(days=back)

    def registered(self, back: int = 3) -> Application:
        who = _applicant(self.rng)
        kind = ApplicantType(who.kind)
        applicant = s.ApplicantData(
            applicant_type=kind,
            name=who.name,
            id_document_type=IdDocumentType.ID_CARD if kind == ApplicantType.PERSON else "",
            id_number=who.identity if kind == ApplicantType.PERSON else "",
            credit_code="" if kind == ApplicantType.PERSON else who.identity,
            phone=who.phone,
            address=f"临江市{self.rng.choice(PLACES)}{self.rng.randint(1, 99)}号",
        )
        channel = self.rng.choice([Channel.IN_PERSON, Channel.ONLINE, Channel.LETTER])
        return s.application_register(
            by=self.team.handler,
            agency=self.team.agency,
            channel=channel,
            arrived_on=self.day(back),
            confirmed_on=None if channel == Channel.IN_PERSON else self.day(back),
            applicant=applicant,
            description=_description(self.rng, self.team.agency, self.today.year),
            handler=self.team.handler,
        )

    def drafted(
        self, back: int = 6, result: str = Result.R1_OPEN, app: Application | None = None
    ) -> Application:
        app = app or self.registered(back)
        return s.application_draft_reply(
            by=self.team.handler,
            application=app,
            decisions=[s.ItemDecision(description=app.description[:60], decision=result)],
        )

    def correction(self, back: int = 8) -> Application:
        return s.application_request_correction(
            by=self.team.handler,
            application=self.registered(back),
            on=self.day(back - 2),
            period_ends_on=self.day(back - 17),
            content="请明确所需信息的文件名称、文号或者其他特征描述。",
        )

    def abandoned(self) -> Application:
        app = s.application_request_correction(
            by=self.team.handler,
            application=self.registered(40),
            on=self.day(38),
            period_ends_on=self.day(23),
            content="请明确所需信息的具体年份和项目名称。",
        )
        return s.application_expire_correction(
            by=self.team.handler, application=app, on=self.day(20)
        )

    def consulting(self) -> Application:
        app = self.registered(9)
        s.consultation_send(
            by=self.team.handler,
            application=app,
            party=ConsultationParty.THIRD_PARTY,
            party_name=f"临江市{self.rng.choice(PLACES)}建设有限公司",
            sent_on=self.day(7),
        )
        return app

    def awaiting_fee(self, paid: bool = False) -> Application:
        app = self.registered(10)
        s.fee_notice_send(
            by=self.team.handler,
            application=app,
            basis=FeeBasis.PER_PAGE,
            sent_on=self.day(8),
            pages=self.rng.choice((150, 260, 420)),
        )
        if paid:
            s.fee_pay(
                by=self.team.handler, application=app, paid_on=self.day(4), receipt_number="FS2026"
            )
        return app

    def in_review(self, back: int = 7, app: Application | None = None) -> Application:
        app = app or self.drafted(back)
        return s.application_submit_for_review(by=self.team.handler, application=app)

    def in_approval(self, back: int = 8, app: Application | None = None) -> Application:
        if self.team.reviewer is None:
            raise ValueError("only teams with a reviewer walk to approval")
        return s.application_review(
            by=self.team.reviewer,
            application=self.in_review(back, app),
            approve=True,
            confidentiality_checked=True,
            legal_checked=True,
            opinion="经保密审查和合法性审查，同意答复。",
        )

    def approved(self, back: int = 9, app: Application | None = None) -> Application:
        return s.application_approve(
            by=self.team.head,
            application=self.in_approval(back, app),
            approve=True,
            opinion="同意。",
        )

    def replied(self) -> Application:
        app = self.approved(14)
        s.application_record_delivery(
            by=self.team.handler,
            application=app,
            method=DeliveryMethod.EMAIL,
            delivered_on=self.today,
        )
        return Application.objects.get(pk=app.pk)

    def closed(self) -> Application:
        app = s.application_approve_extension(
            by=self.team.head,
            application=self.registered(30),
            on=self.day(12),
            days=20,
            reason="需要调取档案核实",
        )
        app = self.approved(app=self.drafted(app=app))
        s.application_record_delivery(
            by=self.team.handler,
            application=app,
            method=DeliveryMethod.POST,
            delivered_on=self.today,
        )
        return s.application_close(
            by=self.team.handler, application=Application.objects.get(pk=app.pk), on=self.today
        )

    def withdrawn(self) -> Application:
        app = self.registered(12)
        return s.application_withdraw(by=self.team.handler, application=app, on=self.day(9))

    def transferred(self, to: Agency) -> Application:
        app = self.registered(5)
        return s.application_transfer(
            by=self.team.handler,
            application=app,
            to_agency=to,
            on=self.day(4),
            reason="该信息由其制作",
        )


def walk_queues(*, today: dt.date, rng: random.Random) -> int:
    """Put open cases in every demo handler's queue (and the reviewers' and heads'); return the
    number of cases made."""
    made = 0
    teams = demo_teams()
    for i, team in enumerate(teams):
        walk = _Walk(team, today, rng)
        steps: list[Callable[[], Any]] = [
            walk.registered,
            partial(walk.registered, 45),  # overdue
            walk.drafted,
            walk.correction,
            walk.consulting,
            walk.awaiting_fee,
            partial(walk.awaiting_fee, paid=True),
        ]
        if team.reviewer is not None:
            other = teams[(i + 1) % len(teams)].agency
            steps += [
                walk.in_review,
                walk.in_approval,
                walk.approved,
                walk.replied,
                walk.closed,
                walk.abandoned,
                walk.withdrawn,
                partial(walk.transferred, other),
            ]
        for step in steps:
            step()
            made += 1
    return made


def record_appeals(*, today: dt.date, rng: random.Random) -> int:
    """Reviews and lawsuits (with outcomes) on concluded cases of the demo teams' agencies."""
    made = 0
    outcomes = [
        ReviewResult.UPHELD,
        ReviewResult.CORRECTED,
        ReviewResult.OTHER,
        ReviewResult.PENDING,
    ]
    for team in demo_teams():
        concluded = Application.objects.filter(
            agency=team.agency, result__isnull=False, received_on__year=2025
        ).order_by("pk")[:3]
        for j, app in enumerate(concluded):
            if app.replied_on is None:  # concluded without a reply (withdrawn): no appeal
                continue
            applied: dt.date = app.replied_on + dt.timedelta(days=20)
            result = outcomes[(made + j) % len(outcomes)]
            review = s.review_save(
                by=team.head,
                application=app,
                body="临江市人民政府",
                applied_on=applied,
                case_number=f"临政复〔2025〕{made + 1}号",
                decided_on=None
                if result == ReviewResult.PENDING
                else applied + dt.timedelta(days=55),
                result=result,
            )
            made += 1
            if j == 0:
                s.lawsuit_save(
                    by=team.head,
                    application=app,
                    kind=LawsuitKind.AFTER_REVIEW,
                    court="临江市江南区人民法院",
                    filed_on=applied + dt.timedelta(days=70),
                    result=ReviewResult.UPHELD,
                    decided_on=min(applied + dt.timedelta(days=160), today),
                    review=review if result != ReviewResult.PENDING else None,
                )
                made += 1
    return made


def build_applications_demo(*, today: dt.date | None = None, seed: int = SEED) -> dict[str, int]:
    """The demo record: ledgers for every agency, the handlers' queues, reviews and lawsuits."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible by design
    return {
        "imported": import_ledgers(today=today, rng=rng),
        "walked": walk_queues(today=today, rng=rng),
        "appeals": record_appeals(today=today, rng=rng),
    }
