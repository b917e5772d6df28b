"""Finding 4 of the probe: roles that see masked case pages get masked letters and archives."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.applications.masking import mask_text
from gongkai.letters.models import Letter
from gongkai.letters.storage import read_bytes
from gongkai.letters.tests.factories import make_closed_case
from gongkai.letters.tests.helpers import docx_text, pdf_text

pytestmark = pytest.mark.django_db

FULL = ("11010119900307001X", "13812345678", "测试市人民路1号", "张三")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(tree, staff):
    app = make_closed_case(tree.dept_a)
    _client(staff["handler_a"]).post(
        reverse("letters:issue", args=[app.pk]),
        {
            "code": "reply_r1_open",
            "issued_on": "2026-03-16",
            "fact_reasons": "申请人张三（证件号码11010119900307001X，电话13812345678，住测试市人民路1号）",
            "issue": "1",
        },
    )
    assert _client(staff["handler_a"]).post(reverse("letters:archive_build", args=[app.pk]))
    return app, Letter.objects.get(), app.archives.get()


def _zip_texts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = []
        for name in zf.namelist():
            member = zf.read(name)
            if name.endswith(".pdf"):
                parts.append(pdf_text(member))
            elif name.endswith(".docx"):
                parts.append(docx_text(member))
            else:
                parts.append(member.decode("utf-8", "replace"))
            assert not name.startswith("attachments/"), name
        return "\n".join(parts)


def test_the_handling_officer_gets_the_record_in_full(case, staff):
    _app, letter, archive = case
    client = _client(staff["handler_a"])
    text = docx_text(client.get(reverse("letters:download", args=[letter.pk, "docx"])).content)
    assert "11010119900307001X" in text
    sealed = client.get(reverse("letters:archive_download", args=[archive.pk]))
    assert sealed.content == read_bytes(archive.file)
    assert "11010119900307001X" in _zip_texts(sealed.content)


EXTRA = {"security_admin": Role.SECURITY_ADMIN, "city_agency_admin": Role.AGENCY_ADMIN}


@pytest.mark.parametrize(
    "role", ["auditor", "platform_admin", "security_admin", "city_agency_admin", "auditor_a"]
)
def test_roles_that_see_masks_download_masked_letters(case, staff, tree, role):
    """Everyone but staff with a working role in the handling agency (docs/security.md)."""
    _app, letter, _archive = case
    user = staff.get(role) or make_staff(tree.city, EXTRA[role], sub=True)
    response = _client(user).get(reverse("letters:download", args=[letter.pk, "docx"]))
    if response.status_code == 404:  # a role that cannot open the case at all: nothing leaks
        return
    text = docx_text(response.content)
    assert letter.number in text and "1101**********001X" in text and "138****5678" in text
    for value in FULL:
        assert value not in text, (role, value)


@pytest.mark.parametrize("role", ["auditor", "platform_admin"])
def test_roles_that_see_masks_download_a_masked_archive(case, staff, role):
    _app, letter, archive = case
    response = _client(staff[role]).get(reverse("letters:archive_download", args=[archive.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    text = _zip_texts(response.content)
    assert letter.number in text and "脱敏副本" in text and archive.manifest_sha256 in text
    for value in FULL:
        assert value not in text, (role, value)
    pdf = _client(staff[role]).get(reverse("letters:download", args=[letter.pk, "pdf"]))
    assert "11010119900307001X" not in pdf_text(pdf.content)


def test_mask_text_is_the_one_rule(case):
    app, _letter, _archive = case
    masked = mask_text("张三 11010119900307001X 13812345678 测试市人民路1号", app)
    assert masked == "张* 1101**********001X 138****5678 （已隐去）"
