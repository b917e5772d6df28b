"""Every write to response documents: one keyword-only function per step.

Adding (upload or catalogue item) checks the file by its content and keeps it in private
storage; DOCX/XLSX are converted to PDF by the background worker (LibreOffice), images and PDF
at once. The redaction plan is edited by marks (box, text, pattern, personal-data findings);
rendering applies the plan to the restricted original (``redaction.apply``), checks the output
(``redaction.verify``) and keeps it only with its SHA-256. Each step runs through the workflow
kernel (``responses.workflow.WORKFLOW``), which locks the row, checks role, status and the
case's state, and writes the audit entry. Downloads are recorded (``download_record``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalog.models import CatalogItem
from gongkai.core.actors import SYSTEM, Actor, user_of
from gongkai.core.audit import record_audit
from gongkai.letters.storage import private_storage, read_bytes, save_bytes, sha256_hex
from gongkai.responses import convert, inspect, redaction, stamps
from gongkai.responses.choices import (
    DocumentSource,
    DocumentStatus,
    DownloadChannel,
    FileKind,
    MarkSource,
    RedactionReason,
)
from gongkai.responses.locking import PDFIUM
from gongkai.responses.models import ResponseDocument, ResponseDownload
from gongkai.responses.workflow import WORKFLOW

#: Documents with at most this many pages are rendered in the request; longer ones by the worker.
SYNC_RENDER_PAGES = 30
#: Most marks one search may add (a search for "的" is not a redaction).
MAX_SEARCH_MARKS = 500


def _document(step: Any) -> ResponseDocument:
    """The document a finished step worked on."""
    return cast(ResponseDocument, step.obj)


def _store(application: Any, data: bytes, suffix: str) -> str:
    year = timezone.localdate().year
    return save_bytes(f"responses/{application.agency_id}/{year}/{uuid.uuid4().hex}.{suffix}", data)


def _check_item(application: Any, item_position: int | None) -> None:
    if item_position is None:
        return
    if not application.items.filter(position=item_position).exists():
        raise ValidationError({"item_position": _("没有这一项申请内容。")})


def _create(
    *,
    by: Actor,
    application: Any,
    data: bytes,
    name: str,
    item_position: int | None,
    source: str,
    catalog_item: Any = None,
) -> ResponseDocument:
    with PDFIUM:
        checked = inspect.inspect_file(data, name)
    _check_item(application, item_position)
    document = ResponseDocument(
        agency=application.agency,
        application=application,
        item_position=item_position,
        source=source,
        catalog_item=catalog_item,
        name=checked.name,
        kind=checked.kind,
        size=checked.size,
        original_sha256=checked.sha256,
        created_by=user_of(by),
    )
    pdf = None
    if checked.kind == FileKind.PDF:
        pdf = data
    elif checked.kind in inspect.IMAGE_KINDS:
        pdf = convert.image_to_pdf(data)
    with WORKFLOW.perform(document, "attach", by=by) as step:
        doc = step.obj
        doc.original_file = _store(application, data, inspect.EXTENSIONS[FileKind(checked.kind)])
        if pdf is not None:
            doc.pdf_file = doc.original_file if pdf is data else _store(application, pdf, "pdf")
            with PDFIUM:
                doc.pages = inspect.page_count(pdf, FileKind.PDF)
            step.set_status(DocumentStatus.DRAFT)
        else:
            step.set_status(DocumentStatus.CONVERTING)
        step.audit_after.update(
            {"name": doc.name, "kind": doc.kind, "sha256": doc.original_sha256, "source": source}
        )
    if pdf is None:
        # the task module calls back into this one (the worker runs the service)
        from gongkai.responses.tasks import convert_document

        pk = step.obj.pk
        transaction.on_commit(lambda: convert_document.enqueue(document_id=pk))
    return _document(step)


def document_attach_upload(
    *, by: Actor, application: Any, data: bytes, name: str, item_position: int | None = None
) -> ResponseDocument:
    """Add an uploaded file (PDF, DOCX, XLSX or image; checked by content and size)."""
    return _create(
        by=by,
        application=application,
        data=data,
        name=name,
        item_position=item_position,
        source=DocumentSource.UPLOAD,
    )


def document_attach_catalogue(
    *, by: Actor, application: Any, item: Any, item_position: int | None = None
) -> list[ResponseDocument]:
    """Add the files of a published catalogue item (one document per accepted attachment)."""

    if not CatalogItem.objects.public().filter(pk=item.pk).exists():
        raise ValidationError(_("只能提供已发布的目录条目。"))
    added = []
    for attachment in item.attachments.all():
        with attachment.file.open("rb") as fh:
            data = fh.read()
        if inspect.detect(data) is None:
            continue
        added.append(
            _create(
                by=by,
                application=application,
                data=data,
                name=attachment.name,
                item_position=item_position,
                source=DocumentSource.CATALOGUE,
                catalog_item=item,
            )
        )
    if not added:
        raise ValidationError(_("该目录条目没有可以提供的文件（PDF、DOCX、XLSX或图片）。"))
    return added


def document_convert(*, document_id: int) -> ResponseDocument:
    """Turn the uploaded DOCX/XLSX into the restricted original PDF (background worker)."""
    document = ResponseDocument.objects.select_related("application").get(pk=document_id)
    data = read_bytes(document.original_file)
    try:
        pdf = convert.to_pdf(data, document.kind)
        with PDFIUM:
            pages = inspect.page_count(pdf, FileKind.PDF) or 0
        inspect.check_pages(pages)
        failure = ""
    except ValidationError as exc:
        pdf, pages, failure = b"", 0, "；".join(exc.messages)[:300]
    with WORKFLOW.perform(document, "convert", by=SYSTEM) as step:
        doc = step.obj
        if failure:
            doc.message = failure
            step.set_status(DocumentStatus.FAILED)
        else:
            doc.pdf_file = _store(doc.application, pdf, "pdf")
            doc.pages = pages
            doc.message = ""
            step.set_status(DocumentStatus.DRAFT)
    return _document(step)


# -- the redaction plan ------------------------------------------------------------------------


def _plan(
    *, by: Actor, document: ResponseDocument, marks: list[redaction.Mark], note: str
) -> ResponseDocument:
    with WORKFLOW.perform(document, "plan", by=by) as step:
        doc = step.obj
        before = len(doc.marks or [])
        doc.marks = redaction.plan_to_data(marks)
        doc.problems = []
        step.audit_before["marks"] = before
        step.audit_after.update({"marks": len(marks), "change": note})
    return _document(step)


def _reason(reason: str) -> str:
    if reason not in RedactionReason.values:
        raise ValidationError({"reason": _("请选择区分处理的法律依据。")})
    return reason


def _restricted_pdf(document: ResponseDocument) -> bytes:
    if not document.pdf_file:
        raise ValidationError(_("文件尚未转换为PDF，请稍后再试。"))
    return read_bytes(document.pdf_file)


def _page_geometry(data: bytes, page: int) -> tuple[Any, int, float]:
    """Crop box, rotation and displayed width (points) of one page."""
    pdf = redaction.open_pdf(data)
    try:
        if not 0 <= page < len(pdf):
            raise ValidationError({"page": _("页码无效。")})
        pdf_page = pdf[page]
        crop = tuple(float(v) for v in pdf_page.get_cropbox())
        rotation = int(pdf_page.get_rotation())
    finally:
        pdf.close()
    return crop, rotation, crop[2] - crop[0] if rotation % 180 == 0 else crop[3] - crop[1]


def mark_box(
    *,
    by: Actor,
    document: ResponseDocument,
    page: int,
    view_box: tuple[float, float, float, float],
    view_width: float,
    reason: str,
) -> ResponseDocument:
    """Add a box drawn on the page image (pixels of an image ``view_width`` wide)."""
    _reason(reason)
    data = _restricted_pdf(document)
    with PDFIUM:
        crop, rotation, shown = _page_geometry(data, page)
    if view_width <= 0:
        raise ValidationError(_("遮盖区域无效。"))
    box = redaction.view_to_pdf(
        view_box,
        cropbox=crop,
        rotation=rotation,
        scale=view_width / shown,
    )
    try:
        mark = redaction.Mark(
            page=page, box=box, reason=reason, author=str(by), source=MarkSource.BOX
        )
    except redaction.RedactionError as exc:
        raise ValidationError(str(exc)) from exc
    return _plan(
        by=by, document=document, marks=[*document.mark_list, mark], note=f"box p{page + 1}"
    )


def marks_search(
    *, by: Actor, document: ResponseDocument, query: str, reason: str, pattern: bool = False
) -> tuple[ResponseDocument, int]:
    """Mark every occurrence of a string (or a regular expression); return the marks added."""
    _reason(reason)
    query = query.strip()
    if not query:
        raise ValidationError({"query": _("请输入要查找的文字。")})
    data = _restricted_pdf(document)
    with PDFIUM:
        pages = redaction.read_text(data)
    try:
        if pattern:
            found = redaction.search_pattern(pages, query, reason=reason, author=str(by))
        else:
            found = redaction.search_text(pages, query, reason=reason, author=str(by))
    except redaction.RedactionError as exc:
        raise ValidationError({"query": str(exc)}) from exc
    return _add_found(by=by, document=document, found=found, note=f"search {query[:40]}")


def marks_personal_data(
    *, by: Actor, document: ResponseDocument, reason: str = RedactionReason.PERSONAL_PRIVACY
) -> tuple[ResponseDocument, int]:
    """Propose the personal-data scan's findings (ID, phone, bank card, e-mail) as marks."""
    _reason(reason)
    data = _restricted_pdf(document)
    with PDFIUM:
        pages = redaction.read_text(data)
    found = redaction.search_personal_data(pages, reason=reason, author=str(by))
    return _add_found(by=by, document=document, found=found, note="personal data")


