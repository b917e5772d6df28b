"""Office and portal pages of response documents, through the Django test client."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gongkai.applications import services as app_services
from gongkai.applications.choices import DeliveryMethod, Result
from gongkai.applications.tests.factories import make_application
from gongkai.catalog.tests.factories import pdf_bytes
from gongkai.portal import access as acc
from gongkai.portal.models import CaseAccess
from gongkai.responses import services
from gongkai.responses.choices import DocumentStatus, DownloadChannel, RedactionReason
from gongkai.responses.models import ResponseDocument, ResponseDownload

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


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
        decisions=[app_services.ItemDecision(description="名单", decision=Result.R2_PARTIAL)],
    )


def test_upload_mark_render_and_download_in_the_office(case, staff):
    client = _client(staff["handler_a"])
    page = client.get(reverse("responses:case", args=[case.pk]))
    assert page.status_code == 200 and "上传" in page.content.decode()
    response = client.post(
        reverse("responses:upload", args=[case.pk]),
        {"file": SimpleUploadedFile("名单.pdf", pdf_bytes([["Zhang San 13812345678"]]))},
    )
    assert response.status_code == 302
    doc = ResponseDocument.objects.get(application=case)
    bad = client.post(
        reverse("responses:upload", args=[case.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>")},
        follow=True,
    )
    assert "只接受" in bad.content.decode()
    detail = client.get(reverse("responses:document", args=[case.pk, doc.pk]))
    assert detail.status_code == 200 and "mark.js" in detail.content.decode()
    assert "<script>" not in detail.content.decode().split("</head>", 1)[1]  # no inline script
    png = client.get(reverse("responses:page", args=[case.pk, doc.pk, 0]))
    assert png["Content-Type"] == "image/png" and png["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(png.content)).width == 900
    client.post(
        reverse("responses:mark_add", args=[case.pk, doc.pk]),
        {
            "page": 0,
            "x0": 10,
            "y0": 10,
            "x1": 200,
            "y1": 60,
            "width": 900,
            "reason": "STATE_SECRET",
        },
    )
    client.post(
        reverse("responses:mark_search", args=[case.pk, doc.pk]),
        {"mode": "personal", "query": "", "reason": RedactionReason.PERSONAL_PRIVACY},
    )
    doc.refresh_from_db()
    assert {m["source"] for m in doc.marks} == {"BOX", "PERSONAL_DATA"}
    client.post(reverse("responses:render", args=[case.pk, doc.pk]), {"stamp": ["1", "0"]})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY and doc.stamp, doc.problems
    download = client.get(reverse("responses:download", args=[case.pk, doc.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert download.content.startswith(b"%PDF-")
    assert ResponseDownload.objects.get().channel == DownloadChannel.OFFICE
    case_page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "区分处理，2 处" in case_page and "工作人员下载" in case_page


def test_reviewer_reads_but_cannot_change(case, staff):
    doc = services.document_attach_upload(
        by=staff["handler_a"], application=case, data=pdf_bytes([["x"]]), name="a.pdf"
    )
    client = _client(staff["reviewer_a"])
    assert client.get(reverse("responses:document", args=[case.pk, doc.pk])).status_code == 200
    response = client.post(reverse("responses:remove", args=[case.pk, doc.pk]))
    assert response.status_code == 403
    assert ResponseDocument.objects.get().status == DocumentStatus.DRAFT


def test_the_applicant_downloads_during_the_period_only(case, staff, tree):
    doc = services.document_attach_upload(
        by=staff["handler_a"], application=case, data=pdf_bytes([["x"]]), name="a.pdf"
    )
    services.document_render(by=staff["handler_a"], document_id=doc.pk)
    salt, digest = acc.make_code_hash("ABCD-EFGH-JKMN")
    access = CaseAccess.objects.create(application=case, code_salt=salt, code_hash=digest)
    url = reverse("apply:response", args=[access.uid, doc.pk])
    anonymous = Client()
    assert anonymous.get(url).status_code == 302  # no code proved: to the follow page
    client = Client()
    session = client.session
    session[acc.SESSION_KEY] = [str(access.uid)]
    session.save()
    assert client.get(url).status_code == 404  # nothing delivered online yet
    case = app_services.application_submit_for_review(by=staff["handler_a"], application=case)
    case = app_services.application_review(
        by=staff["reviewer_a"],
        application=case,
        approve=True,
        confidentiality_checked=True,
        legal_checked=True,
    )
    case = app_services.application_approve(by=staff["head_a"], application=case, approve=True)
    app_services.application_record_delivery(
        by=staff["handler_a"],
        application=case,
        method=DeliveryMethod.ONLINE,
        delivered_on=timezone.localdate(),
    )
    page = client.get(reverse("apply:case", args=[access.uid])).content.decode()
    assert "提供的政府信息" in page and "a.pdf" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    row = ResponseDownload.objects.get(channel=DownloadChannel.PORTAL)
    assert row.document == doc and row.who == "申请人（查询码）"


def test_one_download_view_for_the_office_and_the_applicant(case, staff, tree):
    """The office and the portal reach a provided file through the same view: not yet rendered
    is 404 on both sides, a POST is refused on both and records nothing."""
    doc = services.document_attach_upload(
        by=staff["handler_a"], application=case, data=pdf_bytes([["x"]]), name="a.pdf"
    )
    office = _client(staff["handler_a"])
    office_url = reverse("responses:download", args=[case.pk, doc.pk])
    assert office.get(office_url).status_code == 404  # not rendered yet
    assert Client().get(office_url).status_code == 302  # anonymous: to the login page
    assert _client(staff["handler_b"]).get(office_url).status_code == 404  # out of scope
    services.document_render(by=staff["handler_a"], document_id=doc.pk)
    assert office.post(office_url).status_code == 405
    assert office.get(office_url).status_code == 200
    salt, digest = acc.make_code_hash("ABCD-EFGH-JKMN")
    access = CaseAccess.objects.create(application=case, code_salt=salt, code_hash=digest)
    applicant = Client()
    session = applicant.session
    session[acc.SESSION_KEY] = [str(access.uid)]
    session.save()
    assert applicant.get(reverse("apply:response", args=[access.uid, doc.pk])).status_code == 404
    assert [d.channel for d in ResponseDownload.objects.all()] == [DownloadChannel.OFFICE]
