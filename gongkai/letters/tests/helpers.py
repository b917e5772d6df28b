"""Read generated files back as text."""

from __future__ import annotations

import io
import re
from typing import Any

from gongkai.letters.rendering import extract_docx_text


def squash(text: str) -> str:
    """Drop whitespace (PDF text extraction breaks lines anywhere)."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, whitespace removed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return squash("".join(page.extract_text() for page in reader.pages))


def docx_text(data: bytes) -> str:
    """The paragraph text of a DOCX, whitespace removed."""
    return squash(extract_docx_text(data))


def pdf_fonts(data: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font of the PDF."""
    from pypdf import PdfReader

    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]  # a dictionary object (pypdf types it loosely)
        for font in resources["/Font"].values():
            font = font.get_object()
            desc_font = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = desc_font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found
