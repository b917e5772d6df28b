"""The gazette's office and portal pages: compile and publish, archive, links, JSON, feed,
and the page that verifies a downloaded PDF."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.gazette.choices import IssueStatus
from gongkai.gazette.models import GazetteIssue
from gongkai.gazette.services import issue_publish
from gongkai.gazette.tests.factories import make_documents, make_issue


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def published(tree):
    """A published issue of the city's gazette with three documents."""
    handler = make_staff(tree.city, Role.HANDLER, sub=True, username="gz_handler")
    head = make_staff(tree.city, Role.HEAD, sub=True, username="gz_head")
    docs = make_documents([tree.city, tree.dept_a], 3)
    issue = issue_publish(by=head, issue=make_issue(tree.city, docs, by=handler, print_run=800))
    return issue, docs


@pytest.mark.django_db
def test_office_compiles_and_publishes_through_the_pages(tree):
    """A handler creates an issue and adds documents; only the head's publish button works."""
    handler = make_staff(tree.city, Role.HANDLER, sub=True, username="gz_handler")
    head = make_staff(tree.city, Role.HEAD, sub=True, username="gz_head")
    docs = make_documents([tree.city], 2)
    client = _client(handler)
    assert "政府公报" in client.get(reverse("gazette:list")).content.decode()
    response = client.post(
        reverse("gazette:new"),
        {"agency": tree.city.pk, "year": 2025, "kind": "REGULAR", "issue_date": "2025-06-01",
         "print_run": 100},
    )  # fmt: skip
    issue = GazetteIssue.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("gazette:detail", args=[issue.pk])).content.decode()
    assert docs[0].title in page
    client.post(reverse("gazette:add", args=[issue.pk]), {"items": [d.pk for d in docs]})
    assert issue.entries.count() == 2
    publish_url = reverse("gazette:publish", args=[issue.pk])
    assert (
        publish_url not in client.get(reverse("gazette:detail", args=[issue.pk])).content.decode()
    )
    response = client.post(
        reverse("gazette:distribution", args=[issue.pk]), {"lines": "市档案馆，200"}
    )
    assert issue.distribution.count() == 0  # 200 copies exceed the print run of 100
    assert client.post(reverse("gazette:publish", args=[issue.pk])).status_code == 403
    head_client = _client(head)
    assert (
        publish_url in head_client.get(reverse("gazette:detail", args=[issue.pk])).content.decode()
    )
    head_client.post(reverse("gazette:publish", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED and issue.number == 1
    pdf = head_client.get(reverse("gazette:download", args=[issue.pk, "pdf"]))
    assert hashlib.sha256(pdf.content).hexdigest() == issue.pdf_sha256


@pytest.mark.django_db
def test_portal_archive_issue_entry_and_catalogue_link_both_ways(published):
    """The archive lists the issue by year; the issue lists its items; items and catalogue
    documents link to each other."""
    issue, docs = published
    client = Client()
    archive = client.get(reverse("gazette_portal:archive")).content.decode()
    assert issue.title in archive and "2025年（1期）" in archive
    page = client.get(reverse("gazette_portal:issue", args=[issue.uid])).content.decode()
    assert issue.pdf_sha256 in page
    entry = issue.entries.get(catalog_item=docs[0])
    assert reverse("gazette_portal:entry", args=[entry.uid]) in page
    entry_page = client.get(reverse("gazette_portal:entry", args=[entry.uid])).content.decode()
    assert reverse("portal:catalog_item", args=[docs[0].pk]) in entry_page
    doc_page = client.get(reverse("portal:catalog_item", args=[docs[0].pk])).content.decode()
    assert reverse("gazette_portal:entry", args=[entry.uid]) in doc_page
    assert client.get(reverse("gazette_portal:issue", args=["NOPE-2025-01"])).status_code == 404
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("gazette_portal:archive") in home


@pytest.mark.django_db
def test_download_verifies_and_a_changed_copy_does_not(published):
    """The downloaded PDF matches the published digest; one changed byte does not."""
    issue, _ = published
    client = Client()
    response = client.get(reverse("gazette_portal:file", args=[issue.uid, "pdf"]))
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == issue.pdf_sha256
    ok = client.post(
        reverse("gazette_portal:verify"),
        {"file": SimpleUploadedFile("gb.pdf", data, content_type="application/pdf")},
    ).content.decode()
    assert "核验通过" in ok and issue.title in ok
    # One byte flipped (writing a fixed b"0" changed nothing when that byte already was "0").
    changed = data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]
    assert changed != data
    bad = client.post(
        reverse("gazette_portal:verify"),
        {"file": SimpleUploadedFile("gb.pdf", changed, content_type="application/pdf")},
    ).content.decode()
    assert "核验未通过" in bad
    assert hashlib.sha256(changed).hexdigest() in bad


@pytest.mark.django_db
def test_json_and_atom_feed(published):
    """Issue and item JSON carry the identifiers, URLs, digest and 文号; the feed lists items."""
    issue, docs = published
    client = Client()
    data = client.get(reverse("gazette_portal:issue_json", args=[issue.uid])).json()
    assert data["id"] == issue.uid and data["pdf"]["sha256"] == issue.pdf_sha256
    assert [i["doc_number"] for i in data["items"]] == [
        e.doc_number for e in sorted(issue.entries.all(), key=lambda e: e.position)
    ]
    item = data["items"][0]
    one = client.get(reverse("gazette_portal:entry_json", args=[item["id"]])).json()
    assert one == item
    feed = client.get(reverse("gazette_portal:atom")).content.decode()
    assert all(d.title in feed for d in docs) and "urn:gongkai:gazette:" in feed


@pytest.mark.django_db
def test_drafts_are_not_public(tree):
    """An issue still being compiled has no public page, and its entries are not linked."""
    handler = make_staff(tree.city, Role.HANDLER, sub=True, username="gz_handler")
    docs = make_documents([tree.city], 1)
    make_issue(tree.city, docs, by=handler)
    client = Client()
    assert "暂无已出版的公报" in client.get(reverse("gazette_portal:archive")).content.decode()
    doc_page = client.get(reverse("portal:catalog_item", args=[docs[0].pk])).content.decode()
    assert "刊登于政府公报" not in doc_page


@pytest.mark.django_db
def test_gazette_build_command_writes_the_published_pdf_and_a_docx(published, tmp_path):
    """``gongkai gazette build`` writes the stored PDF (same digest) or a DOCX per issue."""
    import io

    from django.core.management import call_command

    issue, _ = published
    code = issue.agency.credit_code
    call_command(
        "gazette",
        "build",
        "--agency",
        code,
        "--year",
        "2025",
        "--output",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    pdfs = list(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 1 and hashlib.sha256(pdfs[0].read_bytes()).hexdigest() == issue.pdf_sha256
    call_command(
        "gazette",
        "build",
        "--agency",
        code,
        "--year",
        "2025",
        "--format",
        "docx",
        "--output",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    assert len(list(tmp_path.glob("*.docx"))) == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "gazette", "build", "--agency", code, "--year", "2019", "--output", str(tmp_path)
        )


@pytest.mark.django_db
def test_print_run_reads_as_copies_in_english(published):
    """The issue page says "800 copies" in English and "800册" in Chinese."""
    issue, _docs = published
    url = reverse("gazette_portal:issue", args=[issue.uid])
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    assert "800 copies" in english and "800copies" not in english
    assert "800册" in Client(HTTP_ACCEPT_LANGUAGE="zh-CN").get(url).content.decode()
