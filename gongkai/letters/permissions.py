"""Object access for letters: 404 for missing and out-of-scope records alike.

``letter_file_for_applicant`` is the entry point for the portal: the caller establishes that
the visitor is the case's applicant; this function only hands out letters addressed to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from gongkai.accounts.permissions import access_object
from gongkai.applications.models import Application
from gongkai.core.actors import Actor
from gongkai.letters.choices import APPLICANT_FACING, FileFormat
from gongkai.letters.models import CaseArchive, Letter
from gongkai.letters.storage import read_bytes, sha256_hex

CONTENT_TYPES: dict[str, str] = {
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.PDF: "application/pdf",
}


def access_letter(*, user: Actor, pk: int, action: str = "view") -> Letter:
    """Return the letter if ``user`` may reach it (staff of the handling agency)."""
    return access_object(Letter.objects.select_related("agency"), user=user, pk=pk, action=action)


def access_archive(*, user: Actor, pk: int, action: str = "view") -> CaseArchive:
    """Return the case archive if ``user`` may reach it."""
    return access_object(
        CaseArchive.objects.select_related("agency"), user=user, pk=pk, action=action
    )


@dataclass(frozen=True)
class LetterFile:
    """A letter's file ready to send: name, content type and bytes."""

    filename: str
    content_type: str
    data: bytes

    def response(self) -> HttpResponse:
        """An attachment response that is never cached by shared caches."""
        response = HttpResponse(self.data, content_type=self.content_type)
        response["Content-Disposition"] = content_disposition_header(True, self.filename)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Length"] = str(len(self.data))
        return response


def letter_file(letter: Letter, fmt: str) -> LetterFile:
    """Return the stored DOCX or PDF of ``letter`` (404 for another format; 410 if altered)."""
    if fmt not in FileFormat.values:
        raise Http404
    name, digest = (
        (letter.docx_file, letter.docx_sha256)
        if fmt == FileFormat.DOCX
        else (letter.pdf_file, letter.pdf_sha256)
    )
    try:
        data = read_bytes(name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    if sha256_hex(data) != digest:
        raise Http404  # the stored file no longer matches what was issued
    return LetterFile(f"{letter.number}-{letter.title}.{fmt}", CONTENT_TYPES[fmt], data)


def letter_file_for_applicant(*, application: Application, letter_pk: int, fmt: str) -> LetterFile:
    """For the portal: a letter of ``application`` addressed to its applicant, else 404.

    The caller must already have established that the visitor is ``application``'s applicant.
    Consultation letters (to third parties and other agencies) are never handed out here.
    """
    letter = Letter.objects.filter(
        pk=letter_pk, application=application, kind__in=list(APPLICANT_FACING)
    ).first()
    if letter is None:
        raise Http404
    return letter_file(letter, fmt)


def letters_for_applicant(*, application: Application) -> list[Letter]:
    """For the portal: the letters of ``application`` addressed to its applicant."""
    return list(
        Letter.objects.filter(application=application, kind__in=list(APPLICANT_FACING)).order_by(
            "issued_on", "serial"
        )
    )
