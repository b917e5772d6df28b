"""Ledger import and export services and the command line."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from openpyxl import load_workbook

from gongkai.applications.choices import ApplicantType, Channel, EventKind, Result, Status
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.numbering import REGISTRATION
from gongkai.applications.services import applicant_key
from gongkai.applications.tests.factories import make_application, make_id_number
from gongkai.core.actors import SYSTEM
from gongkai.core.counters import current_value
from gongkai.core.models import AuditEvent
from gongkai.core.models import Counter as NumberCounter
from gongkai.ledger import columns as c
from gongkai.ledger import exports, services
from gongkai.ledger.tests.conftest import good_rows, row, write_ledger
from gongkai.reports.statistics import table3

pytestmark = pytest.mark.django_db


def _figures(agency: Any) -> dict[str, Any]:
    """What the annual report counts: new per year and type; results per closing year."""
    qs = Application.objects.filter(agency=agency)
    new = Counter(
        {
            (r["received_on__year"], r["applicant_type"]): r["n"]
            for r in qs.values("received_on__year", "applicant_type").annotate(n=Count("pk"))
        }
    )
    results = Counter(
        {
            (r["closed_on__year"], r["result"], r["applicant_type"]): r["n"]
            for r in qs.filter(result__isnull=False)
            .values("closed_on__year", "result", "applicant_type")
            .annotate(n=Count("pk"))
        }
    )
    return {"new": new, "results": results, "open": qs.filter(result__isnull=True).count()}


def test_good_ledger_imports_every_row(tree, staff, today, ledger_file):
    """A valid ledger becomes applications with their result, dates and numbers; one audit."""
    audits = AuditEvent.objects.count()
    outcome = services.ledger_import_file(
        by=staff["handler_a"], agency=tree.dept_a, path=ledger_file
    )
    assert outcome.ok, [str(e) for e in outcome.validation.errors]
    assert outcome.imported == 8
    apps = Application.objects.filter(agency=tree.dept_a)
    assert apps.count() == 8
    first = apps.get(applicant_name="张三")
    assert first.received_on == dt.date(2025, 3, 5)
    assert first.channel == Channel.ONLINE
    assert first.result == Result.R1_OPEN
    assert first.status == Status.CLOSED
    assert first.closed_on == dt.date(2025, 3, 20)
    assert first.replied_on == dt.date(2025, 3, 20)
    assert first.registration_year == 2025
    assert first.applicant_key == applicant_key(
        applicant_type=ApplicantType.PERSON, id_number=make_id_number(7), credit_code="", name=""
    )
    assert first.items.get().description == first.description
    assert first.events.get(seq=1).kind == EventKind.REGISTERED
    assert {a.result for a in apps} == {
        Result.R1_OPEN,
        Result.R2_PARTIAL,
        Result.R3_1,
        Result.R4_1,
        Result.R6_1,
        Result.R5_1,
        Result.R6_3,
        None,
    }
    kept = apps.get(applicant_name="某某有限公司")
    assert kept.registration_number == "旧2025-17" and kept.registration_serial is None
    claimed = apps.get(applicant_name="某律师事务所")
    assert (claimed.registration_year, claimed.registration_serial) == (2024, 5)
    assert current_value(REGISTRATION, agency=tree.dept_a, year=2024) == 5
    # Rows without a number got the 2025 counter's serials 1..5 (in file order).
    numbers = sorted(
        apps.filter(registration_year=2025, registration_serial__isnull=False).values_list(
            "registration_number", flat=True
        )
    )
    assert numbers == [f"2025-{n:04d}" for n in range(1, 6)]
    research = apps.get(applicant_name="某研究院")
    assert research.applicant_type == ApplicantType.RESEARCH and research.extension_days == 20
    association = apps.get(applicant_name="某协会")
    assert association.corrected_on == dt.date(2025, 3, 10)
    assert list(association.events.values_list("kind", flat=True)) == [
        EventKind.REGISTERED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.CORRECTION_RECEIVED,
        EventKind.CLOSED,
    ]
    open_case = apps.get(applicant_name="王五")
    assert open_case.status == Status.HANDLING and open_case.result is None
    assert open_case.reply_due_on is not None and open_case.due_on == open_case.reply_due_on
    # One audit entry with counts and no personal data.
    assert AuditEvent.objects.count() == audits + 1
    audit = AuditEvent.objects.order_by("-seq").first()
    assert audit.action == "ledger.import"
    assert audit.after["rows"] == 8 and audit.after["open"] == 1
    text = str(audit.after) + audit.target_repr
    assert make_id_number(7) not in text and "13812345678" not in text


def test_later_live_registration_continues_after_imported_numbers(tree, staff, today, ledger_file):
    """A live registration after an import takes the next serial, never a ledger's number."""
    services.ledger_import_file(by=staff["handler_a"], agency=tree.dept_a, path=ledger_file)
    app = make_application(tree.dept_a, staff["handler_a"], received_on=dt.date(2024, 12, 31))
    assert app.registration_number == "2024-0006"


