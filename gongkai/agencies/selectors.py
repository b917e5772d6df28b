"""Public reads of the agency tree: the directory and each agency's disclosure guide."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q

from gongkai.agencies.choices import AgencyKind
from gongkai.agencies.models import Agency, ReadingPoint


def directory(query: str = "") -> list[dict[str, Any]]:
    """Active agencies grouped under their people's government, for the public directory."""
    qs = Agency.objects.active().only(
        "id", "name", "short_name", "kind", "level", "parent_id", "path"
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    agencies = list(qs.order_by("path"))
    if query:
        return [{"government": None, "members": agencies}]
    groups: dict[int, dict[str, Any]] = {}
    order: list[int] = []
    by_id = {a.pk: a for a in agencies}
    for a in agencies:
        gov = a if a.kind == AgencyKind.GOVERNMENT else by_id.get(a.parent_id or 0, a)
        if gov.pk not in groups:
            groups[gov.pk] = {"government": gov, "members": []}
            order.append(gov.pk)
        if a is not gov:
            groups[gov.pk]["members"].append(a)
    return [groups[k] for k in order]


def guide_context(agency: Agency) -> dict[str, Any]:
    """Everything the 政府信息公开指南 page states, derived from the agency's own data.

    The guide is generated at request time from the record, so it cannot go stale.
    """
    agency = (
        Agency.objects.select_related("parent")
        .prefetch_related(Prefetch("reading_points", queryset=ReadingPoint.objects.all()))
        .get(pk=agency.pk)
    )
    government = agency.government()
    office = agency.disclosure_office()
    # Applications go to the agency itself when it may be asked directly (Art. 27: governments
    # and departments acting externally in their own name); its disclosure office handles them.
    handling = agency if agency.kind == AgencyKind.DEPARTMENT else (office or agency)
    return {
        "agency": agency,
        "government": government,
        "disclosure_office": office,
        "handling": handling,
        "reading_points": list(agency.reading_points.all())
        + ([] if agency == government else list(government.reading_points.all())),
        "review_body": government.parent if agency == government else government,
    }


def public_agency(pk: int) -> Agency | None:
    """An active agency as shown on the portal, or None."""
    return Agency.objects.active().filter(pk=pk).first()


def root_agency() -> Agency | None:
    """The platform's root government (the top of the tree)."""
    return Agency.objects.active().filter(parent=None).first()


def covers_every_agency(agency: Agency) -> bool:
    """True when ``agency`` is the only root of the tree (cached on the instance)."""
    cached = getattr(agency, "_gongkai_only_root", None)
    if cached is None:
        cached = agency.parent_id is None and not (
            Agency.objects.filter(parent__isnull=True).exclude(pk=agency.pk).exists()
        )
        agency._gongkai_only_root = cached  # type: ignore[attr-defined]
    return bool(cached)


def subtree_filter(agency: Agency, *, subtree: bool, field: str = "agency") -> Q:
    """The filter on ``<field>_id`` for ``agency`` alone or with everything below it.

    The subtree is a subquery on the materialised path (never a list of thousands of ids in the
    statement), and no filter at all for the only root, whose subtree is every agency.
    """
    if not subtree:
        return Q(**{f"{field}_id": agency.pk})
    if covers_every_agency(agency):
        return Q()
    ids = Agency.objects.filter(path__startswith=agency.path).values("pk")
    return Q(**{f"{field}_id__in": ids})
