"""The catalogue's search index: what of a catalogue item is searchable, and how much it weighs.

Only public items (published and 主动公开) are indexed; withdrawing an item removes it from the
index as soon as the transaction commits. Weights: title > keywords > summary > body >
attachment text. The search app owns the engines (``gongkai.search``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from gongkai.agencies.models import Agency
from gongkai.catalog.choices import Genre, Validity
from gongkai.catalog.models import Attachment, CatalogItem, Category
from gongkai.search.documents import SearchDocument
from gongkai.search.identifiers import document_keys
from gongkai.search.registry import Field, SearchIndex, register

#: Portal URL names tried, in order, for an item's public page.
ITEM_URL_NAMES = ("portal:catalog_item", "portal:item", "catalog:item", "portal:document")


def _attachment_text(item: Any) -> str:
    return _units_text([(att.name, att.text_units) for att in item.attachments.all()])


def _units_text(attachments: Iterable[tuple[str, Any]]) -> str:
    """Attachment names and their extracted text, one per line (in attachment order)."""
    parts: list[str] = []
    for name, units in attachments:
        parts.append(name)
        for unit in units or []:
            text = unit[2] if isinstance(unit, list | tuple) else (unit or {}).get("text", "")
            if text:
                parts.append(str(text))
    return "\n".join(parts)


@register
class CatalogIndex(SearchIndex):
    """Public catalogue items, with agency, category, year, genre and validity facets."""

    name = "catalog"
    model = "catalog.CatalogItem"
    fields = (
        Field("title", 8.0),
        Field("keywords", 4.0),
        Field("summary", 2.0),
        Field("body", 1.0),
        Field("attachments", 0.5),
    )
    facets = ("agency", "category", "year", "genre", "validity")
    related = {"catalog.Attachment": lambda att: [att.item_id]}

    def get_queryset(self) -> QuerySet[Any]:
        """Public items, with everything ``to_document`` reads."""
        return (
            CatalogItem.objects.public()
            .select_related("agency", "category", "category__parent")
            .prefetch_related("co_issuers", "extra_categories", "attachments")
            .order_by("pk")
        )

    def stamps(self) -> dict[int, int]:
        """pk → update time in seconds, without building documents."""
        return {
            pk: int(updated.timestamp()) if updated else 0
            for pk, updated in self.get_queryset().values_list("pk", "updated_at")
        }

    def to_document(self, obj: Any) -> SearchDocument:
        """Describe one item."""
        agencies = [obj.agency, *obj.co_issuers.all()]
        categories = [c for c in [obj.category, *obj.extra_categories.all()] if c is not None]
        body = strip_tags(obj.body or "")
        keywords = " ".join([obj.keywords or "", obj.doc_number or "", *(a.name for a in agencies)])
        return SearchDocument(
            pk=obj.pk,
            fields={
                "title": obj.title,
                "keywords": keywords,
                "summary": obj.summary or "",
                "body": body,
                "attachments": _attachment_text(obj),
            },
            facets={
                "agency": [str(a.pk) for a in agencies],
                "category": [str(c.pk) for c in categories],
                "year": [str(obj.published_year)] if obj.published_year else [],
                "genre": [obj.genre] if obj.genre else [],
                "validity": [obj.validity] if obj.validity else [],
            },
            identifiers=document_keys(doc_number=obj.doc_number, index_number=obj.index_number),
            date=obj.published_on,
            title=obj.title,
            text=(obj.summary + "\n" if obj.summary else "") + body,
            meta={
                "agency": obj.agency.name,
                "doc_number": obj.doc_number,
                "index_number": obj.index_number,
                "genre": obj.get_genre_display(),
                "validity": obj.get_validity_display(),
                "validity_code": obj.validity,
                "category": obj.category.full_name if obj.category else "",
            },
            stamp=int(obj.updated_at.timestamp()) if obj.updated_at else 0,
        )

    def iter_documents(self) -> Iterator[SearchDocument]:
        """Every public item's document, for rebuilds: the same documents as ``to_document``
        (a test compares them), built from plain rows — no model instances, related managers
        or label look-ups per item, which cost more than segmenting the text."""
        context = self.rebuild_context()
        for rows in self.iter_rows():
            yield from self.documents_from_rows(rows, context)

    def rebuild_context(self) -> dict[str, Any]:
        """Agency names, categories and labels, read once per rebuild."""
        meta = CatalogItem._meta
        return {
            "agencies": dict(Agency.objects.values_list("pk", "name")),
            "agency_order": {
                pk: i for i, pk in enumerate(Agency.objects.values_list("pk", flat=True))
            },
            "categories": {c.pk: c.full_name for c in Category.objects.select_related("parent")},
            "category_order": {
                pk: i for i, pk in enumerate(Category.objects.values_list("pk", flat=True))
            },
            "genres": {v: str(label) for v, label in meta.get_field("genre").flatchoices},
            "validities": {v: str(label) for v, label in meta.get_field("validity").flatchoices},
        }

    def iter_rows(self) -> Iterator[tuple[list[tuple[Any, ...]], dict[str, Any]]]:
        """Public items as plain rows, ``batch_size`` at a time, with their co-issuers, extra
        categories and attachments."""
        columns = (
            "pk", "title", "keywords", "summary", "body", "doc_number", "index_number",
            "published_year", "published_on", "genre", "validity", "updated_at", "agency_id",
            "category_id",
        )  # fmt: skip
        public = CatalogItem.objects.public().order_by("pk")
        co_issuers = CatalogItem.co_issuers.through.objects
        extra = CatalogItem.extra_categories.through.objects
        last = 0
        while True:
            rows = list(public.filter(pk__gt=last).values_list(*columns)[: self.batch_size])
            if not rows:
                return
            first, last = rows[0][0], rows[-1][0]
            # the batch as a subquery: a 500-id IN list costs more to send than to run
            ids = public.filter(pk__gte=first, pk__lte=last).values("pk")
            related: dict[str, Any] = {"co": {}, "cats": {}, "files": {}}
            for item_id, agency_id in co_issuers.filter(catalogitem_id__in=ids).values_list(
                "catalogitem_id", "agency_id"
            ):
                related["co"].setdefault(item_id, []).append(agency_id)
            for item_id, category_id in extra.filter(catalogitem_id__in=ids).values_list(
                "catalogitem_id", "category_id"
            ):
                related["cats"].setdefault(item_id, []).append(category_id)
            for item_id, name, units in Attachment.objects.filter(item_id__in=ids).values_list(
                "item_id", "name", "text_units"
            ):
                related["files"].setdefault(item_id, []).append((name, units))
            yield rows, related

    def documents_from_rows(
        self, batch: tuple[list[tuple[Any, ...]], dict[str, Any]], context: dict[str, Any]
    ) -> list[SearchDocument]:
        """The documents of one batch of ``iter_rows`` (no database: runs in rebuild workers)."""
        rows, related = batch
        agencies, categories = context["agencies"], context["categories"]
        agency_order, category_order = context["agency_order"], context["category_order"]
        genres, validities = context["genres"], context["validities"]
        co, cats, files = related["co"], related["cats"], related["files"]
        docs = []
        for r in rows:
            (pk, title, keywords, summary, body, doc_number, index_number, year,
             published_on, genre, validity, updated_at, agency_id, category_id) = r  # fmt: skip
            issuers = [agency_id, *sorted(co.get(pk, []), key=agency_order.__getitem__)]
            category = categories.get(category_id) if category_id else None
            extra_cats = sorted(cats.get(pk, []), key=category_order.__getitem__)
            text_body = strip_tags(body or "")
            docs.append(
                SearchDocument(
                    pk=pk,
                    fields={
                        "title": title,
                        "keywords": " ".join(
                            [keywords or "", doc_number or "", *(agencies[a] for a in issuers)]
                        ),
                        "summary": summary or "",
                        "body": text_body,
                        "attachments": _units_text(files.get(pk, [])),
                    },
                    facets={
                        "agency": [str(a) for a in issuers],
                        "category": [
                            str(c)
                            for c in ([category_id] if category is not None else []) + extra_cats
                        ],
                        "year": [str(year)] if year else [],
                        "genre": [genre] if genre else [],
                        "validity": [validity] if validity else [],
                    },
                    identifiers=document_keys(doc_number=doc_number, index_number=index_number),
                    date=published_on,
                    title=title,
                    text=(summary + "\n" if summary else "") + text_body,
                    meta={
                        "agency": agencies[agency_id],
                        "doc_number": doc_number,
                        "index_number": index_number,
                        "genre": genres.get(genre, genre),
                        "validity": validities.get(validity, validity),
                        "validity_code": validity,
                        "category": category or "",
                    },
                    stamp=int(updated_at.timestamp()) if updated_at else 0,
                )
            )
        return docs

    def url(self, pk: int, meta: dict[str, Any]) -> str:
        """The item's public page (empty while the portal has no item page)."""
        for name in ITEM_URL_NAMES:
            try:
                return reverse(name, kwargs={"pk": pk})
            except NoReverseMatch:
                continue
        return ""

    def facet_labels(self, facet: str, values: Iterable[str]) -> dict[str, str]:
        """Agency and category names, genre and validity labels."""
        values = [v for v in values if v]
        if facet == "agency":
            ids = [int(v) for v in values if v.isdigit()]
            return {
                str(pk): n for pk, n in Agency.objects.filter(pk__in=ids).values_list("pk", "name")
            }
        if facet == "category":
            ids = [int(v) for v in values if v.isdigit()]
            cats = Category.objects.filter(pk__in=ids).select_related("parent")
            return {str(c.pk): c.full_name for c in cats}
        if facet == "genre":
            return {v: str(Genre(v).label) if v in Genre.values else v for v in values}
        if facet == "validity":
            return {v: str(Validity(v).label) if v in Validity.values else v for v in values}
        return {v: v for v in values}
