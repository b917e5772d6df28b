"""Office views of the agency tree. Thin: access through permissions, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.forms import MembershipForm
from gongkai.accounts.permissions import can, staff_required
from gongkai.accounts.services import membership_grant, membership_revoke
from gongkai.accounts.workspaces import workspace_required
from gongkai.agencies.forms import AgencyForm, MoveForm, ReadingPointFormSet
from gongkai.agencies.models import Agency
from gongkai.agencies.permissions import access_agency, access_membership
from gongkai.agencies.services import (
    agency_create,
    agency_deactivate,
    agency_move,
    agency_update,
    reading_points_replace,
)


@workspace_required("agencies")
def agency_list(request: HttpRequest) -> HttpResponse:
    """The agencies in the staff member's scope."""
    agencies = Agency.objects.visible_to(request.user).select_related("parent")
    return render(request, "agencies/list.html", {"agencies": agencies})


@staff_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One agency: its data, reading points, sub-agencies and staff."""
    agency = access_agency(user=request.user, pk=pk)
    context = {
        "agency": agency,
        "children": agency.children.all(),
        "members": agency.memberships.select_related("user"),
        "can_change": can(request.user, "agency.change", agency),
        "can_create_child": can(request.user, "agency.create_child", agency),
        "can_move": can(request.user, "agency.move", agency),
        "can_deactivate": can(request.user, "agency.deactivate", agency),
        "can_manage_members": can(request.user, "agency.manage_members", agency),
    }
    return render(request, "agencies/detail.html", context)


@staff_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an agency's data and reading points."""
    agency = access_agency(user=request.user, pk=pk, action="agency.change")
    form = AgencyForm(request.POST or None, instance=access_agency(user=request.user, pk=pk))
    formset = ReadingPointFormSet(request.POST or None, instance=agency, prefix="rp")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            agency_update(by=request.user, agency=agency, **form.cleaned_data)
            points = [
                {k: f.cleaned_data[k] for k in ("name", "address", "opening_hours", "phone")}
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            reading_points_replace(by=request.user, agency=agency, points=points)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("agencies:detail", pk=agency.pk)
    return render(
        request, "agencies/edit.html", {"agency": agency, "form": form, "formset": formset}
    )


@staff_required
def agency_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a sub-agency under this agency."""
    parent = access_agency(user=request.user, pk=pk, action="agency.create_child")
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = agency_create(by=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已新建下级机关。"))
            return redirect("agencies:detail", pk=child.pk)
    return render(request, "agencies/create.html", {"parent": parent, "form": form})


@staff_required
def agency_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an agency and its subtree under another parent."""
    agency = access_agency(user=request.user, pk=pk, action="agency.move")
    form = MoveForm(
        request.POST or None, agency=agency, candidates=Agency.objects.visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            agency_move(by=request.user, agency=agency, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已移动。"))
            return redirect("agencies:detail", pk=agency.pk)
    return render(request, "agencies/move.html", {"agency": agency, "form": form})


@staff_required
@require_POST
def agency_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate an agency (it keeps its history)."""
    agency = access_agency(user=request.user, pk=pk, action="agency.deactivate")
    try:
        agency_deactivate(by=request.user, agency=agency)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤销该机关。"))
    return redirect("agencies:detail", pk=agency.pk)


@staff_required
def agency_members(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's staff and their roles; grant a role."""
    agency = access_agency(user=request.user, pk=pk, action="agency.manage_members")
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_grant(
                by=request.user,
                user=form.cleaned_data["username"],
                agency=agency,
                role=form.cleaned_data["role"],
                includes_subagencies=form.cleaned_data["includes_subagencies"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已授予角色。"))
            return redirect("agencies:members", pk=agency.pk)
    members = agency.memberships.select_related("user").order_by("user__username", "role")
    return render(
        request, "agencies/members.html", {"agency": agency, "form": form, "members": members}
    )


@staff_required
@require_POST
def agency_member_revoke(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Take a role away from a person."""
    agency = access_agency(user=request.user, pk=pk, action="agency.manage_members")
    membership = access_membership(agency=agency, pk=membership_pk)
    membership_revoke(by=request.user, membership=membership)
    messages.success(request, _("已撤销角色。"))
    return redirect("agencies:members", pk=agency.pk)
