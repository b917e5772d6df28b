"""The publishing workflow through the services: transitions, scan blocking, audit, versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.catalog.choices import (
    DisclosureAttribute,
    FindingKind,
    FindingStatus,
    ItemStatus,
    NonDisclosureGround,
    ReviewResult,
    Validity,
)
from gongkai.catalog.findings import finding_waive
from gongkai.catalog.maintenance import cleanup_apply
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.services import (
    attachment_add,
    attachment_remove,
    item_approve,
    item_reject,
    item_review,
    item_revise,
    item_submit,
    item_update,
    item_withdraw,
    publish_due,
)
from gongkai.catalog.tests.factories import (
    PNG_BYTES,
    docx_bytes,
    make_item,
    make_published,
    pdf_bytes,
    xlsx_bytes,
)
from gongkai.core.actors import SYSTEM
from gongkai.core.audit import verify_chain
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db
VALID_ID = "11010519491231002X"


def test_full_workflow_by_the_roles(tree, staff):
    """Handler drafts and submits, reviewer passes 保密审查, head approves: published, audited."""
    item = make_item(tree.dept_a, by=staff["handler_a"], doc_number="甲发(2026)3号")
    assert item.doc_number == "甲发〔2026〕3号"
    assert item.status == ItemStatus.DRAFT
    item_submit(by=staff["handler_a"], item=item)
    review = item_review(
        by=staff["reviewer_a"], item=item, basis="保密法第九条", result=ReviewResult.PASS
    )
    assert review.basis == "保密法第九条"
    item = item_approve(by=staff["head_a"], item=item)
    assert item.status == ItemStatus.PUBLISHED
    assert item.published_on == timezone.localdate()
    assert item.is_public
    actions = list(
        AuditEvent.objects.filter(target_id=str(item.pk), action__startswith="catalog.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["catalog.create", "catalog.submit", "catalog.review", "catalog.approve"]
    assert [e.kind for e in item.events.all()] == [
        "CREATED", "SUBMITTED", "REVIEWED", "APPROVED", "PUBLISHED",
    ]  # fmt: skip
    assert verify_chain().ok


def test_roles_are_checked_by_the_services(tree, staff):
    """A handler cannot review or approve; another agency's handler cannot draft here."""
    item = make_item(tree.dept_a, by=staff["handler_a"])
    item_submit(by=staff["handler_a"], item=item)
    with pytest.raises(PermissionDenied):
        item_review(by=staff["handler_a"], item=item, basis="x", result=ReviewResult.PASS)
    with pytest.raises(PermissionDenied):
        make_item(tree.dept_a, by=staff["handler_b"])


def test_wrong_state_is_refused(tree):
    """Approving a draft or withdrawing a draft is refused."""
    item = make_item(tree.dept_a)
    with pytest.raises(ValidationError):
        item_approve(by=SYSTEM, item=item)
    with pytest.raises(ValidationError):
        item_withdraw(by=SYSTEM, item=item, reason="错误")


