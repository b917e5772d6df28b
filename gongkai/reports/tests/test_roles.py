"""Annual-report roles: the matrix in docs/report-roles.md is ACTION_ROLES, and it holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.permissions import ACTION_ROLES
from gongkai.reports import services as s
from gongkai.reports.choices import ReportStatus
from gongkai.reports.narrative import GAP_OPEN

DOC = Path(__file__).resolve().parents[3] / "docs" / "report-roles.md"
COLUMNS = [Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN]


def _matrix() -> dict[str, set[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0].startswith("report."):
            rows[cells[0]] = {
                str(r) for r, mark in zip(COLUMNS, cells[2:], strict=True) if mark == "✓"
            }
    return rows


def _fill_gaps(report, by):
    sections = {k: v.replace(GAP_OPEN, "【已填写：") for k, v in report.narrative.items()}
    return s.report_edit_narrative(by=by, report=report, sections=sections)


def test_the_documented_matrix_is_the_permission_table():
    matrix = _matrix()
    report_actions = {a for a in ACTION_ROLES if a.startswith("report.")}
    assert set(matrix) == report_actions
    for action, roles in matrix.items():
        assert roles == {str(r) for r in ACTION_ROLES[action]}, action


@pytest.mark.django_db
def test_head_and_platform_admin_see_the_start_form_reviewer_does_not(tree, staff):
    for who, has_form in [
        ("handler_a", True),
        ("head_a", True),
        ("admin_a", True),
        ("platform_admin", True),
        ("reviewer_a", False),
    ]:
        client = Client()
        client.force_login(staff[who])
        page = client.get(reverse("reports:index"))
        assert page.status_code == 200, who
        assert (reverse("reports:start") in page.content.decode()) is has_form, who


@pytest.mark.django_db
def test_each_role_takes_its_own_steps(tree, staff):
    """Handler drafts, reviewer reviews, head publishes; a head can open but not write."""
    head, handler = staff["head_a"], staff["handler_a"]
    report = s.report_start(by=head, agency=tree.dept_a, year=2025)
    assert report.status == ReportStatus.DRAFT and report.data
    with pytest.raises(PermissionDenied):
        s.report_edit_narrative(by=head, report=report, sections={"overview": "x"})
    with pytest.raises(PermissionDenied):
        s.report_submit(by=staff["reviewer_a"], report=report)
    report = s.report_refresh(by=head, report=report)
    report = _fill_gaps(report, handler)
    report = s.report_submit(by=handler, report=report)
    with pytest.raises(PermissionDenied):
        s.report_review(by=head, report=report, passed=True)
    report = s.report_review(by=staff["reviewer_a"], report=report, passed=True)
    with pytest.raises(PermissionDenied):
        s.report_approve(by=handler, report=report)
    report = s.report_approve(by=head, report=report)
    assert report.status == ReportStatus.PUBLISHED


@pytest.mark.django_db
def test_agency_admin_may_take_every_step_alone(tree, staff):
    admin = staff["admin_a"]
    report = s.report_start(by=admin, agency=tree.dept_a, year=2025)
    report = s.report_submit(by=admin, report=_fill_gaps(report, admin))
    report = s.report_review(by=admin, report=report, passed=True)
    report = s.report_approve(by=admin, report=report)
    assert report.status == ReportStatus.PUBLISHED
    with pytest.raises(PermissionDenied):
        s.report_start(by=staff["admin_b"], agency=tree.dept_a, year=2024)