def _add_found(
    *, by: Actor, document: ResponseDocument, found: Iterable[redaction.Mark], note: str
) -> tuple[ResponseDocument, int]:
    # As stored (boxes rounded), so that marks already in the plan are recognised.
    found = redaction.plan_from_data(redaction.plan_to_data(found))
    if len(found) > MAX_SEARCH_MARKS:
        raise ValidationError(
            {"query": _("找到 %(n)d 处，过多，请缩小查找范围。") % {"n": len(found)}}
        )
    before = document.mark_list
    merged = redaction.merge(before, found)
    added = len(merged) - len(before)
    if not added:
        WORKFLOW.authorise(by, "plan", document)
        refusal = WORKFLOW.why_not(by, "plan", document)
        if refusal:
            raise ValidationError(refusal)
        return document, 0
    return _plan(by=by, document=document, marks=merged, note=note), added


def mark_remove(*, by: Actor, document: ResponseDocument, index: int) -> ResponseDocument:
    """Undo one mark (and the other boxes of the same occurrence)."""
    marks = document.mark_list
    if not 0 <= index < len(marks):
        raise ValidationError(_("没有这一处标记。"))
    gone = marks[index]
    kept = [
        m for n, m in enumerate(marks) if n != index and not (gone.group and m.group == gone.group)
    ]
    return _plan(by=by, document=document, marks=kept, note=f"remove {index + 1}")


