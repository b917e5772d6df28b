"""Services and office pages: draft → review → approval → publication, hand-entered cells and
the checks that block publication, correction with versions, discrepancies, the compilation
season, consolidated reports with off-platform submissions, imports and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.applications.choices import ApplicantType, Result
from gongkai.reports import services as s
from gongkai.reports.choices import ReportStatus, Scope, SeasonState, Source
from gongkai.reports.models import AnnualReport
from gongkai.reports.narrative import GAP_OPEN
from gongkai.reports.schema import table3_by_key
from gongkai.reports.selectors import discrepancies, season_board
from gongkai.reports.tests.ledger import Case, insert_cases, standard_ledger

YEAR = 2025


def _fill_gaps(report, by):
    sections = {k: v.replace(GAP_OPEN, "【已填写：") for k, v in report.narrative.items()}
    return s.report_edit_narrative(by=by, report=report, sections=sections)


def _publish(report, staff):
    report = _fill_gaps(report, staff["handler_a"])
    report = s.report_submit(by=staff["handler_a"], report=report)
    report = s.report_review(by=staff["reviewer_a"], report=report, passed=True)
    return s.report_approve(by=staff["head_a"], report=report, today=dt.date(YEAR + 1, 1, 20))


@pytest.mark.django_db
def test_department_report_goes_from_draft_to_publication(tree, staff):
    """Each role takes its step; publication freezes a version; the portal shows it."""
    standard_ledger(tree.dept_a)
    report = s.report_start(by=staff["handler_a"], agency=tree.dept_a, year=YEAR)
    assert report.status == ReportStatus.DRAFT
    assert "全年共收到政府信息公开申请10件" in report.narrative["一"]
    with pytest.raises(ValidationError):  # gaps left
        s.report_submit(by=staff["handler_a"], report=report)
    with pytest.raises(PermissionDenied):
        s.report_review(by=staff["handler_a"], report=report, passed=True)
    report = _publish(report, staff)
    assert report.status == ReportStatus.PUBLISHED
    version = report.published_version
    assert version.number == 1 and version.published_on == dt.date(YEAR + 1, 1, 20)
    page = Client().get(reverse("annual_reports:detail", args=[report.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "测试市甲局2025年政府信息公开工作年度报告" in text
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in text
    listing = Client().get(reverse("annual_reports:list"), follow=True).content.decode()
    assert reverse("annual_reports:detail", args=[report.pk]) in listing
    download = Client().get(reverse("annual_reports:download", args=[report.pk, "json"]))
    assert table3_by_key(json.loads(download.content)) == table3_by_key(report.data)


@pytest.mark.django_db
def test_hand_entered_cell_that_breaks_an_identity_blocks_publication(tree, staff):
    """H3 fails through a hand-entered cell; the message names the cell, who and the source."""
    standard_ledger(tree.dept_a)
    report = s.report_start(by=staff["handler_a"], agency=tree.dept_a, year=YEAR)
    report = s.report_set_cell(
        by=staff["handler_a"], report=report, cell="table3.r3_1.0", value="2", source="纸质台账"
    )
    report = s.report_set_cell(
        by=staff["handler_a"],
        report=report,
        cell="table2.penalties.decisions",
        value="17",
        source="执法系统",
    )
    assert report.data["table2"]["penalties"]["decisions"] == 17
    report = _fill_gaps(report, staff["handler_a"])
    with pytest.raises(ValidationError) as exc:
        s.report_submit(by=staff["handler_a"], report=report)
    text = " ".join(exc.value.messages)
    assert "H3" in text and "1.属于国家秘密" in text and "纸质台账" in text
    report = s.report_clear_cell(by=staff["handler_a"], report=report, cell="table3.r3_1.0")
    report = s.report_submit(by=staff["handler_a"], report=report)
    assert report.status == ReportStatus.IN_REVIEW
    page = (
        _login(staff["handler_a"]).get(reverse("reports:detail", args=[report.pk])).content.decode()
    )
    assert "执法系统" in page


def _login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_later_record_changes_show_differing_cells_and_a_correction_keeps_versions(tree, staff):
    """After publication a new closed case shows as a discrepancy; 更正 republishes as v2."""
    standard_ledger(tree.dept_a)
    report = _publish(s.report_start(by=staff["handler_a"], agency=tree.dept_a, year=YEAR), staff)
    assert discrepancies(report) == []
    insert_cases(
        tree.dept_a,
        [Case(dt.date(YEAR, 4, 1), ApplicantType.PERSON, Result.R1_OPEN, dt.date(YEAR, 4, 9))],
    )
    diff = {d["cell"]: d for d in discrepancies(report)}
    assert diff["table3.new.0"]["published"] == 6 and diff["table3.new.0"]["current"] == 7
    page = (
        _login(staff["handler_a"]).get(reverse("reports:detail", args=[report.pk])).content.decode()
    )
    assert "与已发布数据不一致" in page
    report = s.report_start_correction(by=staff["head_a"], report=report, note="补录4月1日申请一件")
    report = s.report_refresh(by=staff["handler_a"], report=report)
    report = _publish(report, staff)
    assert report.published_version.number == 2
    assert report.versions.count() == 2
    assert discrepancies(report) == []
    public = Client().get(reverse("annual_reports:detail", args=[report.pk])).content.decode()
    assert "补录4月1日申请一件" in public
    old = Client().get(reverse("annual_reports:version", args=[report.pk, 1])).content.decode()
    assert "这是已被更正的早期版本" in old


@pytest.mark.django_db
def test_government_builds_a_consolidated_report_over_its_departments(
    tree, staff, django_capture_on_commit_callbacks
):
    """汇总 adds every department's records, an off-platform submission and the sub-agency's
    hand-entered cells; the season board shows each agency's state."""
    office = make_staff(tree.city, Role.HANDLER, sub=True, username="office_handler")
    standard_ledger(tree.dept_a)
    standard_ledger(tree.district_dept)
    own = s.report_start(by=staff["handler_a"], agency=tree.dept_a, year=YEAR)
    own = s.report_set_cell(
        by=staff["handler_a"],
        report=own,
        cell="table2.penalties.decisions",
        value=5,
        source="执法系统",
    )
    _publish(own, staff)
    submitted = json.loads(json.dumps(own.data))
    submitted.pop("hand_entered")
    submitted["table2"]["penalties"]["decisions"] = 0
    s.report_import(
        by=office, agency=tree.dept_b, year=YEAR, data=submitted, source=Source.SUBMITTED
    )
    client = _login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:season_consolidate"), {"government": tree.city.pk, "year": YEAR}
        )
    assert response.status_code == 302
    consolidated = AnnualReport.objects.get(agency=tree.city, year=YEAR, scope=Scope.CONSOLIDATED)
    t3 = table3_by_key(consolidated.data)
    assert t3["new"][6] == 30  # dept A + district department + dept B's submission
    assert consolidated.data["table2"]["penalties"]["decisions"] == 5
    assert {i["agency"] for i in consolidated.data["figures"]["included"]} == {
        tree.dept_b.name,
        tree.dept_a.name,
    }
    job_page = client.get(response["Location"]).content.decode()
    assert "100%" in job_page
    rows = {r.agency.pk: r for r in season_board(tree.city, YEAR, today=dt.date(YEAR + 1, 2, 5))}
    assert rows[tree.dept_a.pk].state == SeasonState.PUBLISHED
    assert rows[tree.district_dept.pk].state == SeasonState.OVERDUE  # departments: 31 January
    assert rows[tree.district.pk].state == SeasonState.NOT_STARTED  # governments: 31 March
    assert rows[tree.city.pk].state == SeasonState.DRAFTING
    board = client.get(
        reverse("reports:season"), {"government": tree.city.pk, "year": YEAR}
    ).content.decode()
    assert "逾期" in board and tree.district_dept.name in board
    client.post(
        reverse("reports:season_remind"),
        {
            "government": tree.city.pk,
            "year": YEAR,
            "agency": tree.district_dept.pk,
            "message": "请尽快发布",
        },
    )
    assert season_board(tree.city, YEAR, today=dt.date(YEAR + 1, 2, 5))[-1].reminders in (0, 1)
    assert any(
        r.reminders == 1 for r in season_board(tree.city, YEAR, today=dt.date(YEAR + 1, 2, 5))
    )