def test_csv_ledger_imports(tree, staff, today, tmp_path):
    """CSV files (UTF-8 with BOM) are accepted like XLSX."""
    path = write_ledger(tmp_path / "ledger.csv", good_rows())
    outcome = services.ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=path)
    assert outcome.ok and outcome.imported == 8


def _wrong_check_digit(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


BAD_ROWS: list[tuple[dict[str, str], str, str]] = [
    ({c.RECEIVED_ON: ""}, c.RECEIVED_ON, "不能为空"),
    ({c.RECEIVED_ON: "2025-02-30"}, c.RECEIVED_ON, "不是有效日期"),
    ({c.RECEIVED_ON: "去年春天"}, c.RECEIVED_ON, "不是日期"),
    ({c.RECEIVED_ON: "2027-01-01", c.REPLIED_ON: ""}, c.RECEIVED_ON, "晚于今天"),
    ({c.RECEIVED_ON: "2001-01-01"}, c.RECEIVED_ON, "早于"),
    ({c.CHANNEL: "飞鸽传书"}, c.CHANNEL, "不是申请方式"),
    ({c.APPLICANT_TYPE: "外星人"}, c.APPLICANT_TYPE, "不是申请人类型"),
    ({c.APPLICANT_TYPE: "法人或其他组织", c.ID_NUMBER: ""}, c.APPLICANT_TYPE, "类别"),
    ({c.APPLICANT: ""}, c.APPLICANT, "不能为空"),
    ({c.DESCRIPTION: ""}, c.DESCRIPTION, "不能为空"),
    ({c.RESULT: "不予公开"}, c.RESULT, "分类标题"),
    ({c.RESULT: "已办理"}, c.RESULT, "不是年度报告表三"),
    ({c.REPLIED_ON: ""}, c.REPLIED_ON, "须填写答复日期"),
    ({c.RESULT: ""}, c.RESULT, "须填写办理结果"),
    ({c.REPLIED_ON: "2025-03-01"}, c.REPLIED_ON, "早于收到日期"),
    ({c.ID_NUMBER: _wrong_check_digit(make_id_number(7))}, c.ID_NUMBER, "校验位"),
    (
        {c.APPLICANT_TYPE: "商业企业", c.ID_NUMBER: "91110000123456789A"},
        c.ID_NUMBER,
        "统一社会信用代码",
    ),
    ({c.PHONE: "call me"}, c.PHONE, "联系电话"),
    ({c.EXTENDED: "也许"}, c.EXTENDED, "是"),
    ({c.CORRECTED_ON: "2025-03-01"}, c.CORRECTED_ON, "早于收到日期"),
    ({c.CORRECTED_ON: "2025-03-25"}, c.CORRECTED_ON, "晚于答复日期"),
]


def test_every_kind_of_bad_row_is_reported_and_nothing_is_imported(tree, staff, today, tmp_path):
    """Each bad row is reported with its spreadsheet row number, column and Chinese reason;
    while any row is bad, no application, counter or audit entry is written."""
    rows = [row()]  # row 2 is good
    for values, _column, _text in BAD_ROWS:
        rows.append(row(**values))
    rows.append(row(**{c.NUMBER: "A-1"}))
    rows.append(row(**{c.NUMBER: "A-1"}))  # duplicate inside the file
    path = write_ledger(tmp_path / "bad.xlsx", rows)
    audits = AuditEvent.objects.count()
    outcome = services.ledger_import_file(by=staff["handler_a"], agency=tree.dept_a, path=path)
    assert not outcome.ok
    by_row: dict[int, list[Any]] = {}
    for e in outcome.validation.errors:
        by_row.setdefault(e.row, []).append(e)
    for number, (_values, column, text) in enumerate(BAD_ROWS, start=3):
        errors = by_row.get(number, [])
        assert any(e.column == column and text in e.message for e in errors), (number, errors)
        assert all(str(e).startswith(f"第{number}行") for e in errors)
    duplicate = len(BAD_ROWS) + 4
    assert 2 not in by_row and duplicate - 1 not in by_row
    assert [e.message for e in by_row[duplicate]] == [f"受理编号“A-1”与第{duplicate - 1}行重复"]
    assert outcome.validation.bad_rows == len(BAD_ROWS) + 1
    assert Application.objects.count() == 0
    assert NumberCounter.objects.filter(scope=REGISTRATION).count() == 0
    assert AuditEvent.objects.count() == audits
    # Personal data is never repeated in the messages.
    assert not any(make_id_number(7)[:17] in e.message for e in outcome.validation.errors)


def test_number_already_used_by_the_agency_is_a_bad_row(tree, staff, today, tmp_path):
    """A 受理编号 the agency already used that year is rejected; another agency may reuse it."""
    existing = make_application(tree.dept_a, staff["handler_a"], received_on=dt.date(2025, 3, 3))
    path = write_ledger(tmp_path / "dup.xlsx", [row(**{c.NUMBER: existing.registration_number})])
    outcome = services.ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=path)
    assert [str(e) for e in outcome.validation.errors] == [
        f"第2行【受理编号】：受理编号“{existing.registration_number}”本机关当年已使用"
    ]
    assert services.ledger_import_file(by=SYSTEM, agency=tree.dept_b, path=path).ok