def stamp_set(*, by: Actor, document: ResponseDocument, stamp: bool) -> ResponseDocument:
    """Turn the per-page stamp (受理编号 and date) on or off."""
    with WORKFLOW.perform(document, "plan", by=by) as step:
        step.obj.stamp = bool(stamp)
        step.audit_after["stamp"] = bool(stamp)
    return _document(step)


# -- rendering ---------------------------------------------------------------------------------


def stamp_for(document: ResponseDocument) -> str | None:
    """The stamp text of the document's case (None when the stamp is off)."""
    if not document.stamp:
        return None
    return stamps.stamp_text(
        document.application.registration_number, document.application.received_on
    )


def document_render(*, by: Actor, document_id: int) -> ResponseDocument:
    """Apply the plan to the restricted original, check the output, keep it with its hash.

    The output is kept only when ``redaction.verify`` finds nothing; otherwise the problems are
    stored, the document stays DRAFT and cannot be submitted.
    """
    document = ResponseDocument.objects.select_related("application").get(pk=document_id)
    original = _restricted_pdf(document)
    marks = document.mark_list
    stamp = stamp_for(document)
    try:
        with PDFIUM:
            output = redaction.apply(original, marks, stamp=stamp)
            problems = [p.message for p in redaction.verify(output, marks, original=original)]
    except redaction.RedactionError as exc:
        output, problems = b"", [str(exc)]
    with WORKFLOW.perform(document, "render", by=by) as step:
        doc = step.obj
        doc.problems = problems
        if problems:
            doc.output_file, doc.output_sha256, doc.output_size = "", "", 0
            step.set_status(DocumentStatus.DRAFT)
        else:
            doc.output_file = _store(doc.application, output, "pdf")
            doc.output_sha256 = sha256_hex(output)
            doc.output_size = len(output)
            doc.rendered_at = timezone.now()
            step.set_status(DocumentStatus.READY)
        step.audit_after.update(
            {"marks": len(marks), "problems": len(problems), "stamp": bool(stamp)}
        )
    return _document(step)


