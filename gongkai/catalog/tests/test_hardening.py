"""Finding 9 of the probe: an item whose attachment is refused is not saved, and uses no 索引号."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.catalog.models import CatalogItem
from gongkai.catalog.tests.factories import docx_bytes, make_item, subject
from gongkai.core.testing.zipbomb import docx_bomb

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _new(tree, name: str, data: bytes, title: str) -> dict:
    return {
        "agency": tree.dept_a.pk,
        "title": title,
        "genre": "RECORD",
        "category": subject().pk,
        "disclosure_attribute": "PROACTIVE",
        "portal_column": "STATUTORY",
        "validity": "IN_FORCE",
        "channels": ["WEBSITE"],
        "written_on": "2026-11-20",
        "attachment": SimpleUploadedFile(name, data, content_type="application/pdf"),
    }


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("statement.pdf", b"<html><script>alert(1)</script></html>"),
        ("scan.pdf", docx_bomb(400_000_000)),
        ("名单.pdf", docx_bytes(["王某"])),  # a DOCX named .pdf
    ],
)
def test_a_refused_attachment_saves_nothing_and_consumes_no_index_number(tree, staff, name, data):
    client = _client(staff["handler_a"])
    for _ in range(3):  # the probe retried: each retry used to save a draft and a number
        response = client.post(reverse("catalog:new"), _new(tree, name, data, "重试的条目"))
        assert response.status_code == 200
        assert "errorlist" in response.content.decode() or "error" in response.content.decode()
    assert not CatalogItem.objects.filter(title="重试的条目").exists()
    ok = client.post(
        reverse("catalog:new"), _new(tree, "名单.docx", docx_bytes(["王某"]), "成功的条目")
    )
    assert ok.status_code == 302
    item = CatalogItem.objects.get(title="成功的条目")
    assert CatalogItem.objects.filter(agency=tree.dept_a).count() == 1
    assert item.index_number.endswith("0001"), item.index_number


def test_a_refused_attachment_on_edit_changes_nothing(tree, staff):
    item = make_item(tree.dept_a, written_on=dt.date(2026, 11, 20))
    client = _client(staff["handler_a"])
    response = client.post(
        reverse("catalog:edit", args=[item.pk]),
        {
            "title": "改过的标题",
            "genre": item.genre,
            "category": item.category_id,
            "written_on": "2026-11-21",
            "attachment": SimpleUploadedFile("x.html", b"%PDF-1.4 <html></html>"),
        },
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title != "改过的标题" and item.written_on == dt.date(2026, 11, 20)
    assert not item.attachments.exists()
