"""`gongkai catalog import`: every bad row reported with its number, nothing imported then."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalog.choices import ItemStatus
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.tests.factories import pdf_bytes
from gongkai.core.models import AuditEvent
from gongkai.core.tabular import write_table

pytestmark = pytest.mark.django_db
HEADER = ["标题", "索引号", "文号", "发布机构", "成文日期", "发布日期", "主题分类", "体裁",
          "主题词", "公开属性", "有效性", "附件", "第二十条事项", "统计类别"]  # fmt: skip


def _rows(tree):
    return [
        HEADER,
        ["茂名市2016年政府信息公开工作要点", "007122000/2016-00065", "茂府办函(2016)65号",
         tree.dept_a.name, "2016-03-10", "2016-03-15", "综合政务\\政务公开", "通知", "政务公开",
         "主动公开", "现行有效", "要点.pdf", "第二十条第（一）项", "行政规范性文件"],
        ["关于调整市直机关服务效能评价体系的通知", "", "茂政管办通〔2016〕11号",
         tree.dept_a.credit_code, "2016年11月28日", "2016/11/30", "综合政务", "通知", "",
         "", "已废止", "", "", ""],
    ]  # fmt: skip


def test_valid_file_is_imported_with_progress(tree, tmp_path):
    """All rows go in: old 索引号 kept, 文号 normalised, attachment scanned, each audited."""
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "要点.pdf").write_bytes(pdf_bytes([["2016 work points"]]))
    path = tmp_path / "old.xlsx"
    write_table(path, _rows(tree))
    out = io.StringIO()
    call_command("catalog", "import", str(path), "--files", str(tmp_path / "files"), stdout=out)
    assert "已导入 2 条" in out.getvalue() and "导入 [" in out.getvalue()
    first = CatalogItem.objects.get(index_number="007122000/2016-00065")
    assert first.doc_number == "茂府办函〔2016〕65号"
    assert first.status == ItemStatus.PUBLISHED and first.statutory_item == 1
    assert first.category.full_name == "综合政务\\政务公开"
    assert first.attachments.get().kind == "PDF"
    second = CatalogItem.objects.get(doc_number="茂政管办通〔2016〕11号")
    assert second.index_number.endswith("/2016-00001") and second.validity == "REPEALED"
    assert AuditEvent.objects.filter(action="catalog.import").count() == 2


def test_bad_rows_are_all_reported_and_nothing_is_imported(tree, tmp_path):
    """Unknown agency, bad date, missing attachment, duplicate 索引号: each reported by row."""
    rows = _rows(tree)
    rows[1][11] = "不存在.pdf"
    rows[2][3] = "不存在的机关"
    rows[2][5] = "2016-13-45"
    rows.append(list(rows[1]))  # duplicate 索引号 (row 4)
    rows[3][11] = ""
    path = tmp_path / "bad.csv"
    write_table(path, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("catalog", "import", str(path), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "第2行：附件“不存在.pdf”在附件目录中找不到" in text
    assert "第3行：发布机构“不存在的机关”不在机构目录中" in text
    assert "第3行：“发布日期”不是有效日期" in text
    assert "第4行：索引号“007122000/2016-00065”在文件中重复（第2行）" in text
    assert not CatalogItem.objects.exists()


def test_demo_catalogue_is_deterministic_and_realistic(tree):
    """`gongkai catalog demo` fills an empty catalogue once: policies, interpretations,
    abolished documents and 双公示 records; a second run changes nothing."""
    out = io.StringIO()
    call_command("catalog", "demo", stdout=out)
    n = CatalogItem.objects.count()
    assert n > 100 and "已生成演示目录" in out.getvalue()
    assert CatalogItem.objects.filter(genre="INTERPRETATION", interprets__isnull=False).exists()
    assert CatalogItem.objects.filter(validity="REPEALED", cleanup__isnull=False).exists()
    assert CatalogItem.objects.filter(structured_kind="LICENSING").exists()
    assert CatalogItem.objects.values("index_number").distinct().count() == n
    call_command("catalog", "demo", stdout=io.StringIO())
    assert CatalogItem.objects.count() == n
