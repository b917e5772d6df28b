"""Office pages of the yearly task list (政务公开工作要点): list, entry, one task, its steps,
exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import staff_required
from gongkai.supervision import planning
from gongkai.supervision.exports import XLSX_TYPE, tasks_docx, tasks_xlsx
from gongkai.supervision.forms import TaskForm, TaskReopenForm, TaskReportForm
from gongkai.supervision.permissions import access_task, plannable_agencies, require_supervisor
from gongkai.supervision.scope import supervising_offices
from gongkai.supervision.workflow import TASK_WORKFLOW

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def year_of(request: HttpRequest) -> int:
    """The ``?year=`` asked for (this year when missing or out of range)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2008 <= year <= today.year + 1 else today.year


@staff_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The year's tasks the person sees, with the last progress and overdue marks."""
    year = year_of(request)
    tasks = planning.tasks_of_year(request.user, year)
    today = timezone.localdate()
    rows = [
        {"task": t, "latest": planning.latest_progress(t), "overdue": t.is_overdue(today)}
        for t in tasks
    ]
    context = {
        "year": year,
        "rows": rows,
        "today": timezone.localdate(),
        "can_plan": bool(supervising_offices(request.user, "supervision.plan")),
        "is_supervisor": bool(supervising_offices(request.user)),
    }
    return render(request, "supervision/tasks.html", context)


@staff_required
def task_new(request: HttpRequest) -> HttpResponse:
    """Enter a task of the yearly list."""
    require_supervisor(request.user)
    form = TaskForm(request.POST or None, units=plannable_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            task = planning.task_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已下达任务。"))
            return redirect("supervision:task_detail", pk=task.pk)
    return render(request, "supervision/task_new.html", {"form": form})


@staff_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: its history with evidence, and the steps the person may take."""
    task = access_task(user=request.user, pk=pk)
    steps = TASK_WORKFLOW.allowed(request.user, task)
    context = {
        "task": task,
        "events": task.events.all(),
        "report_form": TaskReportForm() if "report" in steps else None,
        "reopen_form": TaskReopenForm() if "reopen" in steps else None,
        "today": timezone.localdate(),
    }
    return render(request, "supervision/task_detail.html", context)


@staff_required
@require_POST
def task_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """报送进展/完成 (``report``) or 退回 (``reopen``)."""
    if step not in ("report", "reopen"):
        raise Http404
    task = access_task(user=request.user, pk=pk, action=TASK_WORKFLOW[step].action)
    form = (TaskReportForm if step == "report" else TaskReopenForm)(request.POST)
    if form.is_valid():
        try:
            if step == "report":
                planning.task_report(by=request.user, task=task, **form.cleaned_data)
            else:
                planning.task_reopen(by=request.user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已报送。") if step == "report" else _("已退回。"))
            return redirect("supervision:task_detail", pk=task.pk)
    context = {"task": task, "events": task.events.all(), f"{step}_form": form}
    return render(request, "supervision/task_detail.html", context, status=400)


@staff_required
def task_export(request: HttpRequest) -> HttpResponse:
    """The year's list in the layout offices circulate (``?format=xlsx`` or ``docx``)."""
    year = year_of(request)
    fmt = "docx" if request.GET.get("format") == "docx" else "xlsx"
    rows = [(t, planning.latest_progress(t)) for t in planning.tasks_of_year(request.user, year)]
    if fmt == "xlsx":
        response = HttpResponse(tasks_xlsx(rows, year), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(tasks_docx(rows, year), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''tasks-{year}.{fmt}"
    return response
