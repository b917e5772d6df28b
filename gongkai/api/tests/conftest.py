"""API tests: temporary MEDIA_ROOT and fresh rate-limit counters."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.cache import cache

from gongkai.applications.tests.factories import make_id_number

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def payload(agency: Any, **overrides: Any) -> dict[str, Any]:
    """A valid submission body."""
    body: dict[str, Any] = {
        "agency_id": agency.pk,
        "applicant_type": "PERSON",
        "applicant_name": "赵六",
        "id_document_type": "ID_CARD",
        "id_number": make_id_number(11),
        "phone": "13900001111",
        "email": "zhao@example.cn",
        "description": "2025年本机关行政处罚决定书目录",
        "doc_number": "测府发〔2025〕1号",
        "requested_form": "ELECTRONIC",
        "requested_delivery": "EMAIL",
        "identity_copy": {"filename": "id.pdf", "content_base64": base64.b64encode(PDF).decode()},
    }
    body.update(overrides)
    return body
