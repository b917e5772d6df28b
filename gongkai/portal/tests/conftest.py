"""Fixtures for the applicant's side: temporary MEDIA_ROOT, fresh rate-limit counters, files."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.cache import cache

from gongkai.applications.tests.factories import make_id_number

#: Smallest valid files of each accepted type.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def upload(name: str, data: bytes) -> io.BytesIO:
    """A file object for Django's test client."""
    f = io.BytesIO(data)
    f.name = name
    return f


def apply_data(target: Any, **overrides: Any) -> dict[str, Any]:
    """A complete, valid apply-form POST (without the token and files)."""
    data = {
        "agency": str(target.pk),
        "applicant_kind": "PERSON",
        "org_type": "",
        "applicant_name": "王小明",
        "id_document_type": "ID_CARD",
        "id_number": make_id_number(7),
        "credit_code": "",
        "legal_representative": "",
        "contact_name": "",
        "phone": "13812345678",
        "email": "wang@example.cn",
        "address": "测试市人民路1号",
        "postcode": "100000",
        "doc_title": "关于2025年道路改造的通知",
        "doc_number": "测府办〔2025〕12号",
        "doc_date": "2025年3月",
        "description": "请公开上述通知全文及附件。",
        "requested_form": "ELECTRONIC",
        "requested_delivery": "ONLINE",
    }
    data.update(overrides)
    return data
