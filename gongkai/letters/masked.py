"""Masked renditions of letters and case archives for staff who see the applicant masked.

The stored letter files and the sealed archive are the official record and are handed out
unchanged to those allowed to see the applicant in full (``may_see_personal_data``). Everyone
else who may open the case gets a rendition made on request with the one masking rule
(``applications.masking``): letters re-rendered from their stored text, and for the archive a
ZIP of the masked application form, the masked letters, the masked timeline and the sealed
manifest (so the hashes of the record stay visible) — without the applicant's uploaded files,
which cannot be masked.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.applications.masking import mask_text
from gongkai.applications.permissions import may_see_personal_data
from gongkai.core.actors import Actor
from gongkai.core.archives import SEALED_LIMITS, ArchiveError, open_archive
from gongkai.letters.choices import FileFormat
from gongkai.letters.models import CaseArchive, Letter
from gongkai.letters.permissions import CONTENT_TYPES, LetterFile, letter_file
from gongkai.letters.placeholders import cn_date
from gongkai.letters.rendering import LetterDocument, render_docx, render_pdf, split_body
from gongkai.letters.storage import read_bytes

NOTE = (
    "本文件为脱敏副本：申请人的姓名、证件号码、联系电话、电子邮箱等已脱敏，通信地址已隐去；"
    "申请人提交的材料含个人信息，未包含在内。完整归档仅向办理机关的经办人员提供。\n"
)


def _html_pdf(template: str, context: dict[str, Any], application: Any) -> bytes:
    from weasyprint import HTML

    html = mask_text(render_to_string(template, context), application, html=True)
    return HTML(string=html, base_url=None).write_pdf()


def masked_letter(letter: Letter, fmt: str) -> LetterFile:
    """The letter re-rendered from its stored text with the applicant's identifiers masked."""
    if fmt not in FileFormat.values:
        raise Http404
    app = letter.application
    salutation, paragraphs = split_body(mask_text(letter.body, app))
    doc = LetterDocument(
        title=mask_text(letter.title, app),
        number=letter.number,
        salutation=salutation,
        paragraphs=paragraphs,
        signer=letter.signer,
        date=cn_date(letter.issued_on),
    )
    data = render_docx(doc) if fmt == FileFormat.DOCX else render_pdf(doc)
    return LetterFile(f"{letter.number}-{letter.title}-脱敏.{fmt}", CONTENT_TYPES[fmt], data)


def letter_for(user: Actor, letter: Letter, fmt: str) -> LetterFile:
    """The stored file for those who see the applicant in full, else the masked rendition."""
    if may_see_personal_data(user, letter.application):
        return letter_file(letter, fmt)
    return masked_letter(letter, fmt)


def masked_archive(archive: CaseArchive) -> bytes:
    """A ZIP of the masked application, letters and timeline plus the sealed manifest."""
    app = archive.application
    common = {"application": app, "agency": archive.agency, "printed_at": timezone.now()}
    letters = list(Letter.objects.filter(application=app).order_by("issued_on", "serial"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("说明.txt", NOTE)
        zf.writestr(
            "application.pdf",
            _html_pdf(
                "letters/pdf/application.html", {**common, "items": list(app.items.all())}, app
            ),
        )
        for n, letter in enumerate(letters, 1):
            zf.writestr(f"letters/{n:02d}-{letter.number}.pdf", masked_letter(letter, "pdf").data)
        events = list(app.events.select_related("actor").order_by("seq"))
        zf.writestr(
            "timeline.pdf",
            _html_pdf(
                "letters/pdf/timeline.html", {**common, "events": events, "letters": letters}, app
            ),
        )
        try:
            with open_archive(read_bytes(archive.file), limits=SEALED_LIMITS) as sealed:
                for name in ("manifest.json", "manifest.sha256"):
                    zf.writestr(f"sealed/{name}", sealed.read(name))
        except (FileNotFoundError, ArchiveError):
            pass
    return buffer.getvalue()


def archive_for(user: Actor, archive: CaseArchive) -> LetterFile:
    """The sealed archive for those who see the applicant in full, else the masked copy."""
    number = archive.application.registration_number
    if may_see_personal_data(user, archive.application):
        data = read_bytes(archive.file)
        return LetterFile(f"{number}-归档.zip", "application/zip", data)
    return LetterFile(f"{number}-归档-脱敏.zip", "application/zip", masked_archive(archive))
