"""Probe findings on the reports paths: zip bombs to the checker, broken files to the import."""

from __future__ import annotations

import gc
import resource
import tracemalloc

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.core.testing.zipbomb import docx_bomb
from gongkai.reports import checker
from gongkai.reports.choices import Scope, Source

pytestmark = pytest.mark.django_db

API = "/api/report-check"
PUBLIC = "/disclosure/annual-report-check/"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """Under 5 MB, a DOCX whose members would unpack to 5 GB (3 GB document.xml + 2 GB media)."""
    data = docx_bomb(3_000_000_000, 2_000_000_000)
    assert len(data) < checker.MAX_BYTES
    return data


def _peak_above_idle(call) -> tuple[int, int]:
    """(tracemalloc peak, growth of the process's maximum resident size) while ``call`` runs."""
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        call()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return peak, rss_after - rss_before


def test_checker_refuses_a_5gb_bomb_within_100mb(bomb):
    def call():
        with pytest.raises(checker.CheckerError) as err:
            checker.check_upload(bomb, "report.docx")
        assert err.value.status == 413 and "过大" in str(err.value.message)

    peak, rss = _peak_above_idle(call)
    assert peak < 100 * MB, peak
    assert rss < 100 * MB, rss


def test_api_and_page_refuse_the_bomb_within_100mb(bomb):
    client = Client()
    responses = []

    def call():
        responses.append(client.post(API, {"file": SimpleUploadedFile("r.docx", bomb)}))
        responses.append(
            client.post(PUBLIC, {"file": SimpleUploadedFile("r.docx", bomb), "text": ""})
        )

    peak, rss = _peak_above_idle(call)
    api, page = responses
    assert api.status_code == 413 and api["Content-Type"].startswith("application/json")
    assert "过大" in api.json()["message"]
    assert page.status_code == 413 and "过大" in page.content.decode()
    assert peak < 100 * MB and rss < 100 * MB, (peak, rss)


def test_a_lying_directory_cannot_make_the_checker_unpack_more():
    from gongkai.core.testing.zipbomb import zip_bomb

    data = zip_bomb(
        {"word/document.xml": 200_000_000},
        declared={"word/document.xml": 10_000},
        extra={"[Content_Types].xml": b"<Types/>"},
    )
    peak, _rss = _peak_above_idle(
        lambda: pytest.raises(checker.CheckerError, checker.check_upload, data, "r.docx")
    )
    assert peak < 20 * MB


@pytest.fixture
def importer(tree):
    user = make_staff(tree.dept_a, Role.AGENCY_ADMIN)
    client = Client()
    client.force_login(user)
    return client, tree


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.docx", b"PK\x03\x04" + b"\x00" * 300),
        ("report.docx", docx_bomb(50_000_000)[:-200]),  # truncated: no directory
        ("report.pdf", b"%PDF-1.7\n1 0 obj<<>>\n%%EOF garbage" * 3),
        ("report.pdf", b"%PDF-"),
    ],
)
def test_broken_docx_or_pdf_to_the_import_gives_a_chinese_message(importer, name, data):
    client, tree = importer
    response = client.post(
        "/office/reports/import/",
        {
            "agency": tree.dept_a.pk,
            "year": 2024,
            "scope": Scope.OWN,
            "source": Source.IMPORTED,
            "file": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "无法读取" in html or "损坏" in html or "未能" in html, html[-2000:]
