"""The dashboard across the tree: figures per unit rolled up over subtrees, drill-down, the
charts' data and their table alternatives, the XLSX export read back, and who may see it."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.applications.choices import LawsuitKind, Result, ReviewResult, Status
from gongkai.applications.models import Application, Lawsuit, Review
from gongkai.applications.tests.factories import make_application
from gongkai.supervision import dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(tree):
    return make_staff(tree.office, Role.HANDLER, username="city_handler")


def _close(app, *, on, due):
    Application.objects.filter(pk=app.pk).update(
        status=Status.CLOSED, result=Result.R1_OPEN, closed_on=on, reply_due_on=due
    )


@pytest.fixture
def record(tree, staff):
    """District dept: 2 overdue open cases, 1 closed late; dept A: 1 closed on time, reviews."""
    unit = make_staff(tree.district_dept, Role.HANDLER, username="unit_handler")
    old = timezone.localdate() - dt.timedelta(days=70)
    late1 = make_application(tree.district_dept, unit, received_on=old)
    make_application(tree.district_dept, unit, received_on=old)
    closed_late = make_application(tree.district_dept, unit, received_on=old)
    _close(closed_late, on=timezone.localdate(), due=timezone.localdate() - dt.timedelta(days=3))
    on_time = make_application(tree.dept_a, staff["handler_a"], received_on=old)
    _close(on_time, on=timezone.localdate(), due=timezone.localdate() + dt.timedelta(days=3))
    Review.objects.create(
        application=on_time, body="测试市人民政府", applied_on=timezone.localdate(), decided_on=timezone.localdate(),
        result=ReviewResult.CORRECTED,
    )  # fmt: skip
    Review.objects.create(
        application=on_time, body="测试市人民政府", applied_on=timezone.localdate(), decided_on=timezone.localdate(),
        result=ReviewResult.UPHELD,
    )  # fmt: skip
    Lawsuit.objects.create(
        application=on_time, kind=LawsuitKind.DIRECT, court="测试市中级人民法院",
        filed_on=timezone.localdate(), result=ReviewResult.PENDING,
    )  # fmt: skip
    return {"late": late1, "unit": unit}


def _row(data, agency):
    return next(r for r in data["rows"] if r.agency == agency)


def test_figures_roll_up_over_each_units_subtree(tree, record):
    """The district's row counts its department's cases; rates come from the year's record."""
    data = dashboard.build(tree.city, year=timezone.localdate().year, today=timezone.localdate())
    district = _row(data, tree.district).figures
    assert (district["open"], district["overdue"], district["concluded"]) == (2, 2, 1)
    assert _row(data, tree.district).on_time_rate == 0.0
    a = _row(data, tree.dept_a)
    assert a.on_time_rate == 100.0
    assert (a.figures["decided"], a.figures["corrected"], a.correction_rate) == (2, 1, 50.0)
    assert data["rows"][0].agency == tree.city and data["rows"][0].own_only
    assert data["total"].figures["open"] == 2 and data["total"].on_time_rate == 50.0
    month = (timezone.localdate() - dt.timedelta(days=70)).month
    if (timezone.localdate() - dt.timedelta(days=70)).year == timezone.localdate().year:
        assert data["total"].months[month - 1] == 4
    # every agency of the tree is expected to publish last year's report
    assert data["total"].figures["reports"] == 6
    charts = {c["key"]: c for c in dashboard.charts(data)}
    assert set(charts) == {"flight", "months", "on_time", "season"}
    idx = [r.agency for r in data["rows"]].index(tree.district)
    assert charts["flight"]["series"][2]["values"][idx] == 2


def test_drill_down_to_a_district_shows_its_units(tree, city, record):
    """?unit= a district shows its own row and its department's; the breadcrumb leads back."""
    client = Client()
    client.force_login(city)
    page = client.get(reverse("supervision:index"), {"unit": tree.district.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert tree.district_dept.name in html and tree.dept_a.name not in html
    assert f'?unit={tree.city.pk}&year={timezone.localdate().year}">' in html  # breadcrumb
    charts = json.loads(html.split('id="report-charts" type="application/json">')[1].split("<")[0])
    assert charts[0]["categories"][0].endswith("（本级）")
    assert record["late"].registration_number in html  # its overdue case, 督办-able


def test_export_reads_back(tree, city, record):
    """Three sheets: units (with the total), months, late reports."""
    client = Client()
    client.force_login(city)
    response = client.get(
        reverse("supervision:dashboard_export"), {"year": timezone.localdate().year}
    )
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["各单位情况", "各月收件", "年报逾期"]
    units = list(wb["各单位情况"].values)
    assert units[0][:4] == ("单位", "在办", "临期", "超期")
    assert units[-1][0] == "合计" and units[-1][1] == 2
    assert len(list(wb["年报逾期"].values)) == 1 + 6


def test_only_supervisors_see_the_dashboard(tree, staff, city, record):
    """A unit's staff get their 督办 page; a unit outside the office's tree answers 404."""
    unit = Client()
    unit.force_login(record["unit"])
    page = unit.get(reverse("supervision:index")).content.decode()
    assert "unit-table" not in page and "待本单位反馈的督办单" in page
    assert unit.get(reverse("supervision:dashboard_export")).status_code == 404
    client = Client()
    client.force_login(city)
    assert client.get(reverse("supervision:index"), {"unit": tree.office.pk}).status_code == 404
    assert client.get(reverse("supervision:index"), {"unit": "x"}).status_code == 404
    assert client.get(reverse("supervision:index"), {"year": "abc"}).status_code == 200


def test_charts_speak_the_visitors_language(tree, record):
    """Chart titles, series, months and the own-level label follow the active language."""
    data = dashboard.build(tree.city, year=timezone.localdate().year, today=timezone.localdate())
    with translation.override("en"):
        charts = {c["key"]: c for c in dashboard.charts(data)}
    assert (
        charts["months"]["title"] == f"Applications received by month, {timezone.localdate().year}"
    )
    assert charts["months"]["categories"][0] == "Month 1"
    assert [s["name"] for s in charts["flight"]["series"]] == ["Open", "Due soon", "Overdue"]
    assert charts["flight"]["categories"][0].endswith("(own level)")
    assert charts["season"]["title"] == f"Annual reports for {timezone.localdate().year - 1}"
    text = json.dumps(charts, ensure_ascii=False)
    assert "（本级）" not in text and "年各月" not in text
    with translation.override("zh-hans"):
        zh = {c["key"]: c for c in dashboard.charts(data)}
    assert zh["months"]["title"] == f"{timezone.localdate().year}年各月收到申请"
    assert zh["flight"]["categories"][0].endswith("（本级）")


def test_chart_captions_read_as_one_sentence_in_english(tree, city, record):
    """The caption joins title and table pointer in the page's language (no Chinese brackets)."""
    client = Client()
    client.force_login(city)
    page = client.get(reverse("supervision:index"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "(See the table “Applications by month”.)</figcaption>" in html
    assert "（See the table" not in html
