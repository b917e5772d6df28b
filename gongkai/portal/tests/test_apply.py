"""Applying online: one application per submission, the receipt, the code, the follow page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from gongkai.applications.choices import Channel, Status
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_id_number
from gongkai.portal.models import ApplicantFile, CaseAccess
from gongkai.portal.tests.conftest import PDF, apply_data, upload

pytestmark = pytest.mark.django_db(transaction=False)

_GOOD = make_id_number(7)
#: A 居民身份证 number whose check character is wrong.
BAD_ID = _GOOD[:-1] + ("0" if _GOOD[-1] != "0" else "1")


def _token(client: Client, agency) -> str:
    html = client.get(reverse("apply:form_for", args=[agency.pk])).content.decode()
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def submit(client: Client, target, **overrides):
    """GET the form, POST it with a valid identity copy; return the response."""
    agency = target
    token = _token(client, agency)
    data = apply_data(agency, **overrides)
    data["form_token"] = token
    data.setdefault("identity_copy", upload("id.pdf", PDF))
    return client.post(reverse("apply:form_for", args=[agency.pk]), data)


def test_a_person_applies_online_and_gets_a_receipt_with_a_code(
    tree, django_capture_on_commit_callbacks
):
    """The application is registered as 网络, the receipt shows the number and a one-time code."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, tree.dept_a)
    assert response.status_code == 302, response.content.decode()[:3000]
    app = Application.objects.get()
    assert app.channel == Channel.ONLINE and app.status == Status.HANDLING
    assert app.confirmed_on == app.arrived_on
    assert "测府办〔2025〕12号" in app.description
    html = client.get(response["Location"]).content.decode()
    assert app.registration_number in html
    code = re.search(r'id="access-code">([A-Z0-9-]+)<', html).group(1)
    access = CaseAccess.objects.get()
    assert code not in access.code_hash and len(access.code_hash) == 64
    assert ApplicantFile.objects.filter(application=app, kind="IDENTITY").count() == 1
    pdf = client.get(reverse("apply:receipt_pdf", args=[access.uid]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_resubmitted_page_creates_one_application(tree):
    """The same form token posted twice (double click, back + resubmit) yields one case."""
    client = Client()
    token = _token(client, tree.dept_a)
    url = reverse("apply:form_for", args=[tree.dept_a.pk])
    first = client.post(
        url, {**apply_data(tree.dept_a), "form_token": token, "identity_copy": upload("a.pdf", PDF)}
    )
    second = client.post(
        url, {**apply_data(tree.dept_a), "form_token": token, "identity_copy": upload("a.pdf", PDF)}
    )
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1 and CaseAccess.objects.count() == 1
    # another browser replaying the same page does not get a second case either
    third = Client().post(
        url, {**apply_data(tree.dept_a), "form_token": token, "identity_copy": upload("a.pdf", PDF)}
    )
    assert third.status_code == 302 and Application.objects.count() == 1


def test_a_forged_or_expired_token_stores_nothing_and_keeps_the_input(tree):
    """Without a valid token nothing is stored; the page asks to submit again with data kept."""
    url = reverse("apply:form_for", args=[tree.dept_a.pk])
    response = Client().post(
        url,
        {**apply_data(tree.dept_a), "form_token": "forged", "identity_copy": upload("a.pdf", PDF)},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "页面已过期" in html
    assert 'value="王小明"' in html and Application.objects.count() == 0


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error">([^<]+)<', html)
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"id_number": BAD_ID}, "id_number", "校验位"),
        ({"id_number": "11010119900307001"}, "id_number", "18位"),
        ({"applicant_name": ""}, "applicant_name", "请填写"),
        ({"description": ""}, "description", "请填写"),
        ({"phone": "", "email": "", "address": ""}, "phone", "至少填写一种联系方式"),
        ({"email": "not-an-email"}, "email", "电子邮箱格式不正确"),
        ({"postcode": "12"}, "postcode", "6位数字"),
        ({"agency": "999999"}, "agency", "不存在"),
        ({"agency": "abc"}, "agency", "不存在"),
        ({"applicant_kind": "ORGANISATION", "org_type": ""}, "org_type", "类别"),
        (
            {
                "applicant_kind": "ORGANISATION",
                "org_type": "BUSINESS",
                "credit_code": "91110000ABCDEFGHIJ",
            },
            "credit_code",
            "",
        ),
        ({"requested_form": "TELEPATHY"}, "requested_form", "请选择"),
        ({"id_document_type": ""}, "id_document_type", "请选择"),
    ],
)
def test_bad_input_gets_a_chinese_message_next_to_the_field_and_keeps_the_rest(
    tree, overrides, field, expected
):
    """Each kind of bad input names the field in Chinese; everything typed is still there."""
    response = submit(Client(), tree.dept_a, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    message = _field_error(html, field)
    assert message and expected in message, (field, message)
    assert re.search(r"[\u4e00-\u9fff]", message)
    assert 'aria-describedby="' in html and f"id_{field}_error" in html
    assert 'aria-invalid="true"' in html
    if field != "description":
        assert "请公开上述通知全文及附件。" in html  # typed text kept
    if field != "applicant_name":
        assert 'value="王小明"' in html
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64, "按文件内容识别"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "按文件内容识别"),
        ("empty.pdf", b"", "空的"),
    ],
)
def test_disguised_or_empty_uploads_are_refused(tree, name, data, expected):
    """The type is read from the content, not the name."""
    response = submit(Client(), tree.dept_a, identity_copy=upload(name, data))
    assert response.status_code == 400
    assert expected in _field_error(response.content.decode(), "identity_copy")
    assert Application.objects.count() == 0 and ApplicantFile.objects.count() == 0


