"""The agency tree: create, change, move, deactivate, import and export — all audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from gongkai.agencies.choices import AgencyKind, AgencyLevel
from gongkai.agencies.credit_code import make_credit_code
from gongkai.agencies.models import Agency
from gongkai.agencies.services import (
    agencies_export_rows,
    agencies_import,
    agency_deactivate,
    agency_move,
    agency_update,
)
from gongkai.agencies.tests.factories import make_agency
from gongkai.core.audit import verify_chain
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_sets_path_and_is_audited(tree):
    """New agencies get a materialised path and an audit entry."""
    assert tree.district_dept.path == f"/{tree.city.pk}/{tree.district.pk}/{tree.district_dept.pk}/"
    assert set(Agency.objects.subtree_of(tree.district)) == {tree.district, tree.district_dept}
    assert AuditEvent.objects.filter(action="agency.create", target_id=str(tree.dept_a.pk)).exists()


def test_invalid_credit_code_is_rejected_with_message(tree):
    """An invalid 统一社会信用代码 never enters the tree."""
    with pytest.raises(ValidationError) as exc:
        make_agency(parent=tree.city, credit_code="91350100M000100Y44")
    assert "校验位错误" in str(exc.value)


def test_rename_records_before_and_after(tree, staff):
    """A rename is audited with the old and the new name."""
    agency_update(by=staff["admin_a"], agency=tree.dept_a, name="测试市甲局（新）")
    event = AuditEvent.objects.filter(action="agency.update").order_by("-seq").first()
    assert event.before == {"name": "测试市甲局"}
    assert event.after == {"name": "测试市甲局（新）"}
    assert event.actor == staff["admin_a"]


def test_move_carries_the_subtree_and_refuses_cycles(tree, staff):
    """Moving a government moves its departments; an agency cannot go under itself."""
    agency_move(by=staff["platform_admin"], agency=tree.district, new_parent=tree.dept_b)
    tree.district_dept.refresh_from_db()
    assert tree.district_dept.path.startswith(
        f"/{tree.city.pk}/{tree.dept_b.pk}/{tree.district.pk}/"
    )
    assert tree.district_dept.depth == 3
    with pytest.raises(ValidationError):
        agency_move(by=None, agency=tree.dept_b, new_parent=tree.district_dept)


def test_deactivated_agency_keeps_history(tree):
    """Deactivation keeps the record; parents with active children cannot be deactivated."""
    with pytest.raises(ValidationError):
        agency_deactivate(by=None, agency=tree.district)
    agency_deactivate(by=None, agency=tree.district_dept)
    tree.district_dept.refresh_from_db()
    assert not tree.district_dept.is_active and tree.district_dept.deactivated_on
    assert AuditEvent.objects.filter(target_id=str(tree.district_dept.pk)).count() == 2
    assert verify_chain().ok


def _rows():
    root = make_credit_code("440100", 1)
    dept = make_credit_code("440100", 2)
    town = make_credit_code("440101", 3)
    return [
        {
            "名称": "样例市人民政府",
            "统一社会信用代码": root,
            "上级机关统一社会信用代码": "",
            "类型": "人民政府",
        },
        {
            "名称": "样例市人民政府办公室",
            "统一社会信用代码": dept,
            "上级机关统一社会信用代码": root,
            "类型": "部门",
        },
        {
            "名称": "样例镇人民政府",
            "统一社会信用代码": town,
            "上级机关统一社会信用代码": root,
            "类型": "人民政府",
        },
    ]


def test_import_loads_a_tree_with_levels():
    """A valid file becomes a tree; governments below a government step down a level."""
    report = agencies_import(by=None, rows=_rows())
    assert report.ok and report.created == 3
    town = Agency.objects.get(name="样例镇人民政府")
    assert town.level == AgencyLevel.COUNTY and town.kind == AgencyKind.GOVERNMENT
    assert town.parent.name == "样例市人民政府"
    assert Agency.objects.get(name="样例市人民政府办公室").is_disclosure_office


def test_import_reports_every_bad_row_and_imports_nothing():
    """Bad rows are reported with their row numbers; nothing is imported."""
    rows = _rows()
    rows[1]["统一社会信用代码"] = rows[1]["统一社会信用代码"][:-1] + "0"
    rows[2]["类型"] = "事业单位"
    rows.append(
        {
            "名称": "",
            "统一社会信用代码": make_credit_code("440100", 9),
            "上级机关统一社会信用代码": make_credit_code("440100", 8),
            "类型": "部门",
        }
    )
    report = agencies_import(by=None, rows=rows)
    assert not report.ok
    assert [r for r, _ in report.errors] == [3, 4, 5]
    assert Agency.objects.count() == 0


def test_import_and_export_round_trip_through_files(tmp_path):
    """`gongkai agencies import` reads CSV and XLSX; export writes the same format."""
    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "统一社会信用代码", "上级机关统一社会信用代码", "类型"])
    for r in _rows():
        ws.append([r["名称"], r["统一社会信用代码"], r["上级机关统一社会信用代码"], r["类型"]])
    xlsx = tmp_path / "tree.xlsx"
    wb.save(xlsx)
    call_command("agencies", "import", str(xlsx))
    assert Agency.objects.count() == 3
    out = tmp_path / "out.csv"
    call_command("agencies", "export", str(out))
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == "名称,统一社会信用代码,上级机关统一社会信用代码,类型"
    assert len(text) == 4
    assert agencies_export_rows()[1][0] == "样例市人民政府"


def test_import_command_fails_on_bad_file(tmp_path, capsys):
    """A bad row makes the command exit non-zero with the row number on stderr."""
    path = tmp_path / "bad.csv"
    path.write_text(
        "名称,统一社会信用代码,上级机关统一社会信用代码,类型\n某局,123,,部门\n", encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("agencies", "import", str(path))
    assert "第2行" in capsys.readouterr().err
    assert Agency.objects.count() == 0