def document_render_request(*, by: Actor, document: ResponseDocument) -> bool:
    """Render now when the document is short, else queue it; True when rendered now."""
    refusal = WORKFLOW.why_not(by, "render", document)
    if refusal:
        raise ValidationError(refusal)
    if (document.pages or 0) <= SYNC_RENDER_PAGES:
        document_render(by=by, document_id=document.pk)
        return True
    # the task module calls back into this one (the worker runs the service)
    from gongkai.responses.tasks import render_document

    pk = document.pk
    transaction.on_commit(lambda: render_document.enqueue(document_id=pk))
    return False


def document_remove(*, by: Actor, document: ResponseDocument) -> ResponseDocument:
    """Take a document out of the response (its files stay until the case is archived)."""
    with WORKFLOW.perform(document, "remove", by=by) as step:
        step.audit_after["name"] = step.obj.name
    return _document(step)


# -- the reply's check, downloads ----------------------------------------------------------------


def reply_check(application: Any) -> str | None:
    """Why the reply cannot go on to review or approval because of its documents (or None).

    Every document must be rendered and checked, and its stored output must still be there
    with the size recorded when it was rendered. (A guard also decides which buttons show, so
    it stays cheap: the SHA-256 itself is checked before every download and when archiving.)
    """
    storage = private_storage()
    for doc in ResponseDocument.objects.filter(application=application).active():
        if not doc.is_ready:
            return _("答复材料“%(name)s”尚未生成提供文件或检查未通过。") % {"name": doc.name}
        try:
            size = storage.size(doc.output_file)
        except OSError:
            size = -1
        if size != doc.output_size:
            return _("答复材料“%(name)s”的提供文件已被改动，请重新生成。") % {"name": doc.name}
    return None


def download_record(
    *,
    application: Any,
    document: ResponseDocument | None,
    file_name: str,
    sha256: str,
    channel: str,
    by: Actor,
    who: str,
) -> ResponseDownload:
    """Record one download (who, when, which file) and audit it."""
    with transaction.atomic():
        row = ResponseDownload.objects.create(
            application=application,
            document=document,
            file_name=file_name[:200],
            sha256=sha256,
            channel=channel,
            user=user_of(by),
            who=who[:200],
        )
        record_audit(
            action="response.download",
            actor=by if channel != DownloadChannel.PORTAL else None,
            target=application,
            agency=application.agency,
            after={"file": file_name, "sha256": sha256, "channel": channel},
            target_repr=application.registration_number,
        )
    return row
