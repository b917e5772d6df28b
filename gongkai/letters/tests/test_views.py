"""Office pages: issue and download through the views, template editing, scoping."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.letters.models import Letter, LetterTemplateVersion
from gongkai.letters.tests.factories import make_closed_case
from gongkai.letters.tests.helpers import docx_text


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_handler_issues_previews_and_downloads(tree, staff):
    """A handler previews, issues and downloads a reply; the case page lists it."""
    app = make_closed_case(tree.dept_a)
    client = _client(staff["handler_a"])
    url = reverse("letters:issue", args=[app.pk])
    assert "reply_r1_open" in client.get(url).content.decode()
    page = client.get(url, {"code": "reply_r1_open"})
    assert page.status_code == 200 and "fact_reasons" in page.content.decode()
    data = {"code": "reply_r1_open", "issued_on": "2026-03-16", "fact_reasons": "<i>理由</i>"}
    preview = client.post(url, {**data, "preview": "1"})
    assert "&lt;i&gt;理由&lt;/i&gt;" in preview.content.decode() and not Letter.objects.exists()
    response = client.post(url, {**data, "issue": "1"})
    assert response.status_code == 302
    letter = Letter.objects.get()
    case_page = client.get(reverse("letters:case", args=[app.pk])).content.decode()
    assert letter.number in case_page
    download = client.get(reverse("letters:download", args=[letter.pk, "docx"]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in download["Content-Disposition"]
    assert letter.number in docx_text(download.content)
    assert client.get(reverse("letters:download", args=[letter.pk, "txt"])).status_code == 404


@pytest.mark.django_db
def test_other_agency_cannot_download(tree, staff):
    """A letter of agency A is a 404 for agency B's handler."""
    app = make_closed_case(tree.dept_a)
    _client(staff["handler_a"]).post(
        reverse("letters:issue", args=[app.pk]),
        {"code": "reply_r1_open", "issued_on": "2026-03-16", "issue": "1"},
    )
    letter = Letter.objects.get()
    other = _client(staff["handler_b"]).get(reverse("letters:download", args=[letter.pk, "pdf"]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_auditor_reads_but_cannot_issue(tree, staff):
    """The agency's auditor sees the letters page but may not issue."""
    app = make_closed_case(tree.dept_a)
    client = _client(staff["auditor_a"])
    assert client.get(reverse("letters:case", args=[app.pk])).status_code == 200
    assert client.get(reverse("letters:issue", args=[app.pk])).status_code == 403


@pytest.mark.django_db
def test_admin_edits_template_and_keeps_versions(tree, staff):
    """The agency admin saves two versions, previews, and can load an old version."""
    client = _client(staff["admin_a"])
    url = reverse("letters:template_edit", args=[tree.dept_a.pk, "correction_notice"])
    page = client.get(url).content.decode()
    assert "第三十条" in page
    from gongkai.letters.defaults import DEFAULTS_BY_CODE

    body = DEFAULTS_BY_CODE["correction_notice"].body
    for n in (1, 2):
        response = client.post(url, {"title": f"补正告知书{n}", "body": body, "note": f"第{n}次"})
        assert response.status_code == 302
    assert list(
        LetterTemplateVersion.objects.filter(template__agency=tree.dept_a).values_list(
            "number", flat=True
        )
    ) == [2, 1]
    old = client.get(url, {"version": "1"}).content.decode()
    assert "补正告知书1" in old
    bad = client.post(url, {"title": "x", "body": "{% include 'base.html' %}"})
    assert bad.status_code == 200 and LetterTemplateVersion.objects.count() == 2
    assert _client(staff["handler_a"]).get(url).status_code == 403
    listing = client.get(reverse("letters:template_list", args=[tree.dept_a.pk])).content.decode()
    assert "补正告知书" in listing


@pytest.mark.django_db
def test_archive_through_the_views(tree, staff):
    """A handler builds the archive of a closed case and downloads the ZIP."""
    app = make_closed_case(tree.dept_a)
    client = _client(staff["handler_a"])
    assert client.post(reverse("letters:archive_build", args=[app.pk])).status_code == 302
    archive = app.archives.get()
    response = client.get(reverse("letters:archive_download", args=[archive.pk]))
    assert response["Content-Type"] == "application/zip" and response.content[:2] == b"PK"
