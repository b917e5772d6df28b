"""Office views: drafting with an attachment, waiving, table 二 page, clean-up, permissions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.catalog.choices import FindingStatus, ItemStatus, Validity
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.tests.factories import docx_bytes, make_item, make_published, subject

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_handler_drafts_with_attachment_and_sees_the_finding(tree, staff):
    """The new-item form creates a draft for the handler's agency; the DOCX is scanned."""
    c = _client(staff["handler_a"])
    response = c.post(
        reverse("catalog:new"),
        {
            "agency": tree.dept_a.pk,
            "title": "关于发放高龄津贴的公示",
            "genre": "RECORD",
            "category": subject().pk,
            "disclosure_attribute": "PROACTIVE",
            "portal_column": "STATUTORY",
            "validity": "IN_FORCE",
            "channels": ["WEBSITE", "NOTICE_BOARD"],
            "attachment": SimpleUploadedFile(
                "名单.docx",
                docx_bytes(["王某 13912345678"]),
                content_type="application/octet-stream",
            ),
        },
    )
    item = CatalogItem.objects.get(title="关于发放高龄津贴的公示")
    assert response.status_code == 302
    assert item.agency == tree.dept_a and item.channels == ["WEBSITE", "NOTICE_BOARD"]
    page = c.get(reverse("catalog:detail", args=[item.pk])).content.decode()
    assert "手机号码" in page and "139****5678" in page and "13912345678" not in page


def test_handler_cannot_draft_for_another_agency(tree, staff):
    """The agency choice only offers agencies the person may draft for."""
    c = _client(staff["handler_a"])
    response = c.post(reverse("catalog:new"), {"agency": tree.dept_b.pk, "title": "越权"})
    assert response.status_code == 200
    assert not CatalogItem.objects.filter(title="越权").exists()


def test_reviewer_waives_through_the_view(tree, staff):
    """The reviewer's waiver with a reason settles the finding."""
    item = make_item(tree.dept_a, body="<p>监督电话13812345678</p>")
    finding = item.findings.get()
    c = _client(staff["reviewer_a"])
    c.post(
        reverse("catalog:finding_waive", args=[item.pk, finding.pk]), {"reason": "公开的监督电话"}
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.WAIVED and finding.decided_by == staff["reviewer_a"]


def test_handler_cannot_approve(tree, staff):
    """Approval by a handler is forbidden (403), the item is unchanged."""
    item = make_item(tree.dept_a)
    response = _client(staff["handler_a"]).post(reverse("catalog:approve", args=[item.pk]))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_table_two_page_and_cleanup(tree, staff):
    """The agency admin sees table 二 and abolishes documents under one clean-up decision."""
    docs = [make_published(tree.dept_a, structured_kind="NORMATIVE") for _ in range(2)]
    c = _client(staff["admin_a"])
    page = c.get(reverse("catalog:counts", args=[tree.dept_a.pk]), {"year": 2026}).content.decode()
    assert "第二十条第（一）项" in page and "本年制发件数" in page and "第二十六条" in page
    response = c.post(
        reverse("catalog:cleanup", args=[tree.dept_a.pk]),
        {
            "title": "关于规范性文件清理结果的决定",
            "decided_on": "2026-06-30",
            "items": [docs[0].pk],
        },
    )
    assert response.status_code == 302
    assert CatalogItem.objects.get(pk=docs[0].pk).validity == Validity.REPEALED
    assert CatalogItem.objects.get(pk=docs[1].pk).validity == Validity.IN_FORCE


def test_office_list_shows_queues(tree, staff):
    """The catalogue list counts items per status in the person's scope only."""
    make_item(tree.dept_a, title="甲局草稿")
    make_item(tree.dept_b, title="乙局草稿")
    page = _client(staff["handler_a"]).get(reverse("catalog:list")).content.decode()
    assert "甲局草稿" in page and "乙局草稿" not in page and "草稿（1）" in page