@pytest.mark.django_db
def test_local_deadline_must_not_be_later_than_the_statutory_one(tree, staff):
    """A government may set earlier local dates only."""
    office = make_staff(tree.city, Role.HEAD, sub=True, username="office_head")
    with pytest.raises(ValidationError):
        s.season_set_deadlines(
            by=office,
            government=tree.city,
            year=YEAR,
            department_due_on=dt.date(YEAR + 1, 2, 10),
            government_due_on=None,
        )
    s.season_set_deadlines(
        by=office,
        government=tree.city,
        year=YEAR,
        department_due_on=dt.date(YEAR + 1, 1, 15),
        government_due_on=None,
    )
    rows = {r.agency.pk: r for r in season_board(tree.city, YEAR, today=dt.date(YEAR + 1, 1, 20))}
    assert rows[tree.dept_a.pk].due == dt.date(YEAR + 1, 1, 15)
    assert rows[tree.dept_a.pk].state == SeasonState.OVERDUE


@pytest.mark.django_db
def test_submission_that_does_not_add_up_is_refused(tree, staff):
    """An off-platform agency's JSON must pass H1–H4 like a platform report."""
    standard_ledger(tree.dept_a)
    data = s.report_start(by=staff["handler_a"], agency=tree.dept_a, year=YEAR).data
    broken = json.loads(json.dumps(data))
    broken["table3"][0]["values"][0] += 1
    with pytest.raises(ValidationError) as exc:
        s.report_import(
            by=staff["admin_b"], agency=tree.dept_b, year=YEAR, data=broken, source=Source.SUBMITTED
        )
    assert "H1" in " ".join(exc.value.messages) or "H3" in " ".join(exc.value.messages)