def test_missing_required_header_is_reported(tree, today, tmp_path):
    """A file without a required column is rejected at row 1, naming the column."""
    path = tmp_path / "x.csv"
    path.write_text("收到日期,申请人\n2025-01-02,张三\n", encoding="utf-8")
    outcome = services.ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=path)
    assert {e.column for e in outcome.validation.errors} == {
        c.CHANNEL,
        c.APPLICANT_TYPE,
        c.DESCRIPTION,
        c.RESULT,
        c.REPLIED_ON,
    }
    assert all(e.row == 1 for e in outcome.validation.errors)


def test_unreadable_file_is_reported(tree, today, tmp_path):
    """A broken XLSX is a file-level error, not a crash."""
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    outcome = services.ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=path)
    assert not outcome.ok and outcome.validation.errors[0].row == 0


def test_officer_without_the_role_cannot_import(tree, staff, today, ledger_file):
    """Reviewers and other agencies' officers may not import into agency A."""
    from django.core.exceptions import PermissionDenied

    for who in ("reviewer_a", "handler_b", "auditor"):
        with pytest.raises(PermissionDenied):
            services.ledger_import_file(by=staff[who], agency=tree.dept_a, path=ledger_file)
    assert Application.objects.count() == 0


def test_export_writes_the_import_format_masked(tree, staff, today, ledger_file, tmp_path):
    """The export has the template's frozen header, real date cells and masked personal data."""
    services.ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=ledger_file)
    target = tmp_path / "out.xlsx"
    count = exports.ledger_export(by=staff["handler_a"], agency=tree.dept_a, target=str(target))
    assert count == 8
    wb = load_workbook(target)
    ws = wb.active
    assert [cell.value for cell in ws[1]] == list(c.ALL)
    assert ws.freeze_panes == "A2"
    received = ws.cell(row=2, column=c.ALL.index(c.RECEIVED_ON) + 1)
    assert received.is_date
    values = [str(v) for r in ws.iter_rows(values_only=True) for v in r if v]
    assert make_id_number(7) not in values and "13812345678" not in values
    assert "1101**********" + make_id_number(7)[-4:] in values
    assert "138****5678" in values
    audit = AuditEvent.objects.order_by("-seq").first()
    assert audit.action == "ledger.export" and audit.after["unmasked"] is False


