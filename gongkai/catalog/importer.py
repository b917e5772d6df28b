"""Migration import: load an old site's catalogue from XLSX/CSV with attachments from a folder.

Every row is validated first; if any row is bad, every problem is reported with its row number
(the spreadsheet's own numbering: the header is row 1) and nothing is imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.catalog import docnumber
from gongkai.catalog.attachments import AttachmentError, check_file, extract_text
from gongkai.catalog.choices import (
    DisclosureAttribute,
    EventKind,
    Genre,
    ItemStatus,
    NonDisclosureGround,
    PortalColumn,
    StatutoryItem,
    StructuredKind,
    Validity,
)
from gongkai.catalog.findings import item_scan
from gongkai.catalog.index_numbers import allocate_index_number
from gongkai.catalog.models import Attachment, CatalogItem, Category, ItemEvent
from gongkai.catalog.sanitise import clean_html
from gongkai.catalog.services import apply_publication_delay
from gongkai.core.actors import SYSTEM, Actor, user_of
from gongkai.core.audit import record_audit
from gongkai.core.tabular import read_table

COLUMNS = [
    "标题", "索引号", "文号", "发布机构", "成文日期", "发布日期", "主题分类", "体裁", "主题词",
    "公开属性", "不予公开依据", "有效性", "废止日期", "内容概述", "正文", "附件", "第二十条事项",
    "统计类别", "收费金额（元）", "栏目",
]  # fmt: skip
REQUIRED = ["标题", "发布机构", "发布日期"]
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12, "十三": 13, "十四": 14, "十五": 15}  # fmt: skip


@dataclass
class ImportResult:
    """Outcome: the problems per row (nothing imported then), or the imported count."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    imported: int = 0
    findings: int = 0


def _date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", value)
    if not m:
        raise ValueError(value)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _by_label(choices: Any, value: str) -> str | None:
    for v, label in choices.choices:
        if value in (str(v), str(label)):
            return v
    return None


def _statutory(value: str) -> int | None:
    value = value.strip()
    if value.isdigit() and int(value) in StatutoryItem.values:
        return int(value)
    m = re.search(r"第[（(]?([一二三四五六七八九十]+)[）)]?项", value)
    return _CN_NUM.get(m.group(1)) if m else None


def _category(value: str, cache: dict[str, Category | None]) -> Category | None:
    if value not in cache:
        parts = re.split(r"[\\/]", value)
        qs = Category.objects.filter(scheme__is_subject=True)
        if len(parts) == 2:
            cache[value] = qs.filter(parent__name=parts[0], name=parts[1]).first()
        else:
            cache[value] = qs.filter(parent=None, name=parts[0]).first()
    return cache[value]


def _agency(value: str, cache: dict[str, Any]) -> Any:
    if value not in cache:
        code = value.strip().upper()
        cache[value] = (
            Agency.objects.filter(credit_code=code).first()
            or Agency.objects.filter(name=value.strip()).first()
        )
    return cache[value]


def _validate_row(
    row: dict[str, str], files: Path | None, caches: dict[str, dict]
) -> tuple[dict, list[str]]:
    """Return the cleaned values of a row and its problems (Chinese messages)."""
    problems: list[str] = []
    out: dict[str, Any] = {}
    for col in REQUIRED:
        if not row.get(col, "").strip():
            problems.append(f"“{col}”不能为空")
    out["title"] = row.get("标题", "").strip()[:300]
    agency_name = row.get("发布机构", "").strip()
    if agency_name:
        out["agency"] = _agency(agency_name, caches["agency"])
        if out["agency"] is None:
            problems.append(
                f"发布机构“{agency_name}”不在机构目录中（按名称或统一社会信用代码查找）"
            )
    for col, key in (
        ("成文日期", "written_on"),
        ("发布日期", "published_on"),
        ("废止日期", "abolished_on"),
    ):
        try:
            out[key] = _date(row.get(col, ""))
        except ValueError:
            problems.append(f"“{col}”不是有效日期：{row.get(col)}")
            out[key] = None
    if (
        out.get("written_on")
        and out.get("published_on")
        and out["written_on"] > out["published_on"]
    ):
        problems.append("成文日期晚于发布日期")
    out["doc_number"] = docnumber.normalise(row.get("文号", ""))
    index = row.get("索引号", "").strip()
    if index:
        if index in caches["index"]:
            problems.append(f"索引号“{index}”在文件中重复（第{caches['index'][index]}行）")
        elif CatalogItem.objects.filter(index_number=index).exists():
            problems.append(f"索引号“{index}”已存在")
    out["index_number"] = index
    category = row.get("主题分类", "").strip()
    out["category"] = _category(category, caches["category"]) if category else None
    if category and out["category"] is None:
        problems.append(f"主题分类“{category}”不存在")
    for col, key, choices, default in (
        ("体裁", "genre", Genre, Genre.OTHER),
        ("公开属性", "disclosure_attribute", DisclosureAttribute, DisclosureAttribute.PROACTIVE),
        ("不予公开依据", "non_disclosure_ground", NonDisclosureGround, ""),
        ("有效性", "validity", Validity, Validity.IN_FORCE),
        ("统计类别", "structured_kind", StructuredKind, ""),
        ("栏目", "portal_column", PortalColumn, PortalColumn.STATUTORY),
    ):
        value = row.get(col, "").strip()
        if not value:
            out[key] = default
            continue
        found = _by_label(choices, value)
        if found is None:
            problems.append(f"“{col}”的值“{value}”无法识别")
        out[key] = found if found is not None else default
    if (
        out["disclosure_attribute"] == DisclosureAttribute.NOT_DISCLOSED
        and not out["non_disclosure_ground"]
    ):
        problems.append("不予公开的信息必须填写“不予公开依据”")
    item_text = row.get("第二十条事项", "").strip()
    out["statutory_item"] = _statutory(item_text) if item_text else None
    if item_text and out["statutory_item"] is None:
        problems.append(f"“第二十条事项”的值“{item_text}”无法识别")
    amount = row.get("收费金额（元）", "").strip()
    out["fee_amount"] = None
    if amount:
        try:
            out["fee_amount"] = Decimal(amount.replace(",", ""))
        except InvalidOperation:
            problems.append(f"“收费金额（元）”不是数字：{amount}")
    if out["structured_kind"] == StructuredKind.FEE and out["fee_amount"] is None:
        problems.append("行政事业性收费记录须填写“收费金额（元）”")
    out["keywords"] = row.get("主题词", "").strip()[:200]
    out["summary"] = row.get("内容概述", "").strip()
    out["body"] = clean_html(row.get("正文", ""))
    out["files"] = []
    names = [n.strip() for n in re.split(r"[;；|]", row.get("附件", "")) if n.strip()]
    for name in names:
        path = (files / name) if files else None
        if path is None or not path.is_file() or files not in path.resolve().parents:
            problems.append(f"附件“{name}”在附件目录中找不到")
            continue
        data = path.read_bytes()
        try:
            kind = check_file(name, data, max_bytes=settings.CATALOG_ATTACHMENT_MAX_BYTES)
        except AttachmentError as exc:
            problems.append(f"附件“{name}”：{'；'.join(exc.messages)}")
            continue
        out["files"].append((name, data, kind))
    return out, problems