def test_scan_blocks_until_fixed(tree, staff):
    """A planted ID number in a PDF attachment blocks review until the file is replaced."""
    item = make_item(tree.dept_a, by=staff["handler_a"])
    att = attachment_add(
        by=staff["handler_a"],
        item=item,
        name="名单.pdf",
        data=pdf_bytes([["Page one"], ["Name: Zhang", f"ID: {VALID_ID}"]]),
    )
    finding = item.findings.get()
    assert finding.kind == FindingKind.ID_NUMBER
    assert (finding.source, finding.page, finding.line) == ("名单.pdf", "2", 2)
    assert VALID_ID not in finding.excerpt
    item_submit(by=staff["handler_a"], item=item)
    with pytest.raises(ValidationError, match="错敏检测"):
        item_review(by=staff["reviewer_a"], item=item, basis="保密法", result=ReviewResult.PASS)
    item_review(
        by=staff["reviewer_a"],
        item=item,
        basis="保密法",
        result=ReviewResult.RETURN,
        comment="删除身份证号",
    )
    attachment_remove(by=staff["handler_a"], item=item, attachment=att)
    attachment_add(
        by=staff["handler_a"], item=item, name="名单.pdf", data=pdf_bytes([["Name: Zhang"]])
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FIXED
    item_submit(by=staff["handler_a"], item=item)
    item_review(by=staff["reviewer_a"], item=item, basis="保密法", result=ReviewResult.PASS)
    assert item_approve(by=staff["head_a"], item=item).status == ItemStatus.PUBLISHED


def test_reviewer_may_waive_with_reason(tree, staff):
    """A finding waived with a reason lets approval go ahead; a waiver without reason fails."""
    item = make_item(tree.dept_a, body="<p>咨询电话：13812345678（办公室公开电话）</p>")
    finding = item.findings.get()
    assert finding.kind == FindingKind.MOBILE and finding.line == 1
    with pytest.raises(ValidationError):
        finding_waive(by=staff["reviewer_a"], finding=finding, reason=" ")
    finding_waive(by=staff["reviewer_a"], finding=finding, reason="机关对外公开的咨询电话")
    item_submit(by=SYSTEM, item=item)
    item_review(by=staff["reviewer_a"], item=item, basis="保密法", result=ReviewResult.PASS)
    assert item.findings.get().status == FindingStatus.WAIVED


def test_docx_and_xlsx_text_is_scanned_with_location(tree):
    """DOCX paragraphs and XLSX sheet rows are scanned; locations name the paragraph / sheet."""
    item = make_item(tree.dept_a)
    attachment_add(
        by=SYSTEM, item=item, name="说明.docx", data=docx_bytes(["第一段", "邮箱 a.b@example.com"])
    )
    attachment_add(
        by=SYSTEM,
        item=item,
        name="名单.xlsx",
        data=xlsx_bytes([["姓名", "卡号"], ["张三", "4111 1111 1111 1111"]], title="补贴"),
    )
    found = {(f.kind, f.source, f.page, f.line) for f in item.findings.all()}
    assert (FindingKind.EMAIL, "说明.docx", "", 2) in found
    assert (FindingKind.BANK_CARD, "名单.xlsx", "补贴", 2) in found


def test_attachment_type_is_checked_by_content(tree):
    """A renamed file, an empty file and an oversized file are refused; a PNG is accepted."""
    item = make_item(tree.dept_a)
    with pytest.raises(ValidationError):
        attachment_add(by=SYSTEM, item=item, name="a.pdf", data=PNG_BYTES)
    with pytest.raises(ValidationError):
        attachment_add(by=SYSTEM, item=item, name="a.exe", data=b"MZ\x90\x00")
    with pytest.raises(ValidationError):
        attachment_add(by=SYSTEM, item=item, name="a.pdf", data=b"")
    assert attachment_add(by=SYSTEM, item=item, name="图.png", data=PNG_BYTES).kind == "PNG"


def test_attachment_size_limit(tree, settings):
    """Files over CATALOG_ATTACHMENT_MAX_BYTES are refused."""
    settings.CATALOG_ATTACHMENT_MAX_BYTES = 100
    item = make_item(tree.dept_a)
    with pytest.raises(ValidationError, match="过大"):
        attachment_add(by=SYSTEM, item=item, name="a.pdf", data=pdf_bytes([["x" * 200]]))


def test_not_disclosed_needs_a_legal_ground(tree):
    """不予公开 without a ground is refused; with one it is catalogued, never published."""
    with pytest.raises(ValidationError):
        make_item(tree.dept_a, disclosure_attribute=DisclosureAttribute.NOT_DISCLOSED)
    item = make_item(
        tree.dept_a,
        disclosure_attribute=DisclosureAttribute.NOT_DISCLOSED,
        non_disclosure_ground=NonDisclosureGround.PROCESS_INFO,
    )
    item_submit(by=SYSTEM, item=item)
    item_review(by=SYSTEM, item=item, basis="保密法", result=ReviewResult.PASS)
    assert item_approve(by=SYSTEM, item=item).status == ItemStatus.CATALOGUED
    assert not CatalogItem.objects.public().filter(pk=item.pk).exists()


def test_scheduled_publication(tree):
    """Approval with a future time schedules the item; publish_due publishes it when due."""
    item = make_item(tree.dept_a)
    item_submit(by=SYSTEM, item=item)
    item_review(by=SYSTEM, item=item, basis="保密法", result=ReviewResult.PASS)
    at = timezone.now() + dt.timedelta(hours=2)
    item = item_approve(by=SYSTEM, item=item, publish_at=at)
    assert item.status == ItemStatus.SCHEDULED
    assert publish_due(now=timezone.now()) == 0
    assert publish_due(now=at + dt.timedelta(minutes=1)) == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_reject_returns_to_draft(tree):
    """The head's rejection sends the item back to draft with the reason in the timeline."""
    item = make_item(tree.dept_a)
    item_submit(by=SYSTEM, item=item)
    item_review(by=SYSTEM, item=item, basis="保密法", result=ReviewResult.PASS)
    item_reject(by=SYSTEM, item=item, reason="请补充政策依据")
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    assert item.events.last().note == "请补充政策依据"


def test_withdrawn_item_leaves_portal_and_stays_in_audit(tree, staff):
    """Withdrawal needs a reason, hides the item and is audited."""
    item = make_published(tree.dept_a)
    with pytest.raises(ValidationError):
        item_withdraw(by=staff["head_a"], item=item, reason="")
    item_withdraw(by=staff["head_a"], item=item, reason="内容有误")
    assert not CatalogItem.objects.public().filter(pk=item.pk).exists()
    event = AuditEvent.objects.get(action="catalog.withdraw", target_id=str(item.pk))
    assert event.after["reason"] == "内容有误"


def test_revision_makes_a_version(tree, staff):
    """A change after publication keeps the old text as version 1 and numbers the new one 2."""
    item = make_published(tree.dept_a, title="旧标题")
    item = item_revise(by=staff["head_a"], item=item, reason="更正错字", title="新标题")
    assert item.version == 2 and item.title == "新标题"
    old = item.versions.get()
    assert (old.number, old.data["title"]) == (1, "旧标题")
    assert AuditEvent.objects.filter(action="catalog.revise", target_id=str(item.pk)).exists()


def test_edit_after_submission_is_refused(tree):
    """Drafts only: an item in review cannot be edited."""
    item = make_item(tree.dept_a)
    item_submit(by=SYSTEM, item=item)
    with pytest.raises(ValidationError):
        item_update(by=SYSTEM, item=item, title="改")


def test_late_publication_is_flagged(tree):
    """Published more than 20 working days after 成文日期 → flagged (第二十六条)."""
    item = make_published(tree.dept_a, written_on=timezone.localdate() - dt.timedelta(days=60))
    assert item.is_late and item.publish_delay_days > 20
    fresh = make_published(tree.dept_a, written_on=timezone.localdate())
    assert not fresh.is_late


def test_cleanup_abolishes_many_documents_at_once(tree, staff):
    """One clean-up decision marks the chosen normative documents 已废止 on its date."""
    docs = [make_published(tree.dept_a, structured_kind="NORMATIVE") for _ in range(3)]
    decision = cleanup_apply(
        by=staff["admin_a"],
        agency=tree.dept_a,
        title="关于公布规范性文件清理结果的决定",
        doc_number="甲发[2026]9号",
        decided_on=dt.date(2026, 6, 30),
        items=docs[:2],
    )
    assert decision.doc_number == "甲发〔2026〕9号"
    validities = {d.pk: CatalogItem.objects.get(pk=d.pk).validity for d in docs}
    assert [validities[d.pk] for d in docs] == [
        Validity.REPEALED,
        Validity.REPEALED,
        Validity.IN_FORCE,
    ]
    assert decision.items.count() == 2


def test_fee_record_needs_an_amount(tree):
    """A 行政事业性收费 record without amount is refused."""
    with pytest.raises(ValidationError):
        make_item(tree.dept_a, structured_kind="FEE")
    assert make_item(tree.dept_a, structured_kind="FEE", fee_amount=Decimal("120.50")).fee_amount


def test_interpretation_may_be_required(tree, settings):
    """With CATALOG_REQUIRE_INTERPRETATION a 行政规范性文件 is approved only with a 政策解读."""
    settings.CATALOG_REQUIRE_INTERPRETATION = True
    doc = make_item(tree.dept_a, structured_kind="NORMATIVE")
    item_submit(by=SYSTEM, item=doc)
    item_review(by=SYSTEM, item=doc, basis="保密法", result=ReviewResult.PASS)
    with pytest.raises(ValidationError, match="政策解读"):
        item_approve(by=SYSTEM, item=doc)
    make_item(tree.dept_a, title="《办法》政策解读", genre="INTERPRETATION", interprets=[doc])
    assert item_approve(by=SYSTEM, item=doc).status == ItemStatus.PUBLISHED
