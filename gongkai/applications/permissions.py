"""Object access for applications in the office: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from django.http import Http404

from gongkai.accounts.choices import WORK_ROLES
from gongkai.accounts.permissions import access_object
from gongkai.accounts.scoping import memberships_of
from gongkai.applications.models import Application, Consultation, Lawsuit, Review
from gongkai.core.actors import Actor


def access_application(*, user: Actor, pk: int, action: str = "view") -> Application:
    """Return the case if ``user`` may reach it and perform ``action`` on its agency's records.

    Raises Http404 when it does not exist or lies outside the user's scope, and
    PermissionDenied when it is visible but the user's roles do not allow ``action``.
    """
    return access_object(
        Application.objects.select_related("agency", "handler"), user=user, pk=pk, action=action
    )


def access_consultation(*, application: Application, pk: int) -> Consultation:
    """Return one of the (already access-checked) case's consultations."""
    item = application.consultations.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def access_review(*, application: Application, pk: int) -> Review:
    """Return one of the (already access-checked) case's review records."""
    item = application.reviews.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def access_lawsuit(*, application: Application, pk: int) -> Lawsuit:
    """Return one of the (already access-checked) case's lawsuit records."""
    item = application.lawsuits.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def may_see_personal_data(user: Actor, application: Application) -> bool:
    """True only for staff holding a working role directly in the handling agency.

    Staff reaching the case through a parent agency's subtree, platform admins and auditors see
    the applicant's data masked.
    """
    return any(
        m.agency_id == application.agency_id and m.role in WORK_ROLES for m in memberships_of(user)
    )
