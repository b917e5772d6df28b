"""The platform admin's calendar pages: loaded years, one year, loading a year. Thin views."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import require_platform_admin
from gongkai.accounts.workspaces import workspace_required
from gongkai.core.params import year_param
from gongkai.workcalendar.calendar import DayKind
from gongkai.workcalendar.forms import YearLoadForm
from gongkai.workcalendar.schedule import schedule_to_json
from gongkai.workcalendar.selectors import (
    get_calendar,
    missing_years_warning,
    year_row,
    year_schedule,
    year_summaries,
)
from gongkai.workcalendar.services import calendar_year_load

if TYPE_CHECKING:
    from gongkai.accounts.models import User


@workspace_required("calendar")
def year_list(request: HttpRequest) -> HttpResponse:
    """The loaded years with their sources, and the years still missing."""
    missing = missing_years_warning(timezone.localdate())
    context = {
        "summaries": year_summaries(),
        "missing": missing,
        "missing_text": "、".join(str(y) for y in missing),
    }
    return render(request, "workcalendar/year_list.html", context)


@require_platform_admin
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """One loaded year: its source notice, days off by holiday, weekend working days."""
    row = year_row(year)
    if row is None:
        raise Http404
    calendar = get_calendar()
    context = {
        "row": row,
        "spans": calendar.holidays_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)),
        "workdays": [
            o for o in calendar.overrides_in_year(year) if o.kind is DayKind.WEEKEND_WORKDAY
        ],
        "working_days": calendar.working_days_in_year(year).days,
    }
    return render(request, "workcalendar/year_detail.html", context)


@require_platform_admin
def year_load(request: HttpRequest) -> HttpResponse:
    """Load a new year, or correct a loaded one, from its JSON (audited by the service)."""
    initial: dict[str, str] = {}
    correcting = year_param(request.GET, lenient=True)
    if request.method != "POST" and correcting is not None:
        schedule = year_schedule(correcting)
        if schedule is not None:
            initial["text"] = schedule_to_json(schedule)
    form = YearLoadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            by = cast("User", request.user)  # require_platform_admin: a logged-in user
            row = calendar_year_load(data=form.cleaned_data["data"], by=by)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已载入%(year)d年节假日安排。") % {"year": row.year})
            return redirect("workcalendar:year_detail", year=row.year)
    return render(request, "workcalendar/year_load.html", {"form": form})
