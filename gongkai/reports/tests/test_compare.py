"""Year-over-year comparison: cells with their change, largest first; paragraphs compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.reports.compare import compare_paragraphs, compare_reports

REAL = Path(__file__).parent / "fixtures" / "real"
A = REAL / "2021_fujian-pingtan-zone_1.txt"
B = REAL / "2022_fujian-pingtan-zone_1.txt"


def test_two_years_of_one_agency_cell_by_cell() -> None:
    comparison = compare_reports(B.read_bytes(), A.read_bytes())  # given in the wrong order
    assert comparison.before["year"] == 2021 and comparison.after["year"] == 2022
    by_path = {c.path: c for c in comparison.cells}
    new_total = by_path["table3.new.6"]
    assert (new_total.before, new_total.after, new_total.change) == (70, 74, 4)
    assert new_total.percent == pytest.approx(5.7)
    changes = [abs(c.change) for c in comparison.cells if c.change is not None]
    assert changes == sorted(changes, reverse=True)  # the largest changes first


def test_paragraphs_added_removed_changed() -> None:
    before = ["一、总体情况本年度共收到申请70件。", "旧的一段话，今年删掉了。", "不变的一段。"]
    after = ["一、总体情况本年度共收到申请74件。", "不变的一段。", "新增加的一段内容。"]
    kinds = [(p.kind, p.before[:4], p.after[:4]) for p in compare_paragraphs(before, after)]
    assert ("changed", "一、总体", "一、总体") in kinds
    assert ("removed", "旧的一段", "") in kinds
    assert ("added", "", "新增加的") in kinds


def test_cli_compare(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("report", "compare", str(A), str(B), "--changed")
    data = json.loads(capsys.readouterr().out)
    assert data["cells"] and all(c["change"] for c in data["cells"])
    assert any(p["kind"] == "changed" for p in data["paragraphs"])


@pytest.mark.django_db
def test_office_compare_page(staff) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(staff["handler_a"])
    assert reverse("reports:compare") in client.get(reverse("reports:index")).content.decode()
    files = {
        "earlier": SimpleUploadedFile("a.txt", A.read_bytes()),
        "later": SimpleUploadedFile("b.txt", B.read_bytes()),
    }
    html = client.post(reverse("reports:compare"), files).content.decode()
    assert 'data-cell="table3.new.6"' in html and "+4" in html
    assert 'data-kind="changed"' in html or 'data-kind="added"' in html
    bad = {
        "earlier": SimpleUploadedFile("a.pdf", b"%PDF-broken"),
        "later": SimpleUploadedFile("b.txt", b"x"),
    }
    assert "无法读取上传的文件" in client.post(reverse("reports:compare"), bad).content.decode()
