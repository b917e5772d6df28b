"""The yearly task list: entry by the office, progress and completion by the lead unit with
evidence links, reopening, every step from every status, overdue tasks on the dashboard and
督办-able, and the XLSX/DOCX exports read back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.core.workflow import StepRefused
from gongkai.supervision import dashboard, planning, services
from gongkai.supervision.choices import Source, TaskEventKind, TaskStatus
from gongkai.supervision.models import Order, Task
from gongkai.supervision.tests.office_urls import make_task
from gongkai.supervision.workflow import TASK_WORKFLOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, staff):
    return {
        "city": make_staff(tree.office, Role.HANDLER, username="city_handler"),
        "unit": make_staff(tree.district_dept, Role.HANDLER, username="unit_handler"),
        **staff,
    }


def test_office_enters_tasks_for_units_and_itself(tree, people):
    """The office gives tasks to units below it and to itself; supporting units see them."""
    task = planning.task_create(
        by=people["city"], agency=tree.district_dept, text="推进基层政务公开标准化",
        deadline=timezone.localdate() + dt.timedelta(30), supporting=[tree.dept_a, tree.district_dept],
        code="一、1", year=timezone.localdate().year,
    )  # fmt: skip
    assert task.issuer == tree.office and task.status == TaskStatus.IN_PROGRESS
    assert list(task.supporting.all()) == [tree.dept_a]  # the lead is not its own supporter
    own = planning.task_create(
        by=people["city"], agency=tree.office, text="编制年度报告", deadline=timezone.localdate()
    )
    assert own.agency == tree.office
    assert set(planning.tasks_of_year(people["handler_a"], timezone.localdate().year)) == {task}
    with pytest.raises(PermissionDenied):
        planning.task_create(
            by=people["unit"], agency=tree.district_dept, text="x", deadline=timezone.localdate()
        )


def test_progress_completion_with_evidence_and_reopen(tree, people):
    """Progress keeps the status; completion needs evidence; the office may send it back."""
    task = make_task(tree.district_dept, tree.office)
    with pytest.raises(PermissionDenied):
        planning.task_report(by=people["handler_a"], task=task, text="x")  # a supporter cannot
    planning.task_report(
        by=people["unit"], task=task, text="已完成初稿", evidence="/catalog/items/1/"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    with pytest.raises(ValidationError) as exc:
        planning.task_report(by=people["unit"], task=task, text="完成", done=True)
    assert "evidence" in exc.value.message_dict
    for bad in ("javascript:alert(1)", "//evil.example/x", "ftp://x.cn/a"):
        with pytest.raises(ValidationError):
            planning.task_report(by=people["unit"], task=task, text="完成", evidence=bad)
    planning.task_report(
        by=people["unit"], task=task, text="已发布", done=True,
        evidence="https://www.linjiang.gov.cn/a.html\n/catalog/items/2/",
    )  # fmt: skip
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_on == timezone.localdate()
    latest = planning.latest_progress(task)
    assert latest.kind == TaskEventKind.DONE and len(latest.evidence) == 2
    with pytest.raises(PermissionDenied):
        planning.task_reopen(by=people["unit"], task=task, reason="x")
    planning.task_reopen(by=people["city"], task=task, reason="佐证材料不全")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.done_on is None


@pytest.mark.parametrize("status", list(TaskStatus))
@pytest.mark.parametrize("step", ["report", "complete", "reopen"])
def test_each_task_step_from_every_status(tree, people, status, step):
    """A step starts only from its source statuses."""
    task = make_task(tree.district_dept, tree.office)
    Task.objects.filter(pk=task.pk).update(status=status)
    task.refresh_from_db()
    run = {
        "report": lambda: planning.task_report(by=people["unit"], task=task, text="进展"),
        "complete": lambda: planning.task_report(
            by=people["unit"], task=task, text="完成", evidence="/a/", done=True
        ),
        "reopen": lambda: planning.task_reopen(by=people["city"], task=task, reason="r"),
    }[step]
    if status in TASK_WORKFLOW[step].sources:
        run()
        task.refresh_from_db()
        assert task.status == (TASK_WORKFLOW[step].target or status)
    else:
        with pytest.raises(StepRefused):
            run()


def test_overdue_task_on_the_dashboard_and_督办(tree, people):
    """A task past its deadline counts on its unit's row, is listed, and can be 督办-ed."""
    task = make_task(tree.district_dept, tree.office)
    Task.objects.filter(pk=task.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    make_task(tree.district_dept, tree.office, text="另一项")
    data = dashboard.build(tree.city, year=timezone.localdate().year, today=timezone.localdate())
    row = next(r for r in data["rows"] if r.agency == tree.district)
    assert (row.figures["tasks"], row.figures["tasks_overdue"]) == (2, 1)
    assert list(planning.overdue_tasks(tree.city, timezone.localdate())) == [task]
    client = Client()
    client.force_login(people["city"])
    page = client.get(reverse("supervision:index")).content.decode()
    assert f"task={task.pk}" in page
    form = client.get(
        reverse("supervision:order_new"), {"agency": tree.district_dept.pk, "task": task.pk}
    )
    assert form.status_code == 200 and form.context["form"].initial["source"] == Source.TASK
    order = services.order_issue(
        by=people["city"], agency=tree.district_dept, task=task, source=Source.TASK,
        subject="任务逾期", deadline=timezone.localdate(),
    )  # fmt: skip
    assert Order.objects.get().task == task == order.task
    with pytest.raises(ValidationError):
        services.order_issue(
            by=people["city"],
            agency=tree.dept_b,
            task=task,
            subject="x",
            deadline=timezone.localdate(),
        )


def test_pages_and_exports(tree, people):
    """The list, entry form, report form; XLSX and DOCX read back with the task and progress."""
    from docx import Document
    from openpyxl import load_workbook

    client = Client()
    client.force_login(people["city"])
    response = client.post(
        reverse("supervision:task_new"),
        {
            "year": timezone.localdate().year,
            "code": "3",
            "text": "做好政策解读",
            "agency": tree.district_dept.pk,
            "supporting": [tree.dept_a.pk],
            "deadline": (timezone.localdate() + dt.timedelta(10)).isoformat(),
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302
    unit = Client()
    unit.force_login(people["unit"])
    detail = unit.get(reverse("supervision:task_detail", args=[task.pk])).content.decode()
    assert "报送进展" in detail
    step = reverse("supervision:task_step", args=[task.pk, "report"])
    assert unit.post(step, {"text": "完成", "done": "on"}).status_code == 400
    assert client.post(step, {"text": "x"}).status_code == 403
    ok = unit.post(step, {"text": "已发布解读", "evidence": "/catalog/items/9/", "done": "on"})
    assert ok.status_code == 302
    xlsx = client.get(reverse("supervision:task_export"), {"format": "xlsx"}).content
    rows = list(load_workbook(io.BytesIO(xlsx)).active.values)
    assert rows[0][:3] == ("序号", "工作任务", "牵头单位")
    assert rows[1][1] == "做好政策解读" and rows[1][3] == tree.dept_a.name
    assert rows[1][6] == "已发布解读" and rows[1][7] == "/catalog/items/9/"
    docx = client.get(reverse("supervision:task_export"), {"format": "docx"}).content
    doc = Document(io.BytesIO(docx))
    cells = [c.text for c in doc.tables[0].rows[1].cells]
    assert cells[1] == "做好政策解读" and cells[-1] == "已完成"
    assert "任务分工" in doc.paragraphs[0].text
