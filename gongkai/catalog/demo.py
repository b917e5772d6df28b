"""Demo catalogue: a few thousand realistic items across the demo city, deterministically.

Titles follow real patterns (the shared catalogue data and the seed reports: “关于印发《…》的通知”,
“…管理办法”, “关于废止《…》的决定”, 部门预算/决算, 双公示 records) with the city's own names.
Items are written in bulk (no per-item audit entries: one entry records the demo run).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gongkai.agencies.choices import AgencyKind
from gongkai.agencies.models import Agency
from gongkai.catalog.choices import (
    Channel,
    CountMetric,
    DisclosureAttribute,
    Genre,
    ItemStatus,
    PortalColumn,
    StatutoryItem,
    StructuredKind,
    Validity,
)
from gongkai.catalog.deadlines import publication_delay
from gongkai.catalog.index_numbers import INDEX_NUMBERS, format_index_number
from gongkai.catalog.models import (
    CatalogItem,
    Category,
    CleanupDecision,
    PeriodicCount,
)
from gongkai.core.audit import record_audit
from gongkai.core.counters import next_value
from gongkai.workcalendar.selectors import get_calendar

SEED = 2026
YEARS = (2021, 2022, 2023, 2024, 2025)
TOPICS = [
    ("政务公开", "综合政务"), ("政务舆情回应", "综合政务"), ("政府网站建设管理", "综合政务"),
    ("优化营商环境", "国民经济管理、国有资产监管"), ("重大建设项目管理", "国民经济管理、国有资产监管"),
    ("财政资金管理", "财政、金融、审计"), ("预算绩效管理", "财政、金融、审计"),
    ("耕地保护", "国土资源、能源"), ("农村人居环境整治", "农业、林业、水利"),
    ("高标准农田建设", "农业、林业、水利"), ("河湖长制", "农业、林业、水利"),
    ("防汛抗旱", "农业、林业、水利"), ("中小企业发展", "工业、交通"), ("公共交通发展", "工业、交通"),
    ("促进消费", "商贸、海关、旅游"), ("全域旅游发展", "商贸、海关、旅游"),
    ("食品安全", "市场监管、安全生产监管"), ("安全生产", "市场监管、安全生产监管"),
    ("城镇老旧小区改造", "城乡建设、环境保护"), ("生态环境保护", "城乡建设、环境保护"),
    ("农村危房改造", "城乡建设、环境保护"), ("义务教育均衡发展", "科技、教育"),
    ("科技创新", "科技、教育"), ("公共文化服务", "文化、广电、新闻出版"),
    ("全民健身", "卫生、体育"), ("基层医疗卫生服务", "卫生、体育"),
    ("妇女儿童发展", "人口与计划生育、妇女儿童工作"), ("就业创业", "劳动、人事、监察"),
    ("社会保险", "劳动、人事、监察"), ("法治政府建设", "公安、安全、司法"),
    ("养老服务体系建设", "民政、扶贫、救灾"), ("最低生活保障", "民政、扶贫、救灾"),
    ("乡村振兴", "民政、扶贫、救灾"), ("自然灾害救助", "民政、扶贫、救灾"),
]  # fmt: skip
POLICY_TITLES = [
    ("关于印发《{city}{topic}实施方案》的通知", Genre.NOTICE),
    ("关于进一步做好{topic}工作的通知", Genre.NOTICE),
    ("关于做好{year}年{topic}工作的通知", Genre.NOTICE),
    ("关于加快推进{topic}的实施意见", Genre.OPINION),
    ("{city}{topic}管理办法", Genre.MEASURES),
    ("{city}{topic}若干规定", Genre.PROVISIONS),
    ("{city}{topic}“十四五”规划", Genre.PLAN),
    ("{city}{year}年{topic}工作要点", Genre.WORK_PLAN),
]
SUBJECTS = ["临江市某某建材有限公司", "临江市某某餐饮店", "临江市某某物流有限公司", "某某农业专业合作社",
            "临江市某某医疗器械经营部", "某某建筑工程有限公司", "临江市某某超市"]  # fmt: skip
LICENCES = ["建设工程规划许可", "食品经营许可", "道路运输经营许可", "取水许可", "医疗机构执业登记",
            "建筑工程施工许可", "排污许可"]  # fmt: skip
BODY = (
    "<p>各有关单位：</p><p>为深入贯彻落实《中华人民共和国政府信息公开条例》，推进{topic}工作，"
    "结合本地实际，现就有关事项通知如下。</p><p>一、明确工作目标。到{year}年底，{topic}工作机制进一步健全。</p>"
    "<p>二、压实工作责任。各单位主要负责同志要亲自部署，确保各项任务落到实处。</p>"
    "<p>三、加强督促检查。执行中遇到的问题，请及时向{agency}反映。</p>"
)


def _written(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 3) + dt.timedelta(days=rng.randrange(0, 350))


def _guide(agency: Any, today: dt.date) -> dict[str, Any]:
    """The unit's 政府信息公开指南 as a document of the 政府信息公开制度 column: revised this year
    by most units, last year by every fifth (so the scorecard has some to mark down)."""
    this_year = agency.pk % 5 != 0
    written = min(dt.date(today.year, 1, 20), today) if this_year else dt.date(today.year - 1, 2, 6)
    guide = reverse("portal:guide", args=[agency.pk])
    return {
        "written_on": written, "lag": 2, "genre": Genre.PROVISIONS, "keywords": "政府信息公开 指南",
        "portal_column": PortalColumn.RULES, "statutory_item": StatutoryItem.OTHER,
        "summary": f"向公众说明{agency.name}政府信息公开的范围、方式、程序和监督途径。",
        "body": "".join(f"<p>{escape(line)}</p>" for line in GUIDE_LINES)
        + f'<p>本机关的办公地址、办公时间、联系方式等最新信息，见<a href="{guide}">网上指南</a>。</p>',
    }  # fmt: skip


GUIDE_LINES = (
    "一、主动公开：本机关依照《中华人民共和国政府信息公开条例》第十九条、第二十条的规定，通过政府网站、"
    "政务新媒体、政府公报等途径主动公开政府信息，自信息形成或者变更之日起20个工作日内公开。",
    "二、依申请公开：公民、法人或者其他组织可以通过网上、信函、当面等方式提出政府信息公开申请；"
    "本机关能够当场答复的当场答复，不能当场答复的自收到申请之日起20个工作日内答复。",
    "三、监督和救济：申请人认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者"
    "政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
)


def _annual_report_bodies(items: list[CatalogItem]) -> None:
    """Give each annual-report document a body: what the year's record shows for the agency
    (its published items that year in this catalogue), section by section."""
    published: dict[tuple[int, int], int] = defaultdict(int)
    for item in items:
        if item.portal_column != PortalColumn.ANNUAL_REPORT and item.published_on is not None:
            published[(item.agency_id, item.published_on.year)] += 1
    for item in items:
        if item.portal_column != PortalColumn.ANNUAL_REPORT or item.body:
            continue
        year = int(item.title.rsplit("年政府信息公开工作年度报告", 1)[0][-4:])
        name = item.agency.name
        item.body = "".join(
            f"<p>{escape(line)}</p>"
            for line in (
                "一、总体情况",
                f"{year}年，{name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
                "健全政府信息公开工作机制，推进决策、执行、管理、服务、结果公开。",
                "二、主动公开政府信息情况",
                f"全年在政府信息公开目录中主动公开政府信息{published[(item.agency_id, year)]}条。",
                "三、收到和处理政府信息公开申请情况",
                "收到和处理政府信息公开申请的情况，按年度报告格式的统计表填报。",
                "四、存在的主要问题及改进情况",
                "政策解读的形式还不够丰富。下一步将加强解读与文件同步发布，提升公开质量。",
            )
        )


def build_catalog_demo(*, stdout: Any = None) -> int:
    """Create the demo catalogue (only into an empty catalogue); return the number of items."""
    if CatalogItem.objects.exists():
        return 0
    agencies = list(Agency.objects.active().order_by("path"))
    if not agencies:
        return 0
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    cats = {c.name: c for c in Category.objects.filter(scheme__is_subject=True, parent=None)}
    city_name = "临江市"
    serials: dict[tuple[int, int], int] = defaultdict(int)
    items: list[CatalogItem] = []
    links: list[tuple[int, int]] = []  # (interpretation index, document index)
    today = timezone.localdate()
    calendar = get_calendar()

    def add(agency: Any, year: int, title: str, **values: Any) -> int:
        written = values.pop("written_on", None) or _written(rng, year)
        lag = values.pop("lag", None)
        if lag is None:
            lag = rng.choice([0, 1, 2, 3, 5, 7, 10, 14, 21, 35]) if rng.random() < 0.97 else 60
        published = min(written + dt.timedelta(days=lag), today)
        serials[(agency.pk, published.year)] += 1
        delay = publication_delay(written, published, calendar)
        item = CatalogItem(
            agency=agency,
            title=title[:300],
            index_number=format_index_number(
                agency, published.year, serials[(agency.pk, published.year)]
            ),
            written_on=written,
            published_on=published,
            published_year=published.year,
            published_at=timezone.make_aware(
                dt.datetime.combine(published, dt.time(9, rng.randrange(60)))
            ),
            status=ItemStatus.PUBLISHED,
            disclosure_attribute=DisclosureAttribute.PROACTIVE,
            channels=[Channel.WEBSITE] + ([Channel.WECHAT] if rng.random() < 0.3 else []),
            publish_delay_days=delay.working_days if delay else None,
            is_late=bool(delay and delay.late),
            delay_provisional=bool(delay and delay.provisional),
            source_note="演示数据",
            **values,
        )
        items.append(item)
        return len(items) - 1

    normative_idx: list[int] = []
    for agency in agencies:
        short = agency.short_name or agency.name
        is_gov = agency.kind == AgencyKind.GOVERNMENT
        abbr = short.replace("市", "").replace("区", "").replace("县", "")[:2]
        n_policies = 6 if is_gov else 3
        for year in YEARS:
            for _ in range(n_policies):
                topic, cat = rng.choice(TOPICS)
                pattern, genre = rng.choice(POLICY_TITLES)
                normative = genre in (Genre.MEASURES, Genre.PROVISIONS) or rng.random() < 0.15
                serial = rng.randrange(1, 120)
                idx = add(
                    agency, year,
                    pattern.format(city=city_name, topic=topic, year=year),
                    summary=f"{short}印发的{topic}相关文件。",
                    body=BODY.format(topic=topic, year=year, agency=agency.name),
                    doc_number=f"临{abbr}{'规' if normative else '发'}〔{year}〕{serial}号",
                    category=cats.get(cat), genre=genre,
                    keywords=f"{topic} {Genre(genre).label}",
                    statutory_item=StatutoryItem.RULES if normative else (
                        StatutoryItem.PLANS if genre in (Genre.PLAN, Genre.WORK_PLAN) else StatutoryItem.OTHER
                    ),
                    structured_kind=StructuredKind.NORMATIVE if normative else "",
                )  # fmt: skip
                if normative:
                    normative_idx.append(idx)
                    if rng.random() < 0.5:
                        doc = items[idx]
                        j = add(
                            agency, year, f"《{doc.title.removeprefix('关于印发').removesuffix('的通知')}》政策解读",
                            written_on=doc.written_on, summary=f"解读{doc.title}的出台背景、主要内容和实施要求。",
                            body=f"<p>一、出台背景</p><p>二、主要内容</p><p>三、{topic}的实施要求</p>",
                            category=doc.category, genre=Genre.INTERPRETATION, keywords=f"{topic} 政策解读",
                            statutory_item=StatutoryItem.RULES,
                        )  # fmt: skip
                        links.append((j, idx))
            for kind, label in (("预算", Genre.BUDGET), ("决算", Genre.FINAL_ACCOUNTS)):
                add(
                    agency, year, f"{agency.name}{year if kind == '预算' else year - 1}年部门{kind}",
                    written_on=dt.date(year, 2 if kind == "预算" else 8, 10),
                    summary=f"{agency.name}部门{kind}及“三公”经费{kind}情况说明。",
                    body=f"<p>一、部门基本情况</p><p>二、收支{kind}总体情况</p><p>三、“三公”经费{kind}情况</p>",
                    category=cats.get("财政、金融、审计"), genre=label, keywords=f"部门{kind} 三公经费",
                    statutory_item=StatutoryItem.BUDGET,
                )  # fmt: skip
            add(
                agency, year + 1, f"{agency.name}{year}年政府信息公开工作年度报告",
                written_on=dt.date(year + 1, 1, rng.randrange(10, 28)),
                category=cats.get("综合政务"), genre=Genre.REPORT, keywords="政府信息公开 年度报告",
                portal_column=PortalColumn.ANNUAL_REPORT, statutory_item=StatutoryItem.OTHER,
                summary=f"{agency.name}{year}年政府信息公开工作情况。",
            ) if year + 1 <= today.year else None  # fmt: skip
            if not is_gov:
                for _ in range(rng.randrange(2, 6)):
                    subject = rng.choice(SUBJECTS)
                    if rng.random() < 0.6:
                        add(
                            agency, year, f"{rng.choice(LICENCES)}决定公示（{subject}）",
                            category=cats.get("市场监管、安全生产监管"), genre=Genre.RECORD,
                            keywords="双公示 行政许可", statutory_item=StatutoryItem.LICENSING,
                            structured_kind=StructuredKind.LICENSING,
                            summary=f"准予{subject}的行政许可申请。",
                        )  # fmt: skip
                    else:
                        add(
                            agency, year,
                            f"行政处罚决定书（临{abbr}罚〔{year}〕{rng.randrange(1, 400)}号）",
                            category=cats.get("市场监管、安全生产监管"), genre=Genre.RECORD,
                            keywords="双公示 行政处罚", statutory_item=StatutoryItem.PENALTY,
                            structured_kind=StructuredKind.PENALTY,
                            summary=f"对{subject}违法行为作出的行政处罚决定。",
                        )  # fmt: skip
                if rng.random() < 0.3:
                    add(
                        agency, year, f"{year}年{short}行政事业性收费情况公示",
                        category=cats.get("财政、金融、审计"), genre=Genre.RECORD,
                        keywords="行政事业性收费", statutory_item=StatutoryItem.FEES,
                        structured_kind=StructuredKind.FEE,
                        fee_amount=Decimal(rng.randrange(10_000, 2_000_000)),
                    )  # fmt: skip
        if agency.is_disclosure_office or agency.parent_id is None:
            add(
                agency, 2021, f"{agency.name}政府信息公开工作制度",
                category=cats.get("综合政务"), genre=Genre.PROVISIONS, keywords="政府信息公开 制度",
                portal_column=PortalColumn.RULES, statutory_item=StatutoryItem.OTHER,
                body="<p>第一条　为规范本机关政府信息公开工作，制定本制度。</p><p>第二条　主动公开的政府信息自形成或者变更之日起20个工作日内公开。</p>",
            )  # fmt: skip

    for agency in agencies:  # after the loop: the random sequence above stays as it was
        add(agency, today.year, f"{agency.name}政府信息公开指南", **_guide(agency, today))
    _annual_report_bodies(items)

    with transaction.atomic():
        CatalogItem.objects.bulk_create(items, batch_size=500)
        through = CatalogItem.interprets.through
        through.objects.bulk_create(
            [
                through(from_catalogitem_id=items[j].pk, to_catalogitem_id=items[i].pk)
                for j, i in links
            ],
            batch_size=500,
        )
        for (agency_id, year), n in serials.items():
            next_value(INDEX_NUMBERS, agency=agency_id, year=year, count=0, floor=n)
        city = agencies[0]
        old_docs = [
            items[i]
            for i in normative_idx
            if (on := items[i].published_on) is not None and on.year <= 2022
        ][:40]
        decision = CleanupDecision.objects.create(
            agency=city, title="临江市人民政府关于公布规范性文件清理结果的决定",
            doc_number="临府〔2024〕12号", decided_on=dt.date(2024, 6, 28),
        )  # fmt: skip
        CatalogItem.objects.filter(pk__in=[d.pk for d in old_docs]).update(
            validity=Validity.REPEALED, abolished_on=decision.decided_on, cleanup=decision
        )
        counts = []
        for agency in agencies:
            if agency.kind == AgencyKind.GOVERNMENT:
                continue
            for year in YEARS:
                counts.append(PeriodicCount(
                    agency=agency, year=year, kind=StructuredKind.LICENSING,
                    metric=CountMetric.DECISIONS, value=Decimal(rng.randrange(20, 900)),
                    source="行政审批系统年度导出",
                ))  # fmt: skip
        PeriodicCount.objects.bulk_create(counts)
        record_audit(
            action="catalog.demo",
            target_repr="演示目录数据",
            after={"items": len(items), "interpretations": len(links), "abolished": len(old_docs)},
        )
    if stdout is not None:
        stdout.write(
            f"已生成演示目录：{len(items)} 条（政策解读 {len(links)} 条，已废止 {len(old_docs)} 件）。"
        )
    return len(items)
