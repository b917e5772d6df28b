"""Corrections change the request: versions of 申请内容, the reply drafted against the current
one, and the 补正告知书 issued with the notice (decision 1607)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.choices import Result, Status
from gongkai.applications.tests.conftest import d
from gongkai.applications.tests.factories import make_application

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _awaiting(tree, staff, today):
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10), description="有关那个项目的文件")
    today["d"] = d(11)
    app = s.application_request_correction(
        by=h, application=app, on=d(11), period_ends_on=d(25), content="请写明项目名称和文件名称"
    )
    today["d"] = d(20)
    return app


def test_office_correction_makes_a_new_version_and_keeps_the_original(tree, staff, today):
    h = staff["handler_a"]
    app = _awaiting(tree, staff, today)
    app = s.application_receive_correction(
        by=h,
        application=app,
        on=d(20),
        description="某路改造工程的环评批复和验收意见",
        items=["某路改造工程环评批复", "某路改造工程竣工验收意见"],
    )
    assert app.status == Status.HANDLING
    assert app.description == "某路改造工程的环评批复和验收意见"
    assert list(app.items.values_list("description", flat=True)) == [
        "某路改造工程环评批复",
        "某路改造工程竣工验收意见",
    ]
    versions = s.request_versions(app)
    assert [(v["number"], v["description"], v["current"]) for v in versions] == [
        (1, "有关那个项目的文件", False),
        (2, "某路改造工程的环评批复和验收意见", True),
    ]
    assert versions[0]["items"] == ["有关那个项目的文件"] and versions[1]["on"] == d(20)
    page = _client(h).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "申请内容的历次版本" in page and "有关那个项目的文件" in page
    # The reply is drafted against the current version.
    draft = (
        _client(h).get(reverse("applications:step", args=[app.pk, "draft_reply"])).content.decode()
    )
    assert "某路改造工程竣工验收意见" in draft and "有关那个项目的文件" not in draft
    app = s.application_draft_reply(
        by=h,
        application=app,
        decisions=[
            s.ItemDecision("某路改造工程环评批复", Result.R1_OPEN),
            s.ItemDecision("某路改造工程竣工验收意见", Result.R4_3),
        ],
    )
    assert app.proposed_result == Result.R2_PARTIAL


def test_correction_without_new_text_keeps_the_request(tree, staff, today):
    app = _awaiting(tree, staff, today)
    app = s.application_receive_correction(by=staff["handler_a"], application=app, on=d(20))
    assert app.description == "有关那个项目的文件"
    assert len(s.request_versions(app)) == 1


def test_applicant_correction_online_becomes_the_current_request(tree, staff, today):
    app = _awaiting(tree, staff, today)
    app = s.applicant_submit_correction(application=app, note="某路改造工程环评批复", on=d(20))
    assert app.description == "某路改造工程环评批复"
    assert [v["description"] for v in s.request_versions(app)] == [
        "有关那个项目的文件",
        "某路改造工程环评批复",
    ]


def test_office_page_correction_form_changes_the_request(tree, staff, today):
    h = staff["handler_a"]
    app = _awaiting(tree, staff, today)
    response = _client(h).post(
        reverse("applications:step", args=[app.pk, "receive_correction"]),
        {
            "on": "2026-02-20",
            "description": "某路改造工程环评批复",
            "items": "环评批复\n验收意见\n",
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.description == "某路改造工程环评批复"
    assert list(app.items.values_list("description", flat=True)) == ["环评批复", "验收意见"]


def test_correction_notice_issues_the_letter_for_the_applicant(
    tree, staff, today, django_capture_on_commit_callbacks, settings, tmp_path
):
    from gongkai.letters.choices import LetterKind
    from gongkai.letters.permissions import letter_file_for_applicant, letters_for_applicant
    from gongkai.letters.storage import read_bytes
    from gongkai.letters.tests.helpers import pdf_text

    settings.MEDIA_ROOT = tmp_path / "media"
    h = staff["handler_a"]
    app = make_application(tree.dept_a, h, received_on=d(10))
    today["d"] = d(11)
    with django_capture_on_commit_callbacks(execute=True):
        s.application_request_correction(
            by=h, application=app, on=d(11), period_ends_on=d(25), content="请写明文件名称"
        )
    letters = letters_for_applicant(application=app)
    assert [letter.kind for letter in letters] == [LetterKind.CORRECTION]
    letter = letters[0]
    assert letter.issued_on == d(11)
    text = pdf_text(read_bytes(letter.pdf_file))
    assert "请写明文件名称" in text and "第三十条" in text
    served = letter_file_for_applicant(application=app, letter_pk=letter.pk, fmt="pdf")
    assert served.data.startswith(b"%PDF")
