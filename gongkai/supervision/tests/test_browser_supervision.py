"""Real browser (Debian chromium): the city's 政务公开办 sees a town's overdue case on its
dashboard and issues a 督办单; the town's handler finds it in the 工作台 and answers; the city
sees it answered and closes it. The town reports a task of the yearly list done with evidence;
the scorecard ranks the units and a score opens its figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.agencies.choices import AgencyKind, AgencyLevel
from gongkai.agencies.tests.factories import make_agency
from gongkai.applications.tests.factories import make_application
from gongkai.supervision.choices import Status, TaskStatus
from gongkai.supervision.models import Order, Task
from gongkai.supervision.tests.office_urls import make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _setup(settings: Any) -> None:
    settings.GONGKAI_REQUIRE_2FA = False
    cache.clear()


def test_督办_of_a_town_case_task_reported_done_and_the_scorecard(office_login, live_server, tree):
    """The 'done when' flow of the supervision issue, through the office UI only."""
    town = make_agency(
        "测试市东区河湾镇人民政府", parent=tree.district,
        kind=AgencyKind.GOVERNMENT, level=AgencyLevel.TOWNSHIP,
    )  # fmt: skip
    make_staff(tree.office, Role.HANDLER, username="city_handler")
    town_handler = make_staff(town, Role.HANDLER, username="town_handler")
    case = make_application(
        town, town_handler, received_on=timezone.localdate() - dt.timedelta(days=60)
    )
    task = make_task(town, tree.office, text="更新基层政务公开事项目录")
    city = office_login("city_handler")
    unit = office_login("town_handler")
    # the city: the office menu leads to the dashboard, which lists the town's overdue case
    city.get_by_role("link", name="监督考核").first.click()
    row = city.locator("#cases-to-supervise tr", has_text=case.registration_number)
    assert "河湾镇" in row.inner_text()
    city.wait_for_selector(".echart[data-chart='flight'] svg")  # the charts are drawn
    assert city.locator(".echart svg").count() == 4
    row.get_by_role("link", name="下发督办单").click()
    city.get_by_role("textbox", name="督办要求").fill("请于三日内答复申请人并反馈。")
    city.get_by_role("button", name="下发").click()
    city.wait_for_url("**/office/supervision/orders/*/")
    order = Order.objects.get()
    assert order.application_id == case.pk and order.agency == town

    # the town: its 工作台 shows the order; it answers
    unit.reload()
    unit.get_by_role("link", name="待反馈督办单").click()
    unit.get_by_role("link", name=order.number).click()
    unit.get_by_role("textbox", name="办理情况").fill("已于今日作出答复并送达。")
    unit.get_by_role("button", name="提交反馈").click()
    assert "已反馈" in unit.locator("#order-status").inner_text()

    # the city sees it answered and closes it
    city.goto(f"{live_server.url}/office/supervision/orders/?queue=to_close")
    city.get_by_role("link", name=order.number).click()
    assert "已于今日作出答复" in city.locator("#order-answer").inner_text()
    city.get_by_label("督办结果").select_option(label="已整改到位")
    city.get_by_role("button", name="办结").click()
    assert "已办结" in city.locator("#order-status").inner_text()
    order.refresh_from_db()
    assert order.status == Status.CLOSED

    # the town reports its task of the yearly list done, with evidence
    unit.goto(f"{live_server.url}/office/supervision/tasks/")
    unit.get_by_role("link", name="更新基层政务公开事项目录").click()
    unit.get_by_role("textbox", name="进展情况").fill("目录已更新并发布。")
    unit.get_by_role("textbox", name="佐证材料链接").fill("/catalog/items/1/")
    unit.get_by_label("任务已完成").check()
    unit.get_by_role("button", name="报送").click()
    assert "已完成" in unit.locator("#task-status").inner_text()
    assert unit.locator("#task-events a[href='/catalog/items/1/']").count() == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE

    # the scorecard ranks the units; a score opens its figures
    city.goto(f"{live_server.url}/office/supervision/scorecard/")
    ranking = city.locator("#ranking tbody tr")
    assert ranking.count() >= 6
    town_row = city.locator("#ranking tbody tr", has_text="河湾镇")
    town_row.locator("td a").click()
    figures = city.locator("#parts").inner_text()
    assert "工作要点任务按时完成" in figures and "按时完成 1/1" in figures
    assert "督办事项按时反馈" in figures and "按时反馈 1/1" in figures
    assert Task.objects.get().pk == task.pk


def test_per_unit_charts_lie_down_when_there_are_many_units(office_login, live_server, tree):
    """With a dozen units the per-unit bar charts put the names on the vertical axis, one row
    each, so no name overlaps another; the table alternative stays."""
    for i in range(12):
        make_agency(f"测试市第{i + 1}专项工作管理委员会办公室", parent=tree.city)
    make_staff(tree.office, Role.HANDLER, username="city_handler")
    city = office_login("city_handler")
    city.get_by_role("link", name="监督考核").first.click()
    city.wait_for_selector(".echart[data-chart='flight'] svg")
    box = city.locator(".echart[data-chart='flight']").bounding_box()
    assert box is not None and box["height"] > box["width"] * 0.9
    names = city.locator(".echart[data-chart='flight'] svg text", has_text="专项工作")
    tops = sorted(t["y"] for t in (n.bounding_box() for n in names.all()) if t)
    assert len(tops) == 12
    assert all(b - a >= 10 for a, b in zip(tops, tops[1:], strict=False))  # no overlap
    assert city.locator("#units").count() == 1  # the table alternative
