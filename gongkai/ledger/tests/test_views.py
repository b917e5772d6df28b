"""The office flow: template download, upload, progress page, errors, export, scoping."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_id_number
from gongkai.core.actors import SYSTEM
from gongkai.ledger import columns as c
from gongkai.ledger.choices import ImportStatus
from gongkai.ledger.models import LedgerImport
from gongkai.ledger.tests.conftest import row, write_ledger

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_template_download_has_the_exact_headers(staff):
    """The template is an XLSX whose frozen first row holds the ledger headers."""
    response = _client(staff["handler_a"]).get(reverse("ledger:template"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [cell.value for cell in ws[1]] == list(c.ALL)
    assert ws.freeze_panes == "A2"
    assert ws.cell(row=2, column=2).is_date
    assert "填写说明" in wb.sheetnames


def test_filled_template_imports(tree, staff, today, tmp_path):
    """The template's own example rows pass validation (the template is importable)."""
    response = _client(staff["handler_a"]).get(reverse("ledger:template"))
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    from gongkai.ledger.services import ledger_import_file

    outcome = ledger_import_file(by=staff["handler_a"], agency=tree.dept_a, path=path)
    assert outcome.ok, [str(e) for e in outcome.validation.errors]


def test_upload_runs_the_import_and_shows_progress_and_result(tree, staff, today, ledger_file):
    """Upload → background task (immediate in tests) → the job page at 100 % with counts;
    the htmx poll gets the fragment; the uploaded file is deleted afterwards."""
    client = _client(staff["handler_a"])
    home = client.get(reverse("ledger:home"))
    assert home.status_code == 200 and "下载台账模板" in home.content.decode()
    response = client.post(
        reverse("ledger:import"), {"agency": tree.dept_a.pk, "file": _upload(ledger_file)}
    )
    job = LedgerImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:import_job", kwargs={"pk": job.pk})
    assert job.status == ImportStatus.SUCCEEDED and job.imported_rows == 8
    assert job.percent == 100 and not job.file
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "<progress" in body and 'value="100"' in body and "已导入 8 条申请记录" in body
    assert "hx-trigger" not in body  # finished: no more polling
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert fragment.content.decode().startswith('<div id="job-status"')
    assert Application.objects.filter(agency=tree.dept_a).count() == 8
    assert job.filename in client.get(reverse("ledger:home")).content.decode()


def test_running_job_page_polls(tree, staff):
    """A job still running shows its bar and asks htmx to poll again."""
    job = LedgerImport.objects.create(
        agency=tree.dept_a,
        filename="x.xlsx",
        status=ImportStatus.VALIDATING,
        total_rows=1000,
        checked_rows=500,
        created_by=staff["handler_a"],
    )
    body = _client(staff["handler_a"]).get(reverse("ledger:import_job", args=[job.pk]))
    text = body.content.decode()
    assert 'hx-trigger="every 1s"' in text and f'value="{job.percent}"' in text
    assert job.percent == 27


def test_rejected_upload_lists_every_bad_row(tree, staff, today, tmp_path):
    """A ledger with bad rows imports nothing; the page lists row numbers and reasons."""
    path = write_ledger(
        tmp_path / "bad.xlsx",
        [row(), row(**{c.CHANNEL: "飞鸽传书"}), row(**{c.RECEIVED_ON: "2025-13-01"})],
    )
    client = _client(staff["head_a"])
    response = client.post(
        reverse("ledger:import"), {"agency": tree.dept_a.pk, "file": _upload(path)}, follow=True
    )
    body = response.content.decode()
    assert "未导入任何记录" in body
    assert "第3行" in body and "飞鸽传书" in body and "第4行" in body
    assert LedgerImport.objects.get().status == ImportStatus.REJECTED
    assert Application.objects.count() == 0


def test_upload_refuses_other_formats_and_foreign_agencies(tree, staff, today, ledger_file):
    """Only XLSX/CSV; the agency must be one where the officer may import."""
    client = _client(staff["handler_a"])
    bad = client.post(
        reverse("ledger:import"),
        {"agency": tree.dept_a.pk, "file": SimpleUploadedFile("a.pdf", b"%PDF")},
    )
    assert bad.status_code == 400 and "XLSX" in bad.content.decode()
    foreign = client.post(
        reverse("ledger:import"), {"agency": tree.dept_b.pk, "file": _upload(ledger_file)}
    )
    assert foreign.status_code == 400
    assert LedgerImport.objects.count() == 0


def test_reviewer_has_no_ledger_pages(staff):
    """Roles without ledger.import/export get 404 (like a missing page)."""
    client = _client(staff["reviewer_a"])
    assert client.get(reverse("ledger:home")).status_code == 404
    assert client.get(reverse("ledger:template")).status_code == 404


def test_export_download_is_masked(tree, staff, today, ledger_file):
    """The office export always masks ID and phone numbers."""
    from gongkai.ledger.services import ledger_import_file

    ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=ledger_file)
    response = _client(staff["handler_a"]).get(
        reverse("ledger:export"), {"agency": tree.dept_a.pk, "year": 2025}
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [str(v) for r in ws.iter_rows(values_only=True) for v in r if v]
    assert len(list(ws.iter_rows())) == 1 + 6
    assert make_id_number(7) not in values and "13812345678" not in values
    other = _client(staff["handler_b"]).get(reverse("ledger:export"), {"agency": tree.dept_a.pk})
    assert other.status_code == 400