@pytest.mark.parametrize("unmasked", [False, True])
def test_round_trip_into_another_agency_gives_the_same_figures(
    tree, staff, today, ledger_file, tmp_path, unmasked
):
    """Export of agency A, imported into agency B, gives B the same report figures."""
    services.ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=ledger_file)
    # plus a case registered live, answered on the spot
    make_application(
        tree.dept_a,
        staff["handler_a"],
        received_on=dt.date(2026, 2, 10),
        on_the_spot_result=Result.R5_3,
    )
    target = tmp_path / "export.xlsx"
    exports.ledger_export(by=SYSTEM, agency=tree.dept_a, target=str(target), unmasked=unmasked)
    outcome = services.ledger_import_file(by=SYSTEM, agency=tree.dept_b, path=target)
    assert outcome.ok, [str(e) for e in outcome.validation.errors]
    assert _figures(tree.dept_b) == _figures(tree.dept_a)
    numbers = lambda a: set(  # noqa: E731
        Application.objects.filter(agency=a).values_list("registration_number", flat=True)
    )
    assert numbers(tree.dept_b) == numbers(tree.dept_a)
    if unmasked:
        keys = lambda a: Counter(  # noqa: E731
            Application.objects.filter(agency=a).values_list("applicant_key", flat=True)
        )
        assert keys(tree.dept_b) == keys(tree.dept_a)
    else:
        assert outcome.summary["masked_values_dropped"] > 0
    for year in (2024, 2025, 2026):
        assert table3(tree.dept_b, year) == table3(tree.dept_a, year)


def test_personal_data_never_reaches_the_logs(tree, staff, today, ledger_file, tmp_path, caplog):
    """Import and export log nothing of the applicants' ID or phone numbers."""
    caplog.set_level(logging.DEBUG)
    services.ledger_import_file(by=staff["handler_a"], agency=tree.dept_a, path=ledger_file)
    exports.ledger_export(
        by=staff["handler_a"], agency=tree.dept_a, target=io.BytesIO(), unmasked=True
    )
    assert make_id_number(7) not in caplog.text and "13812345678" not in caplog.text


def test_command_line_import_and_export(tree, today, ledger_file, tmp_path):
    """``gongkai ledger import/export`` with the agency's credit code."""
    out = io.StringIO()
    call_command(
        "ledger", "import", str(ledger_file), "--agency", tree.dept_a.credit_code, stdout=out
    )
    assert "已导入 8 条" in out.getvalue()
    target = tmp_path / "2025.xlsx"
    out = io.StringIO()
    call_command(
        "ledger",
        "export",
        str(target),
        "--agency",
        tree.dept_a.credit_code,
        "--year",
        "2025",
        stdout=out,
    )
    assert "已导出 6 条" in out.getvalue() and "脱敏" in out.getvalue()
    bad = write_ledger(tmp_path / "bad.xlsx", [row(**{c.CHANNEL: "飞鸽"})])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ledger", "import", str(bad), "--agency", tree.dept_b.credit_code, stderr=err)
    assert "第2行【申请方式】" in err.getvalue()


def test_events_of_imported_cases_are_append_only(tree, today, ledger_file):
    """Imported timelines obey the same immutability as live ones."""
    from gongkai.applications.models import EventImmutableError

    services.ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=ledger_file)
    event = ApplicationEvent.objects.first()
    with pytest.raises(EventImmutableError):
        event.save()


def test_blank_rows_are_skipped(tree, today, tmp_path: Path):
    """Empty rows between data rows are ignored (not errors)."""
    rows = [row(), [""] * len(c.ALL), row(**{c.APPLICANT: "李四"})]
    path = write_ledger(tmp_path / "gaps.xlsx", rows)
    outcome = services.ledger_import_file(by=SYSTEM, agency=tree.dept_a, path=path)
    assert outcome.ok and outcome.imported == 2 and outcome.summary["blank_rows"] == 1
