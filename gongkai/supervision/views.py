"""Office pages of 监督考核: cases to supervise, the 督办 ledger, one 督办单 and its steps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.supervision import dashboard, selectors, services
from gongkai.supervision.exports import dashboard_xlsx, ledger_xlsx
from gongkai.supervision.forms import IssueForm
from gongkai.supervision.freshness import rules_of
from gongkai.supervision.permissions import (
    access_order,
    access_supervised_agency,
    require_supervisor,
)
from gongkai.supervision.planning import overdue_tasks
from gongkai.supervision.steps import PAGE_STEPS, forms_for
from gongkai.supervision.workflow import WORKFLOW

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@workspace_required("supervision")
def index(request: HttpRequest) -> HttpResponse:
    """监督考核: the dashboard across the tree, or (for a unit's staff) its 督办单."""
    if not selectors.supervising_offices(request.user):
        context = {
            "summary": selectors.ledger_summary(selectors.ledger(request.user)),
            "todo": selectors.ledger(request.user, "todo").count(),
        }
        return render(request, "supervision/index.html", context)
    root, year = selectors.dashboard_scope(request.user, request.GET)
    rules = rules_of(selectors.supervising_offices(request.user)[0])
    data = dashboard.build(root, year=year, today=timezone.localdate(), rules=rules)
    context = data | {
        "charts": dashboard.charts(data),
        "trail": selectors.trail(request.user, root),
        "cases": selectors.cases_to_supervise(request.user).filter(
            agency__path__startswith=root.path
        )[:50],
        "overdue_tasks": overdue_tasks(root, timezone.localdate())[:50],
        "is_supervisor": True,
    }
    return render(request, "supervision/dashboard.html", context)


@staff_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's tables as XLSX."""
    root, year = selectors.dashboard_scope(request.user, request.GET)
    data = dashboard.build(root, year=year, today=timezone.localdate())
    response = HttpResponse(dashboard_xlsx(data), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''dashboard-{year}.xlsx"
    return response


@staff_required
def cases(request: HttpRequest) -> HttpResponse:
    """Overdue and due-soon cases of the supervised units, each with a 督办 button."""
    offices = require_supervisor(request.user)
    rows = selectors.cases_to_supervise(request.user)[:500]
    return render(request, "supervision/cases.html", {"offices": offices, "cases": rows})


@staff_required
def orders(request: HttpRequest) -> HttpResponse:
    """The 督办 ledger: every 督办单 the person sees, by queue, with outcomes."""
    queue = request.GET.get("queue", "all")
    qs = selectors.ledger(request.user, queue)
    context = {
        "queues": selectors.QUEUES,
        "queue": queue if queue in selectors.QUEUES else "all",
        "rows": selectors.ledger_rows(qs[:500]),
        "summary": selectors.ledger_summary(qs),
    }
    return render(request, "supervision/orders.html", context)


@staff_required
def orders_export(request: HttpRequest) -> HttpResponse:
    """The 督办 ledger as XLSX."""
    qs = selectors.ledger(request.user, request.GET.get("queue", "all"))
    response = HttpResponse(ledger_xlsx(selectors.ledger_rows(qs)), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''dubantaizhang.xlsx"
    return response


@staff_required
def order_new(request: HttpRequest) -> HttpResponse:
    """下发督办单 to a supervised unit, about one of its cases or another matter."""
    require_supervisor(request.user)
    source = request.POST if request.method == "POST" else request.GET
    agency = access_supervised_agency(user=request.user, pk=source.get("agency"))
    case = selectors.supervised_case(request.user, source.get("application") or None)
    task = selectors.supervised_task(request.user, source.get("task") or None)
    if (case and case.agency_id != agency.pk) or (task and task.agency_id != agency.pk):
        raise Http404
    form = IssueForm(
        request.POST or None,
        initial=selectors.issue_initial(agency, case, task, source),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in selectors.ISSUE_FIELDS}
        try:
            order = services.order_issue(
                by=request.user, agency=agency, application=case, task=task, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已下发督办单 %(n)s。") % {"n": order.number})
            return redirect("supervision:order_detail", pk=order.pk)
    context = {"form": form, "agency": agency, "case": case, "task": task}
    return render(request, "supervision/order_new.html", context)


@staff_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One 督办单: its history and the steps the person may take now."""
    order = access_order(user=request.user, pk=pk)
    steps = WORKFLOW.allowed(request.user, order)
    context = {"order": order, "events": order.events.all(), "forms": forms_for(steps)}
    return render(request, "supervision/order_detail.html", context)


@staff_required
@require_POST
def order_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one step (answer, return, close) from the order's page."""
    if step not in PAGE_STEPS:
        raise Http404
    order = access_order(user=request.user, pk=pk, action=WORKFLOW[step].action)
    form = PAGE_STEPS[step].form(request.POST)
    if form.is_valid():
        try:
            PAGE_STEPS[step].run(request.user, order, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已办理：%(step)s。") % {"step": WORKFLOW[step].label})
            return redirect("supervision:order_detail", pk=order.pk)
    steps = WORKFLOW.allowed(request.user, order)
    forms = forms_for(steps) | {step: form}
    context = {"order": order, "events": order.events.all(), "forms": forms}
    return render(request, "supervision/order_detail.html", context, status=400)