def test_oversize_upload_is_refused(tree, settings):
    """A file above the limit is refused with its size in the message."""
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    response = submit(Client(), tree.dept_a, identity_copy=upload("big.pdf", PDF + b"0" * 2048))
    assert "文件过大" in _field_error(response.content.decode(), "identity_copy")
    assert Application.objects.count() == 0


def test_missing_identity_copy_is_named(tree):
    """Art. 29 identity proof: the copy is required online."""
    client = Client()
    token = _token(client, tree.dept_a)
    response = client.post(
        reverse("apply:form_for", args=[tree.dept_a.pk]),
        {**apply_data(tree.dept_a), "form_token": token},
    )
    assert "身份证明复印件" in _field_error(response.content.decode(), "identity_copy")


def test_a_good_upload_is_kept_when_another_field_fails(tree):
    """After fixing another field the applicant need not choose the file again."""
    client = Client()
    token = _token(client, tree.dept_a)
    url = reverse("apply:form_for", args=[tree.dept_a.pk])
    first = client.post(
        url,
        {
            **apply_data(tree.dept_a, id_number=BAD_ID),
            "form_token": token,
            "identity_copy": upload("my-id.png", b"\x89PNG\r\n\x1a\n" + b"1" * 40),
        },
    )
    assert first.status_code == 400 and "my-id.png" in first.content.decode()
    second = client.post(url, {**apply_data(tree.dept_a), "form_token": token})
    assert second.status_code == 302
    row = ApplicantFile.objects.get()
    assert row.original_name == "my-id.png" and row.content_type == "image/png"
    assert not row.file.name.endswith("my-id.png")


def test_an_organisation_applies_with_its_sub_type(tree):
    """法人或其他组织 with one of the five sub-types (the report's columns)."""
    response = submit(
        Client(),
        tree.dept_a,
        applicant_kind="ORGANISATION",
        org_type="LEGAL_SERVICE",
        applicant_name="测试律师事务所",
        id_number="",
        id_document_type="",
        credit_code="",
        contact_name="李律师",
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.applicant_type == "LEGAL_SERVICE" and app.id_number == ""


def test_receipt_email_is_sent_and_recorded(tree, django_capture_on_commit_callbacks):
    """An e-mail address given → a receipt e-mail; the notification is recorded (masked)."""
    from gongkai.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        submit(Client(), tree.dept_a)
    app = Application.objects.get()
    assert len(mail.outbox) == 1
    assert app.registration_number in mail.outbox[0].subject
    assert "查询码" in mail.outbox[0].body and app.id_number not in mail.outbox[0].body
    row = Notification.objects.get(application=app, channel="EMAIL")
    assert row.kind == "RECEIVED" and row.status == "SENT" and row.recipient.startswith("w***@")


def test_the_guide_page_links_to_the_agency_form(tree):
    """Each agency's guide page links to its online form."""
    html = Client().get(reverse("portal:guide", args=[tree.dept_a.pk])).content.decode()
    assert reverse("apply:form_for", args=[tree.dept_a.pk]) in html
    start = Client().get(reverse("apply:start"), {"q": "甲局"}).content.decode()
    assert reverse("apply:form_for", args=[tree.dept_a.pk]) in start and "测试市乙局" not in start


def test_the_form_is_protected_by_csrf(tree):
    """A POST without the CSRF token is refused."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("apply:form_for", args=[tree.dept_a.pk]), apply_data(tree.dept_a)
    )
    assert response.status_code == 403 and Application.objects.count() == 0
