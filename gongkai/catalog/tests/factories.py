"""Test helpers: items through the services, and small real PDF/DOCX/XLSX files."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from gongkai.catalog.choices import Genre
from gongkai.catalog.models import CatalogItem, Category
from gongkai.catalog.services import (
    item_approve,
    item_create,
    item_review,
    item_submit,
)
from gongkai.core.actors import SYSTEM


def subject(name: str = "综合政务") -> Category:
    """A shipped gov.cn class (re-shipped when a transactional test flushed the tables)."""
    found = Category.objects.filter(scheme__code="govcn", parent=None, name=name).first()
    if found is None:
        import importlib

        from django.apps import apps

        ship = importlib.import_module(
            "gongkai.catalog.migrations.0002_shipped_categories_and_terms"
        )
        ship.ship(apps, None)
        found = Category.objects.get(scheme__code="govcn", parent=None, name=name)
    return found


def make_item(agency: Any, *, by: Any = SYSTEM, **values: Any) -> CatalogItem:
    """Draft an item for ``agency`` (by the system unless ``by`` is given)."""
    values.setdefault("title", "关于做好政务公开工作的通知")
    values.setdefault("summary", "部署本年度政务公开重点工作。")
    values.setdefault("body", "<p>各单位：</p><p>现将有关事项通知如下。</p>")
    values.setdefault("genre", Genre.NOTICE)
    values.setdefault("written_on", dt.date(2026, 3, 2))
    values.setdefault("category", subject())
    return item_create(by=by, agency=agency, **values)


def publish(item: CatalogItem) -> CatalogItem:
    """Take a clean draft through review and approval as the system."""
    item_submit(by=SYSTEM, item=item)
    item_review(by=SYSTEM, item=item, basis="《保密法》及本机关保密事项范围", result="PASS")
    return item_approve(by=SYSTEM, item=item)


def make_published(agency: Any, **values: Any) -> CatalogItem:
    """A published item."""
    return publish(make_item(agency, **values))


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF with the given ASCII lines on each page (Helvetica)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font_id = 3 + 2 * n_pages
    for i, lines in enumerate(pages):
        content_id = 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        ops = ["BT", "/F1 12 Tf", "14 TL", "50 800 Td"]
        for line in lines:
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({safe}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A DOCX with the given paragraphs."""
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows: list[list[Any]], title: str = "名单") -> bytes:
    """An XLSX with one sheet of rows."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
