"""Office pages of the scorecard (考核): the ranking, one unit's figures, the indicators, export;
and the update rules of the statutory columns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import staff_required
from gongkai.catalog.choices import StatutoryItem
from gongkai.supervision import freshness, scorecard
from gongkai.supervision.exports import XLSX_TYPE, scorecard_xlsx
from gongkai.supervision.forms import ColumnRulesForm, IndicatorsForm
from gongkai.supervision.permissions import access_supervised_agency, require_supervisor
from gongkai.supervision.views_tasks import year_of


@staff_required
def ranking(request: HttpRequest) -> HttpResponse:
    """Every unit's score, ranked, each score opening its figures."""
    office = require_supervisor(request.user)[0]
    year = year_of(request)
    cards = scorecard.compute(office, year, today=timezone.localdate())
    context = {
        "office": office,
        "year": year,
        "cards": cards,
        "indicators": cards[0].parts if cards else [],
        "is_supervisor": True,
    }
    return render(request, "supervision/scorecard.html", context)


@staff_required
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's score with the figures behind each indicator."""
    office = require_supervisor(request.user)[0]
    agency = access_supervised_agency(user=request.user, pk=pk)
    year = year_of(request)
    card = scorecard.compute(office, year, today=timezone.localdate(), only=agency)[0]
    context = {"office": office, "year": year, "card": card, "is_supervisor": True}
    return render(request, "supervision/scorecard_unit.html", context)


@staff_required
def indicators(request: HttpRequest) -> HttpResponse:
    """The year's indicators and weights (考核指标及分值)."""
    office = require_supervisor(request.user)[0]
    year = year_of(request)
    current = {k: (w, t) for k, w, t in scorecard.indicators(office, year)}
    form = IndicatorsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            scorecard.indicators_set(
                by=request.user, office=office, year=year, values=form.values()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存考核指标。"))
            return redirect(f"{request.path}?year={year}")
    context = {"office": office, "year": year, "form": form, "is_supervisor": True}
    return render(request, "supervision/indicators.html", context)


@staff_required
def export(request: HttpRequest) -> HttpResponse:
    """The ranking with every indicator's points and figures, as XLSX."""
    office = require_supervisor(request.user)[0]
    year = year_of(request)
    cards = scorecard.compute(office, year, today=timezone.localdate())
    response = HttpResponse(scorecard_xlsx(cards, year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''scorecard-{year}.xlsx"
    return response


@staff_required
def column_rules(request: HttpRequest) -> HttpResponse:
    """The update rules of the statutory columns for the office's tree."""
    office = require_supervisor(request.user)[0]
    form = ColumnRulesForm(request.POST or None, current=freshness.rules_of(office))
    if request.method == "POST" and form.is_valid():
        try:
            freshness.rules_set(by=request.user, office=office, rules=form.rules())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存栏目更新要求。"))
            return redirect("supervision:column_rules")
    rows = [
        [form[f"{name}_{n}"] for name in ("kind", "month", "day", "days")]
        for n in StatutoryItem.values
    ]
    context = {"office": office, "form": form, "rows": rows, "is_supervisor": True}
    return render(request, "supervision/column_rules.html", context)
