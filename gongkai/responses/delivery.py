"""Getting the provided files to the applicant: the delivery record, the print/send package,
and the file responses (never a public URL; attachment, nosniff, no-store)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.applications import services as app_services
from gongkai.applications.workflow import APPLICANT
from gongkai.core.actors import Actor
from gongkai.letters.archive import build_zip
from gongkai.letters.rendering import render_html_pdf
from gongkai.letters.selectors import letters_for_case
from gongkai.letters.storage import read_bytes, sha256_hex
from gongkai.portal import access as acc
from gongkai.responses.choices import DownloadChannel
from gongkai.responses.models import ResponseDocument
from gongkai.responses.selectors import documents_for_case
from gongkai.responses.services import download_record


def delivery_record(
    *,
    by: Actor,
    application: Any,
    method: str,
    delivered_on: dt.date,
    proof: str = "",
    reason: str = "",
) -> Any:
    """Record the delivery of the approved reply; another method than asked needs a reason."""

    asked = application.requested_delivery
    if asked and method != asked and not reason.strip():
        raise ValidationError(
            {
                "reason": _("申请人要求以“%(asked)s”方式获取，改用其他方式须写明理由。")
                % {"asked": application.get_requested_delivery_display()}
            }
        )
    note = proof.strip()
    if asked and method != asked:
        note = f"{note}；" if note else ""
        note += _("未按申请人要求的方式送达，理由：%(reason)s") % {"reason": reason.strip()}
    return app_services.application_record_delivery(
        by=by, application=application, method=method, delivered_on=delivered_on, proof=note
    )


def attachment(data: bytes, name: str, content_type: str = "application/pdf") -> HttpResponse:
    """A private, never-cached, never-sniffed attachment response."""
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def output_bytes(document: ResponseDocument) -> bytes:
    """The provided file, checked against the hash recorded when it was rendered."""
    if not document.is_ready:
        raise ValidationError(_("提供文件尚未生成。"))
    data = read_bytes(document.output_file)
    if sha256_hex(data) != document.output_sha256:
        raise ValidationError(_("提供文件已被改动，不能下载。"))
    return data


def serve_output(*, document: ResponseDocument, channel: str, by: Actor, who: str) -> HttpResponse:
    """Serve a provided file and record the download."""
    data = output_bytes(document)
    download_record(
        application=document.application,
        document=document,
        file_name=document.download_name,
        sha256=document.output_sha256,
        channel=channel,
        by=by,
        who=who,
    )
    return attachment(data, document.download_name)


def applicant_label(request: Any) -> str:
    """How a download by the applicant is recorded: through an account or the access code."""

    account = acc.current_account(request)
    return str(_("申请人（账户）") if account is not None else _("申请人（查询码）"))


def record_applicant_download(request: Any, *, application: Any, name: str, data: bytes) -> None:
    """Record the applicant's download of a letter from the portal case page."""

    download_record(
        application=application,
        document=None,
        file_name=name,
        sha256=sha256_hex(data),
        channel=DownloadChannel.PORTAL,
        by=APPLICANT,
        who=applicant_label(request),
    )


def package(*, application: Any, by: Actor) -> tuple[bytes, str]:
    """The print/send package (ZIP): the reply letters, every provided file, the 送达回证."""

    documents = documents_for_case(application)
    members: list[tuple[str, bytes]] = []
    letters = list(letters_for_case(application=application))
    for n, letter in enumerate(letters, 1):
        members.append((f"01-文书/{n:02d}-{letter.number}.pdf", read_bytes(letter.pdf_file)))
    for n, doc in enumerate(documents, 1):
        members.append((f"02-答复材料/{n:02d}-{doc.download_name}", output_bytes(doc)))
    receipt = render_html_pdf(
        "responses/pdf/service_receipt.html",
        {
            "application": application,
            "agency": application.agency,
            "letters": letters,
            "documents": documents,
            "printed_at": timezone.now(),
        },
    )
    members.append(("03-送达回证.pdf", receipt))
    data, _manifest = build_zip(
        members,
        {"application": application.registration_number, "kind": "delivery-package"},
    )
    for doc in documents:
        download_record(
            application=application,
            document=doc,
            file_name=doc.download_name,
            sha256=doc.output_sha256,
            channel=DownloadChannel.PACKAGE,
            by=by,
            who=str(by),
        )
    return data, f"{application.registration_number}-送达材料.zip"


def archive_members(application: Any) -> tuple[list[tuple[str, bytes]], list[dict[str, Any]]]:
    """Members and manifest entries of the provided files for the sealed case archive."""
    members: list[tuple[str, bytes]] = []
    meta: list[dict[str, Any]] = []
    for n, doc in enumerate(documents_for_case(application), 1):
        path = f"responses/{n:02d}-{doc.download_name}"
        members.append((path, output_bytes(doc)))
        meta.append(
            {
                "path": path,
                "name": doc.name,
                "sha256": doc.output_sha256,
                "original_sha256": doc.original_sha256,
                "pages": doc.pages,
                "item": doc.item_position,
                "marks": len(doc.marks or []),
                "downloads": [
                    {"at": d.at.isoformat(), "who": d.who, "channel": d.channel}
                    for d in doc.downloads.all()
                ],
            }
        )
    return members, meta
