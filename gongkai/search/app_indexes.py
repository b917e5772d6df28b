"""Index declarations for apps that do not (yet) declare their own in ``search.py``.

The applications index lives here while ``gongkai/applications`` is being built by another
engineer; it moves to ``gongkai/applications/search.py`` unchanged once that app adopts it.
Applicants' names and ID numbers are never indexed as text (personal data); the applicant's
hashed key is a facet, so repeat detection can look at one applicant's earlier requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.applications.choices import Result, Status
from gongkai.applications.models import Application
from gongkai.search.documents import SearchDocument
from gongkai.search.identifiers import document_keys
from gongkai.search.registry import Field, SearchIndex, register


@register
class ApplicationIndex(SearchIndex):
    """Every application (open and closed), for office search and repeat detection."""

    name = "applications"
    model = "applications.Application"
    fields = (
        Field("description", 4.0),
        Field("items", 2.0),
        Field("reply", 1.0),
    )
    facets = ("agency", "status", "year", "result", "applicant")
    related = {"applications.RequestedItem": lambda item: [item.application_id]}

    def get_queryset(self) -> QuerySet[Any]:
        """Every application, with its items."""
        return Application.objects.select_related("agency").prefetch_related("items").order_by("pk")

    def stamps(self) -> dict[int, int]:
        """pk → update time in seconds."""
        return {
            pk: int(updated.timestamp()) if updated else 0
            for pk, updated in self.get_queryset().values_list("pk", "updated_at")
        }

    def to_document(self, obj: Any) -> SearchDocument:
        """Describe one application (no personal data in the text)."""
        items = "\n".join(i.description for i in obj.items.all())
        return SearchDocument(
            pk=obj.pk,
            fields={
                "description": obj.description,
                "items": items,
                "reply": obj.reply_summary or "",
            },
            facets={
                "agency": [str(obj.agency_id)],
                "status": [obj.status],
                "year": [str(obj.registration_year)],
                "result": [obj.result] if obj.result else [],
                "applicant": [obj.applicant_key] if obj.applicant_key else [],
            },
            identifiers=document_keys(registration_number=obj.registration_number),
            date=obj.received_on,
            title=f"{obj.registration_number} {obj.description[:60]}",
            text=obj.description + ("\n" + items if items else ""),
            meta={
                "registration_number": obj.registration_number,
                "agency": obj.agency.name,
                "applicant": obj.masked_name,
                "status": obj.get_status_display(),
                "received_on": obj.received_on.isoformat() if obj.received_on else None,
            },
            stamp=int(obj.updated_at.timestamp()) if obj.updated_at else 0,
        )

    def url(self, pk: int, meta: dict[str, Any]) -> str:
        """The office page of the application."""
        return reverse("applications:detail", kwargs={"pk": pk})

    def facet_labels(self, facet: str, values: Iterable[str]) -> dict[str, str]:
        """Agency names and status/result labels; applicant keys are not shown."""
        values = [v for v in values if v]
        if facet == "agency":
            ids = [int(v) for v in values if v.isdigit()]
            return {
                str(pk): n for pk, n in Agency.objects.filter(pk__in=ids).values_list("pk", "name")
            }
        if facet == "status":
            return {v: str(Status(v).label) if v in Status.values else v for v in values}
        if facet == "result":
            return {v: str(Result(v).label) if v in Result.values else v for v in values}
        if facet == "applicant":
            return dict.fromkeys(values, "")
        return {v: v for v in values}