def import_catalog(
    path: Path | str,
    *,
    files: Path | str | None = None,
    by: Actor = SYSTEM,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Validate every row of the table; import all of them only if none is bad."""
    rows = read_table(path)
    files_dir = Path(files).resolve() if files else None
    caches: dict[str, dict] = {"agency": {}, "category": {}, "index": {}}
    result = ImportResult()
    cleaned: list[dict[str, Any]] = []
    for n, row in enumerate(rows, start=2):
        values, problems = _validate_row(row, files_dir, caches)
        if values["index_number"]:
            caches["index"].setdefault(values["index_number"], n)
        result.errors.extend((n, p) for p in problems)
        cleaned.append(values)
        if progress:
            progress(n - 1, len(rows) * 2)
    if result.errors or not rows:
        return result

    with transaction.atomic():
        for i, v in enumerate(cleaned, start=1):
            published_at = timezone.make_aware(dt.datetime.combine(v["published_on"], dt.time(9)))
            item = CatalogItem(
                agency=v["agency"],
                title=v["title"],
                summary=v["summary"],
                body=v["body"],
                doc_number=v["doc_number"],
                written_on=v["written_on"],
                published_on=v["published_on"],
                published_year=v["published_on"].year,
                published_at=published_at,
                category=v["category"],
                genre=v["genre"],
                keywords=v["keywords"],
                disclosure_attribute=v["disclosure_attribute"],
                non_disclosure_ground=v["non_disclosure_ground"],
                statutory_item=v["statutory_item"],
                portal_column=v["portal_column"],
                validity=v["validity"],
                abolished_on=v["abolished_on"],
                structured_kind=v["structured_kind"],
                fee_amount=v["fee_amount"],
                channels=["WEBSITE"],
                status=(
                    ItemStatus.PUBLISHED
                    if v["disclosure_attribute"] == DisclosureAttribute.PROACTIVE
                    else ItemStatus.CATALOGUED
                ),
                source_note=f"迁移导入：{Path(path).name}"[:300],
                created_by=user_of(by),
                index_number=v["index_number"]
                or allocate_index_number(agency=v["agency"], year=v["published_on"].year),
            )
            apply_publication_delay(item)
            item.save()
            for order, (name, data, kind) in enumerate(v["files"], start=1):
                att = Attachment(
                    item=item, name=name[:200], kind=kind, size=len(data), sort_order=order,
                    sha256=hashlib.sha256(data).hexdigest(),
                    text_units=[[u.page, u.line, u.text] for u in extract_text(kind, data)],
                )  # fmt: skip
                att.file.save(name, ContentFile(data), save=False)
                att.save()
            ItemEvent.objects.create(
                item=item, kind=EventKind.IMPORTED, at=timezone.now(), actor_repr=str(by or "系统"),
                note=item.source_note,
            )  # fmt: skip
            record_audit(
                action="catalog.import", actor=by, target=item, agency=item.agency,
                after={"index_number": item.index_number, "source": item.source_note},
            )  # fmt: skip
            result.findings += len(item_scan(item=item))
            result.imported += 1
            if progress:
                progress(len(rows) + i, len(rows) * 2)
    return result
