"""Object access for catalogue items in the office: 404 for out-of-scope and missing alike."""

from __future__ import annotations

from django.http import Http404

from gongkai.accounts.permissions import access_object
from gongkai.catalog.models import Attachment, CatalogItem, SensitiveFinding
from gongkai.core.actors import Actor


def access_item(*, user: Actor, pk: int, action: str = "view") -> CatalogItem:
    """Return the item if ``user`` may reach it and perform ``action``.

    Raises Http404 when it does not exist or belongs to an agency outside the user's scope,
    and PermissionDenied when it is visible but the user's roles do not allow ``action``.
    """
    return access_object(
        CatalogItem.objects.select_related("agency"), user=user, pk=pk, action=action
    )


def access_attachment(*, item: CatalogItem, pk: int) -> Attachment:
    """One of ``item``'s attachments (the item was already access-checked)."""
    attachment = Attachment.objects.filter(pk=pk, item=item).first()
    if attachment is None:
        raise Http404
    return attachment


def access_finding(*, item: CatalogItem, pk: int) -> SensitiveFinding:
    """One of ``item``'s scan findings (the item was already access-checked)."""
    finding = SensitiveFinding.objects.filter(pk=pk, item=item).first()
    if finding is None:
        raise Http404
    return finding
