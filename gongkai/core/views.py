"""The auditor's view of the audit trail (read-only)."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.accounts.scoping import agency_ids_for
from gongkai.accounts.workspaces import workspace_required
from gongkai.core.selectors import audit_events_visible_to, filter_audit_events
from gongkai.core.widgets import IsoDateInput


class AuditFilterForm(forms.Form):
    """Filters on the audit page."""

    action = forms.CharField(label=_("操作"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    target = forms.CharField(label=_("对象"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=IsoDateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=IsoDateInput())


@workspace_required("audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    """Browse and filter the audit trail (auditors only)."""
    if not agency_ids_for(request.user, roles=[Role.AUDITOR]):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    qs = audit_events_visible_to(request.user)
    if form.is_valid():
        qs = filter_audit_events(qs, **form.cleaned_data)
    page = Paginator(qs.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"form": form, "page": page})
