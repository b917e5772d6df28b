"""Background work of response documents (django-tasks): conversion to PDF (LibreOffice, never
in a web request) and rendering of long documents."""

from __future__ import annotations

from django_tasks import task

from gongkai.core.actors import SYSTEM
from gongkai.responses.services import document_convert, document_render


@task()
def convert_document(document_id: int) -> str:
    """Convert an uploaded DOCX/XLSX to the restricted original PDF; return the new status."""

    return str(document_convert(document_id=document_id).status)


@task()
def render_document(document_id: int) -> str:
    """Apply the redaction plan of a long document and check the output; return its status."""

    return str(document_render(by=SYSTEM, document_id=document_id).status)