@pytest.mark.django_db
def test_cli_build_and_import_history_feed_the_year_on_year_narrative(tree, staff, tmp_path):
    """``report import`` keeps last year's published report; ``report build`` compares with it."""
    from gongkai.reports.builders import exports
    from gongkai.reports.builders.document import build_document

    standard_ledger(tree.dept_a, YEAR - 1)
    standard_ledger(tree.dept_a, YEAR)
    from gongkai.reports.compute import compute_report

    last = compute_report(tree.dept_a, YEAR - 1, consolidated=False)
    path = tmp_path / "2024.docx"
    path.write_bytes(exports.render_docx(build_document(last, {})))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "report",
        "import",
        str(path),
        "--agency",
        tree.dept_a.credit_code,
        "--year",
        str(YEAR - 1),
        stdout=out,
        stderr=err,
    )
    assert "已导入" in out.getvalue(), err.getvalue()
    history = AnnualReport.objects.get(agency=tree.dept_a, year=YEAR - 1)
    assert history.source == Source.IMPORTED
    assert table3_by_key(history.published_version.data) == table3_by_key(last)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "report",
        "build",
        "--agency",
        tree.dept_a.credit_code,
        "--year",
        str(YEAR),
        stdout=out,
        stderr=err,
    )
    built = json.loads(out.getvalue())
    assert "同比" in built["narrative"]["一"] or "持平" in built["narrative"]["一"]
    assert "[1/6]" in err.getvalue()
    trend = built["figures"]["trend"]
    assert trend[-2]["source"] == "已发布报告"
    xlsx = tmp_path / "r.xlsx"
    call_command(
        "report",
        "build",
        "--agency",
        tree.dept_a.credit_code,
        "--year",
        str(YEAR),
        "--consolidated",
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert table3_by_key(exports.read_xlsx(xlsx.read_bytes())) == table3_by_key(built)
