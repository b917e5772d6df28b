"""Only the applicant opens their case: number + code, the same answer for every wrong guess."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.portal.access import find_case
from gongkai.portal.models import ApplicantFile, CaseAccess
from gongkai.portal.tests.conftest import PDF, apply_data, upload

pytestmark = pytest.mark.django_db


def apply(agency, **overrides):
    """Submit an application in a fresh browser; return (client, number, code, uid)."""
    client = Client()
    html = client.get(reverse("apply:form_for", args=[agency.pk])).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    data = {
        **apply_data(agency, **overrides),
        "form_token": token,
        "identity_copy": upload("id.pdf", PDF),
    }
    response = client.post(reverse("apply:form_for", args=[agency.pk]), data)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    number = re.search(r'id="registration-number">([^<]+)<', html).group(1)
    code = re.search(r'id="access-code">([^<]+)<', html).group(1)
    access = CaseAccess.objects.get(
        application__registration_number=number, application__agency=agency
    )
    return client, number, code, access.uid


def _clean(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_number_and_code_open_the_case_in_another_browser(tree):
    """A fresh browser opens the case with number + code; the code is accepted in any case/format."""
    _, number, code, uid = apply(tree.dept_a)
    other = Client()
    response = other.post(
        reverse("apply:follow"),
        {"registration_number": f" {number} ", "access_code": code.lower().replace("-", " ")},
    )
    assert response.status_code == 302 and str(uid) in response["Location"]
    html = other.get(response["Location"]).content.decode()
    assert "法定答复期限：" in html and "剩余" in html and "个工作日" in html
    assert number in html


def test_wrong_code_and_unknown_number_get_the_same_answer(tree):
    """Guessing numbers tells nothing: a wrong code and a missing number answer alike."""
    _, number, code, _uid = apply(tree.dept_a)
    wrong_code = Client().post(
        reverse("apply:follow"), {"registration_number": number, "access_code": "AAAA-BBBB-CCCC"}
    )
    no_number = Client().post(
        reverse("apply:follow"),
        {"registration_number": "2099-9999", "access_code": "AAAA-BBBB-CCCC"},
    )
    assert wrong_code.status_code == no_number.status_code == 400
    assert "受理编号或查询码不正确" in wrong_code.content.decode()
    a = _clean(wrong_code.content.decode()).replace(number, "X")
    b = _clean(no_number.content.decode()).replace("2099-9999", "X")
    assert a == b


def test_the_same_number_at_two_agencies_opens_only_the_matching_code(tree):
    """Registration numbers repeat per agency; the code decides which case opens."""
    _, number_a, code_a, uid_a = apply(tree.dept_a)
    _, number_b, code_b, uid_b = apply(tree.dept_b, id_number=apply_data(tree.dept_b)["id_number"])
    assert number_a == number_b
    assert find_case(number_a, code_a).uid == uid_a
    assert find_case(number_b, code_b).uid == uid_b
    assert find_case(number_a, "WRONG") is None


def test_another_applicants_case_page_answers_like_a_wrong_code(tree):
    """Knowing (or guessing) another case's page address opens nothing."""
    _, _number, _code, uid = apply(tree.dept_a)
    stranger = Client()
    for name in ("apply:case", "apply:receipt", "apply:receipt_pdf"):
        response = stranger.get(reverse(name, args=[uid]))
        garbage = stranger.get(reverse(name, args=["00000000-0000-0000-0000-000000000000"]))
        assert response.status_code == garbage.status_code == 302
        assert response["Location"] == garbage["Location"] == reverse("apply:follow")
    row = ApplicantFile.objects.get()
    response = stranger.get(reverse("apply:file", args=[uid, row.pk]))
    assert response.status_code == 302
    posted = stranger.post(reverse("apply:withdraw", args=[uid]), {"confirm": "on"})
    assert posted.status_code == 302 and posted["Location"] == reverse("apply:follow")
    assert CaseAccess.objects.get(uid=uid).application.status == "HANDLING"


def test_the_applicant_downloads_their_own_file(tree):
    """The applicant's session gets the file as an attachment, with no-store caching."""
    client, _number, _code, uid = apply(tree.dept_a)
    row = ApplicantFile.objects.get()
    response = client.get(reverse("apply:file", args=[uid, row.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"].startswith(
        "private"
    )


def test_lookups_are_rate_limited_per_ip(tree, settings):
    """Guessing codes is throttled (429 with Retry-After), with a Chinese message."""
    settings.PORTAL_RATE_LIMITS = {"lookup_ip": (3, 600)}
    client = Client()
    codes = [
        client.post(
            reverse("apply:follow"), {"registration_number": f"2026-000{n}", "access_code": "X"}
        ).status_code
        for n in range(5)
    ]
    assert codes[:3] == [400, 400, 400] and codes[3:] == [429, 429]
    last = client.post(
        reverse("apply:follow"), {"registration_number": "2026-0001", "access_code": "X"}
    )
    assert "操作过于频繁" in last.content.decode() and int(last["Retry-After"]) > 0


def test_submissions_are_rate_limited_per_identity(tree, settings):
    """One ID number cannot flood an agency with applications, whatever the IP."""
    settings.PORTAL_RATE_LIMITS = {"submit_identity": (2, 3600)}
    apply(tree.dept_a)
    apply(tree.dept_a)
    client = Client(REMOTE_ADDR="10.1.2.3")
    html = client.get(reverse("apply:form_for", args=[tree.dept_a.pk])).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    response = client.post(
        reverse("apply:form_for", args=[tree.dept_a.pk]),
        {**apply_data(tree.dept_a), "form_token": token, "identity_copy": upload("id.pdf", PDF)},
    )
    assert response.status_code == 429 and "操作过于频繁" in response.content.decode()
    assert 'value="王小明"' in response.content.decode()


def test_office_sees_files_only_in_the_handling_agency(tree, staff):
    """The handling agency downloads the applicant's files; others get 404 (or 403 in scope)."""
    apply(tree.dept_a)
    row = ApplicantFile.objects.get()
    url = reverse("portal_office:case_file", args=[row.application_id, row.pk])
    ok = Client()
    ok.force_login(staff["handler_a"])
    assert ok.get(url).status_code == 200
    assert (
        "id.pdf"
        in ok.get(reverse("portal_office:case_files", args=[row.application_id])).content.decode()
    )
    other = Client()
    other.force_login(staff["handler_b"])
    assert other.get(url).status_code == 404
    admin = Client()
    admin.force_login(staff["platform_admin"])
    assert admin.get(url).status_code in (403, 404)
    assert Client().get(url).status_code == 302  # anonymous: to the login page
