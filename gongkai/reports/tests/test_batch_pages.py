"""年报评查 office pages: upload a ZIP, filter the rows, open one report, export XLSX."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
REAL = Path(__file__).parent / "fixtures" / "real"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(REAL.glob("*.txt")):
            zf.writestr(f"reports/{p.name}", p.read_bytes())
        zf.writestr("reports/empty.txt", "某某局2024年政府信息公开工作年度报告\n正文。")
    return buffer.getvalue()


def _client(staff) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff["handler_a"])
    return client


def test_reports_list_links_to_check_and_review(staff):
    html = _client(staff).get(reverse("reports:index")).content.decode()
    assert reverse("reports:batch") in html and reverse("reports:check") in html


def test_upload_review_filter_open_and_export(staff):
    client = _client(staff)
    upload = SimpleUploadedFile("r.zip", _zip(), content_type="application/zip")
    response = client.post(reverse("reports:batch"), {"archive": upload, "year": ""})
    assert response.status_code == 302
    result_url = response["Location"]
    html = client.get(result_url).content.decode()
    assert "共5份报告" in html
    assert "平潭综合实验区" in html and "未识别到统计表" in html
    assert "正文称收到申请75" in html
    filtered = client.get(result_url, {"agency": "沭阳"}).content.decode()
    assert "沭阳县发展和改革局" in filtered and "平潭综合实验区" not in filtered
    problems = client.get(result_url, {"problems": "1"}).content.decode()
    assert "沭阳县发展和改革局" not in problems and "empty.txt" in problems
    token = result_url.rstrip("/").rsplit("/", 1)[1]
    detail = client.get(reverse("reports:batch_file", args=[token, 0])).content.decode()
    assert "data-cell=" in detail
    xlsx = client.get(reverse("reports:batch_export", args=[token]))
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert len(rows) == 6 and rows[0][0] == "文件"


def test_batch_of_another_reviewer_is_not_found(staff):
    from gongkai.reports import batch_store

    token = batch_store.save(staff["handler_b"].pk if "handler_b" in staff else -5, [], [])
    assert _client(staff).get(reverse("reports:batch_result", args=[token])).status_code == 404


def test_bad_archive_gets_a_chinese_message(staff):
    upload = SimpleUploadedFile("r.zip", b"not a zip", content_type="application/zip")
    html = _client(staff).post(reverse("reports:batch"), {"archive": upload}).content.decode()
    assert "无法打开该压缩包" in html
