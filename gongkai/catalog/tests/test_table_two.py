"""Table 二 selector: labels exactly as spec §4.2, counts from items and periodic counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongkai.catalog.maintenance import cleanup_apply, periodic_count_record
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.table_two import table_two
from gongkai.catalog.tests.factories import make_published
from gongkai.core.actors import SYSTEM

pytestmark = pytest.mark.django_db


def _published(agency, kind, written, published, **extra):
    item = make_published(agency, structured_kind=kind, written_on=written, **extra)
    CatalogItem.objects.filter(pk=item.pk).update(
        published_on=published, published_year=published.year
    )
    return item


def _cells(table):
    return {(b["key"], r["key"]): r["values"] for b in table["blocks"] for r in b["rows"]}


def test_2021_layout_labels_are_exact(tree):
    """Captions, columns and rows of the 2021 (30号) layout, in order."""
    t = table_two(agency=tree.city, year=2025, layout="2021")
    assert [b["caption"] for b in t["blocks"]] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项",
    ]  # fmt: skip
    assert [c["label"] for c in t["blocks"][0]["columns"]] == [
        "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
    ]  # fmt: skip
    assert [r["label"] for b in t["blocks"] for r in b["rows"]] == [
        "规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费",
    ]  # fmt: skip
    assert t["blocks"][1]["columns"][1]["label"] == "本年处理决定数量"
    assert t["blocks"][3]["columns"][1]["label"] == "本年收费金额（单位：万元）"


def test_2019_layout_labels_are_exact(tree):
    """The 2019 (60号) layout keeps 规范性文件, 其他对外管理服务事项 and 政府集中采购."""
    t = table_two(agency=tree.city, year=2020, layout="2019")
    assert [b["caption"] for b in t["blocks"]][-1] == "第二十条第（九）项"
    assert [c["label"] for c in t["blocks"][0]["columns"]] == [
        "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量",
    ]  # fmt: skip
    assert [c["label"] for c in t["blocks"][1]["columns"]] == [
        "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
    ]  # fmt: skip
    assert [r["label"] for b in t["blocks"] for r in b["rows"]] == [
        "规章", "规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚", "行政强制",
        "行政事业性收费", "政府集中采购",
    ]  # fmt: skip
    assert [c["label"] for c in t["blocks"][4]["columns"]] == [
        "信息内容",
        "采购项目数量",
        "采购总金额",
    ]


def test_counts_for_an_agency_and_its_subtree(tree, staff):
    """Issued/abolished/in force, decisions and fees add up over the subtree for the year."""
    y = 2025
    _published(tree.dept_a, "NORMATIVE", dt.date(y, 3, 1), dt.date(y, 3, 5))
    _published(tree.dept_a, "NORMATIVE", dt.date(y - 1, 3, 1), dt.date(y - 1, 3, 5))
    old = _published(tree.dept_a, "NORMATIVE", dt.date(y - 2, 3, 1), dt.date(y - 2, 3, 5))
    _published(tree.district_dept, "REGULATION", dt.date(y, 5, 1), dt.date(y, 5, 8))
    for _ in range(3):
        _published(tree.dept_b, "PENALTY", dt.date(y, 6, 1), dt.date(y, 6, 2))
    _published(tree.dept_b, "LICENSING", dt.date(y, 6, 1), dt.date(y, 6, 2))
    _published(tree.dept_b, "LICENSING", dt.date(y - 1, 6, 1), dt.date(y - 1, 6, 2))
    _published(tree.dept_a, "FEE", dt.date(y, 1, 1), dt.date(y, 1, 2), fee_amount=Decimal("15000"))
    cleanup_apply(
        by=SYSTEM, agency=tree.city, title="清理决定", decided_on=dt.date(y, 9, 1), items=[old]
    )
    periodic_count_record(
        by=SYSTEM, agency=tree.dept_a, year=y, kind="LICENSING", metric="DECISIONS", value=40,
        source="行政审批系统导出（2025年全年）",
    )  # fmt: skip
    periodic_count_record(
        by=SYSTEM, agency=tree.dept_a, year=y, kind="FEE", metric="AMOUNT",
        value=Decimal("40682080"), source="非税收入台账",
    )  # fmt: skip
    cells = _cells(table_two(agency=tree.city, year=y))
    assert cells[("art20_1", "normative")] == {"issued": 1, "abolished": 1, "in_force": 2}
    assert cells[("art20_1", "regulation")] == {"issued": 1, "abolished": 0, "in_force": 1}
    assert cells[("art20_5", "licensing")] == {"decisions": 41}
    assert cells[("art20_6", "penalty")] == {"decisions": 3}
    assert cells[("art20_6", "enforcement")] == {"decisions": 0}
    assert cells[("art20_8", "fee")] == {"amount_wan": "4069.7080"}
    own = _cells(table_two(agency=tree.dept_a, year=y, subtree=False))
    assert own[("art20_1", "regulation")]["issued"] == 0
    assert own[("art20_6", "penalty")]["decisions"] == 0
    district = _cells(table_two(agency=tree.district, year=y))
    assert district[("art20_1", "regulation")]["issued"] == 1


def test_2019_project_counts_and_change(tree):
    """上一年项目数量 and 本年增/减 come from the 项目数量 counts of both years."""
    for year, n in ((2019, 12), (2020, 9)):
        periodic_count_record(
            by=SYSTEM, agency=tree.dept_a, year=year, kind="LICENSING", metric="MATTERS", value=n,
            source="权责清单",
        )  # fmt: skip
    cells = _cells(table_two(agency=tree.city, year=2020, layout="2019"))
    assert cells[("art20_5", "licensing")] == {"previous_items": 12, "change": -3, "decisions": 0}
