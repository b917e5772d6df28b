"""Response documents on a case: adding, marking, rendering, locking, delivery, archive."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from gongkai.applications import services as app_services
from gongkai.applications.choices import DeliveryMethod, Result, Status
from gongkai.applications.tests.factories import make_application
from gongkai.core.models import AuditEvent
from gongkai.letters.storage import read_bytes, sha256_hex
from gongkai.responses import delivery, redaction, selectors, services
from gongkai.responses.choices import DocumentStatus, DownloadChannel, RedactionReason
from gongkai.responses.models import ResponseDocument, ResponseDownload
from gongkai.responses.tests.documents import ID_NUMBER, KEPT, MOBILE, sample_pdf, text_pages

pytestmark = pytest.mark.django_db
R = RedactionReason


def _compact(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def case(tree, staff):
    app = make_application(
        tree.dept_a,
        staff["handler_a"],
        received_on=dt.date(2026, 2, 10),
        requested_delivery=DeliveryMethod.ONLINE,
    )
    return app_services.application_draft_reply(
        by=staff["handler_a"],
        application=app,
        decisions=[
            app_services.ItemDecision(description="处罚决定书", decision=Result.R2_PARTIAL),
            app_services.ItemDecision(description="会议纪要", decision=Result.R1_OPEN),
        ],
    )


def _attach_sample(case, staff) -> ResponseDocument:
    return services.document_attach_upload(
        by=staff["handler_a"],
        application=case,
        data=sample_pdf().data,
        name="../处罚决定书.exe",
        item_position=1,
    )


def _marked(case, staff) -> ResponseDocument:
    """The sample with personal data marked in text and both numbers boxed in the scan."""
    doc = _attach_sample(case, staff)
    doc, added = services.marks_personal_data(by=staff["handler_a"], document=doc)
    assert added >= 2
    sample = sample_pdf()
    for box in (sample.id_box, sample.mobile_box):
        # The box as the office draws it: pixels of a 600-pixel-wide image of page 1.
        view = redaction.pdf_to_view(box, cropbox=(0, 0, 595, 842), rotation=0, scale=600 / 595)
        doc = services.mark_box(
            by=staff["handler_a"],
            document=doc,
            page=0,
            view_box=view,
            view_width=600,
            reason=R.PERSONAL_PRIVACY,
        )
    return doc


def test_upload_is_checked_by_content_and_named_by_type(case, staff):
    doc = _attach_sample(case, staff)
    assert doc.status == DocumentStatus.DRAFT
    assert doc.name == "处罚决定书.pdf"
    stored = read_bytes(doc.original_file)
    assert sha256_hex(stored) == doc.original_sha256
    assert doc.pages == len(PdfReader(io.BytesIO(stored)).pages) >= 1
    assert AuditEvent.objects.filter(action="response.attach").count() == 1
    with pytest.raises(ValidationError) as exc:
        services.document_attach_upload(
            by=staff["handler_a"], application=case, data=b"MZ\x90\x00" * 40, name="a.pdf"
        )
    assert "PDF" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.document_attach_upload(
            by=staff["handler_a"], application=case, data=b"", name="empty.pdf"
        )
    assert ResponseDocument.objects.filter(application=case).count() == 1


def test_other_agencies_and_other_roles_cannot_add(case, staff):
    for user in (staff["handler_b"], staff["reviewer_a"]):
        with pytest.raises(PermissionDenied):
            services.document_attach_upload(
                by=user, application=case, data=sample_pdf().data, name="x.pdf"
            )
    assert not ResponseDocument.objects.exists()


def test_marks_render_and_the_output_loses_every_marked_string(case, staff):
    doc = _marked(case, staff)
    assert len(doc.marks) >= 4
    doc = services.document_render(by=staff["handler_a"], document_id=doc.pk)
    assert doc.status == DocumentStatus.READY, doc.problems
    output = read_bytes(doc.output_file)
    assert sha256_hex(output) == doc.output_sha256
    assert len(PdfReader(io.BytesIO(output)).pages) == doc.pages
    text = _compact(extract_text(io.BytesIO(output)))
    assert ID_NUMBER not in text and MOBILE not in text
    assert KEPT in text
    assert "受理编号" in text  # the stamp
    assert not redaction.verify(output, doc.mark_list, original=read_bytes(doc.pdf_file))
    # Undo one mark: the document needs rendering again and the plan is shorter.
    doc = services.mark_remove(by=staff["handler_a"], document=doc, index=len(doc.marks) - 1)
    assert doc.status == DocumentStatus.DRAFT
    assert AuditEvent.objects.filter(action="response.plan").count() >= 4


def test_search_marks_every_occurrence_and_refuses_bad_patterns(case, staff):
    doc = services.document_attach_upload(
        by=staff["handler_a"], application=case, data=text_pages(3), name="a.pdf"
    )
    pages = redaction.read_text(read_bytes(doc.pdf_file))
    word = next(w for w in pages[0].text.split() if len(w) >= 2)[:2]
    expected = len(redaction.search_text(pages, word, reason=R.PROCESS_INFO))
    doc, added = services.marks_search(
        by=staff["handler_a"], document=doc, query=word, reason=R.PROCESS_INFO
    )
    assert added == expected > 0
    _doc, again = services.marks_search(
        by=staff["handler_a"], document=doc, query=word, reason=R.PROCESS_INFO
    )
    assert again == 0  # nothing new: the same marks are not added twice
    with pytest.raises(ValidationError):
        services.marks_search(
            by=staff["handler_a"], document=doc, query="([", reason=R.PROCESS_INFO, pattern=True
        )
    with pytest.raises(ValidationError):
        services.marks_search(by=staff["handler_a"], document=doc, query=word, reason="NOPE")


def test_the_reply_waits_for_rendered_documents_and_locks_them(case, staff):
    doc = _marked(case, staff)
    with pytest.raises(ValidationError) as exc:
        app_services.application_submit_for_review(by=staff["handler_a"], application=case)
    assert "尚未生成" in exc.value.messages[0]
    services.document_render(by=staff["handler_a"], document_id=doc.pk)
    case = app_services.application_submit_for_review(by=staff["handler_a"], application=case)
    assert case.status == Status.IN_REVIEW
    doc.refresh_from_db()
    for step in (
        lambda: services.marks_personal_data(by=staff["handler_a"], document=doc),
        lambda: services.document_remove(by=staff["handler_a"], document=doc),
        lambda: _attach_sample(case, staff),
    ):
        with pytest.raises(ValidationError, match="锁定"):
            step()
    case = app_services.application_review(
        by=staff["reviewer_a"],
        application=case,
        approve=True,
        confidentiality_checked=True,
        legal_checked=True,
    )
    # A provided file changed on disk after review: approval is refused.
    from gongkai.letters.storage import private_storage

    path = private_storage().path(doc.output_file)
    original = open(path, "rb").read()  # noqa: SIM115, PTH123
    with open(path, "wb") as fh:  # noqa: PTH123
        fh.write(original + b"%tampered\n")
    with pytest.raises(ValidationError, match="改动"):
        app_services.application_approve(by=staff["head_a"], application=case, approve=True)
    with open(path, "wb") as fh:  # noqa: PTH123
        fh.write(original)
    case = app_services.application_approve(by=staff["head_a"], application=case, approve=True)
    assert case.status == Status.APPROVED


def test_failed_check_keeps_no_output(case, staff, monkeypatch):
    doc = _marked(case, staff)
    monkeypatch.setattr(
        redaction, "verify", lambda *a, **k: [redaction.Problem("TEXT_UNDER_MARK", page=0, mark=0)]
    )
    doc = services.document_render(by=staff["handler_a"], document_id=doc.pk)
    assert doc.status == DocumentStatus.DRAFT and not doc.output_file
    assert "遮盖处仍有可提取的文字" in doc.problems[0]
    assert "尚未生成" in (services.reply_check(case) or "")


def test_catalogue_items_must_be_published(case, staff, tree):
    from gongkai.catalog.services import attachment_add
    from gongkai.catalog.tests.factories import make_item, pdf_bytes, publish

    item = make_item(tree.dept_a, title="2025年部门预算")
    attachment_add(by=staff["handler_a"], item=item, name="预算.pdf", data=pdf_bytes([["Budget"]]))
    with pytest.raises(ValidationError, match="已发布"):
        services.document_attach_catalogue(by=staff["handler_a"], application=case, item=item)
    publish(item)
    [doc] = services.document_attach_catalogue(
        by=staff["handler_a"], application=case, item=item, item_position=2
    )
    assert doc.catalog_item == item and doc.pages == 1 and doc.item_position == 2


def test_office_files_are_converted_by_the_worker(case, staff, django_capture_on_commit_callbacks):
    from gongkai.catalog.tests.factories import docx_bytes

    with django_capture_on_commit_callbacks(execute=True):
        doc = services.document_attach_upload(
            by=staff["handler_a"],
            application=case,
            data=docx_bytes(["会议纪要", "联系电话 " + MOBILE]),
            name="纪要.docx",
        )
        assert doc.status == DocumentStatus.CONVERTING
    doc.refresh_from_db()  # the (immediate) worker converted it once the upload committed
    assert doc.status == DocumentStatus.DRAFT, doc.message
    assert doc.pages == 1 and read_bytes(doc.pdf_file).startswith(b"%PDF-")
    doc, added = services.marks_personal_data(by=staff["handler_a"], document=doc)
    assert added == 1


def _approved_with_document(case, staff) -> tuple[object, ResponseDocument]:
    doc = services.document_render(by=staff["handler_a"], document_id=_marked(case, staff).pk)
    case = app_services.application_submit_for_review(by=staff["handler_a"], application=case)
    case = app_services.application_review(
        by=staff["reviewer_a"],
        application=case,
        approve=True,
        confidentiality_checked=True,
        legal_checked=True,
    )
    case = app_services.application_approve(by=staff["head_a"], application=case, approve=True)
    return case, doc


def test_another_delivery_method_needs_a_reason(case, staff):
    case, _doc = _approved_with_document(case, staff)
    assert case.requested_delivery == DeliveryMethod.ONLINE
    with pytest.raises(ValidationError, match="理由"):
        delivery.delivery_record(
            by=staff["handler_a"],
            application=case,
            method=DeliveryMethod.FAX,
            delivered_on=timezone.localdate(),
        )
    record = delivery.delivery_record(
        by=staff["handler_a"],
        application=case,
        method=DeliveryMethod.FAX,
        delivered_on=timezone.localdate(),
        reason="申请人来电要求改为传真",
    )
    assert "申请人来电要求改为传真" in record.proof


def test_package_and_archive_carry_the_provided_files_with_their_hashes(case, staff):
    case, doc = _approved_with_document(case, staff)
    data, name = delivery.package(application=case, by=staff["handler_a"])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert any(n.endswith("送达回证.pdf") for n in names)
        [member] = [n for n in names if n.startswith("02-")]
        assert sha256_hex(zf.read(member)) == doc.output_sha256
    assert ResponseDownload.objects.filter(channel=DownloadChannel.PACKAGE).count() == 1
    case = delivery.delivery_record(
        by=staff["handler_a"],
        application=case,
        method=DeliveryMethod.ONLINE,
        delivered_on=timezone.localdate(),
    ).application
    case = app_services.application_close(by=staff["handler_a"], application=case)
    from gongkai.letters.services import archive_build

    archive = archive_build(application=case, by=staff["handler_a"])
    with zipfile.ZipFile(io.BytesIO(read_bytes(archive.file))) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    files = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert doc.output_sha256 in files.values()
    assert manifest["responses"][0]["sha256"] == doc.output_sha256


def test_statement_and_summary_come_from_the_marks(case, staff):
    doc = _marked(case, staff)
    [line] = selectors.withheld_statement(case)
    assert "第十五条" in line and doc.download_name in line
    [summary] = selectors.summaries([doc])
    assert summary.places == redaction.occurrence_count(doc.mark_list) >= 3


def test_the_partial_reply_letter_explains_what_was_withheld(case, staff):
    from gongkai.letters.choices import LetterKind
    from gongkai.letters.services import letter_issue

    doc = services.document_render(by=staff["handler_a"], document_id=_marked(case, staff).pk)
    letter = letter_issue(
        application=case, kind=LetterKind.REPLY, by=staff["handler_a"], code="reply_r2_partial"
    )
    assert "区分处理说明" in letter.body
    assert f"《{doc.download_name}》" in letter.body and "第十五条" in letter.body
    assert f"（{doc.pages}页）" in letter.body


def test_the_demo_case_has_a_redacted_response(tree, staff):
    from gongkai.responses.demo import build_response_demo

    app = build_response_demo(username="handler_a")
    assert app.status == Status.IN_REVIEW
    [doc] = selectors.documents_for_case(app)
    assert doc.is_ready
    text = _compact(extract_text(io.BytesIO(read_bytes(doc.output_file))))
    assert "110101" not in text and "13812345678" not in text and "王建国" not in text
    assert "尚未决定" not in text and "补助资金共计" in text
    assert {r.reason for r in selectors.summaries([doc])[0].reasons} == {
        R.PERSONAL_PRIVACY,
        R.PROCESS_INFO,
    }
