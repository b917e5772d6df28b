"""Reads of response documents: a case's documents, page images, the applicant's summary."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from gongkai.applications.choices import DeliveryMethod
from gongkai.letters.storage import read_bytes
from gongkai.responses import redaction
from gongkai.responses.locking import PDFIUM
from gongkai.responses.models import ResponseDocument, ResponseDownload

#: Width in pixels of the page images the office marks on.
PAGE_IMAGE_WIDTH = 900


def documents_for_case(application: Any) -> list[ResponseDocument]:
    """The case's documents that are part of the response, in item order."""
    return list(ResponseDocument.objects.filter(application=application).active())


def document_of_case(application: Any, pk: int) -> ResponseDocument:
    """One document of an (already access-checked) case; 404 when it is not the case's."""
    doc = (
        ResponseDocument.objects.filter(application=application, pk=pk)
        .select_related("application", "agency")
        .first()
    )
    if doc is None:
        raise Http404
    return doc


def downloads_for_case(application: Any) -> list[ResponseDownload]:
    """Every recorded download of the case's files, oldest first."""
    return list(ResponseDownload.objects.filter(application=application).select_related("user"))


def page_image(document: ResponseDocument, page: int, *, output: bool) -> bytes:
    """A PNG of one page (the restricted original, or the provided output), PAGE_IMAGE_WIDTH wide."""
    name = document.output_file if output else document.pdf_file
    if not name:
        raise Http404
    data = read_bytes(name)
    with PDFIUM:
        return _page_png(data, page)


def _page_png(data: bytes, page: int) -> bytes:
    pdf = redaction.open_pdf(data)
    try:
        if not 0 <= page < len(pdf):
            raise Http404
        pdf_page = pdf[page]
        width = pdf_page.get_width()
        bitmap = pdf_page.render(scale=PAGE_IMAGE_WIDTH / width, rotation=0)
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, "PNG", optimize=False)
        return out.getvalue()
    finally:
        pdf.close()


@dataclass(frozen=True)
class PageView:
    """One page as the marking page shows it: its number and its marks in image pixels."""

    number: int
    marks: list[dict[str, Any]]


def page_views(document: ResponseDocument) -> list[PageView]:
    """The document's pages, each with its marks placed on the PAGE_IMAGE_WIDTH image."""
    if not document.pdf_file:
        return []
    marks = document.mark_list
    data = read_bytes(document.pdf_file)
    with PDFIUM:
        return _page_views(data, marks)


def _page_views(data: bytes, marks: list[Any]) -> list[PageView]:
    pdf = redaction.open_pdf(data)
    views = []
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            crop = tuple(float(v) for v in page.get_cropbox())
            rotation = int(page.get_rotation())
            scale = PAGE_IMAGE_WIDTH / page.get_width()
            height = page.get_height() * scale
            placed = []
            for index, mark in enumerate(marks):
                if mark.page != number:
                    continue
                x0, y0, x1, y1 = redaction.pdf_to_view(
                    mark.box,
                    cropbox=crop,  # type: ignore[arg-type]
                    rotation=rotation,
                    scale=scale,
                )
                placed.append(
                    {
                        "index": index,
                        "left": round(x0 / PAGE_IMAGE_WIDTH * 100, 3),
                        "top": round(y0 / height * 100, 3),
                        "width": round((x1 - x0) / PAGE_IMAGE_WIDTH * 100, 3),
                        "height": round((y1 - y0) / height * 100, 3),
                        "mark": mark,
                    }
                )
            views.append(PageView(number, placed))
    finally:
        pdf.close()
    return views


@dataclass(frozen=True)
class DocumentSummary:
    """What the applicant's page says of one provided file."""

    document: ResponseDocument
    places: int
    reasons: list[redaction.ReasonCount]


def summaries(documents: list[ResponseDocument]) -> list[DocumentSummary]:
    """Per file: "区分处理，N 处" and the count per legal basis."""
    out = []
    for doc in documents:
        marks = doc.mark_list
        out.append(
            DocumentSummary(doc, redaction.occurrence_count(marks), redaction.summarize(marks))
        )
    return out


def withheld_statement(application: Any) -> list[str]:
    """The 区分处理说明 of the reply letter: per file, what was withheld and why."""
    lines = []
    for doc in documents_for_case(application):
        marks = doc.mark_list
        if marks:
            lines.append(f"《{doc.download_name}》：" + "".join(redaction.statement_lines(marks)))
    return lines


def letter_context(application: Any) -> dict[str, str]:
    """Placeholders of the reply letter: the files provided and the 区分处理说明."""
    documents = documents_for_case(application)
    provided = "、".join(f"《{d.download_name}》（{d.pages or 0}页）" for d in documents)
    return {"provided": provided, "withheld": "\n".join(withheld_statement(application))}


def download_days() -> int:
    """How long the applicant may download the files online (RESPONSE_DOWNLOAD_DAYS)."""
    return int(getattr(settings, "RESPONSE_DOWNLOAD_DAYS", 60))


def online_window(application: Any) -> tuple[dt.date, dt.date] | None:
    """(from, until) of the online download period, or None when nothing is offered online.

    Files are offered online once the reply was delivered by ``网上获取``: from that delivery
    date for RESPONSE_DOWNLOAD_DAYS days.
    """
    delivery = (
        application.deliveries.filter(method=DeliveryMethod.ONLINE).order_by("delivered_on").first()
    )
    if delivery is None:
        return None
    return delivery.delivered_on, delivery.delivered_on + dt.timedelta(days=download_days())


def online_open(application: Any, today: dt.date | None = None) -> bool:
    """True while the applicant may download the provided files."""
    window = online_window(application)
    today = today or timezone.localdate()
    return window is not None and window[0] <= today <= window[1]
