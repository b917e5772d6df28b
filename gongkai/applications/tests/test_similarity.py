"""Repeat detection at registration: earlier applications of the applicant, similar requests
from anyone, the 第四十四条 hint, scoping and masking (gongkai/applications/similarity.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.applications import similarity
from gongkai.applications.choices import ApplicantType, IdDocumentType
from gongkai.applications.tests.factories import make_application, make_id_number, person

TODAY = dt.date(2026, 3, 2)
LAND = "请公开2025年东湖村集体土地征收补偿安置方案及补偿标准"
LAND_AGAIN = "申请公开东湖村2025年集体土地征收补偿安置方案和补偿标准"
ROADS = "2024年本市城市道路维修工程招标投标文件"


@pytest.fixture(autouse=True)
def search_dir(settings: Any, tmp_path: Any) -> Iterator[None]:
    """A fresh embedded search index per test."""
    from gongkai.search.backends import forget_backends
    from gongkai.search.segment import reset_segmenter

    settings.VAR_DIR = tmp_path
    forget_backends()
    reset_segmenter()
    yield
    forget_backends()
    reset_segmenter()


def _register(agency: Any, by: Any, description: str, *, n: int, days_ago: int = 30) -> Any:
    return make_application(
        agency,
        by,
        received_on=TODAY - dt.timedelta(days=days_ago),
        applicant=person(id_number=make_id_number(n)),
        description=description,
    )


def test_shingle_similarity_scores():
    """Reworded requests for the same information score high; different subjects low."""
    land = similarity.shingles(LAND)
    assert similarity.similarity(land, similarity.shingles(LAND_AGAIN)) >= 0.5
    assert similarity.similarity(land, similarity.shingles(ROADS)) < 0.2
    assert similarity.similarity(land, similarity.shingles("东湖村集体土地征收补偿安置方案")) >= 0.6
    assert similarity.shingles("，。 ") == frozenset()


@pytest.mark.django_db
def test_earlier_applications_are_found_by_id_number(tree, staff):
    """The applicant's earlier applications (any agency in scope) are found by ID number."""
    earlier = _register(tree.dept_a, staff["handler_a"], ROADS, n=41)
    _register(tree.dept_a, staff["handler_a"], ROADS, n=42)  # someone else
    check = similarity.repeat_check(
        user=staff["handler_a"],
        agency=tree.dept_a,
        description="",
        applicant_type=ApplicantType.PERSON,
        id_number=make_id_number(41).lower(),
        today=TODAY,
    )
    assert [m.pk for m in check.earlier] == [earlier.pk]
    assert check.earlier[0].applicant.endswith("*")  # masked name
    assert check.similar == []


@pytest.mark.django_db
def test_similar_text_is_found_and_dissimilar_is_not(tree, staff):
    """Similar requests from anyone are listed with a score; unrelated requests are not."""
    same = _register(tree.dept_a, staff["handler_a"], LAND, n=51)
    _register(tree.dept_a, staff["handler_a"], ROADS, n=52)
    _register(tree.dept_a, staff["handler_a"], "2025年东湖村村委会换届选举结果", n=53)
    check = similarity.repeat_check(
        user=staff["handler_a"], agency=tree.dept_a, description=LAND_AGAIN, today=TODAY
    )
    assert [m.pk for m in check.similar] == [same.pk]
    assert check.similar[0].score >= similarity.SIMILARITY_THRESHOLD
    assert not check.suggest_proactive


@pytest.mark.django_db
def test_other_agencies_applications_are_never_shown_out_of_scope(tree, staff):
    """Agency B's applications (same applicant, same text) never reach agency A's officer,
    but do reach an officer whose scope covers B."""
    theirs = _register(tree.dept_b, staff["handler_b"], LAND, n=61)
    check = similarity.repeat_check(
        user=staff["handler_a"],
        agency=tree.dept_a,
        description=LAND,
        applicant_type=ApplicantType.PERSON,
        id_number=make_id_number(61),
        today=TODAY,
    )
    assert check.earlier == [] and check.similar == []
    seen_by_b = similarity.repeat_check(
        user=staff["handler_b"],
        agency=tree.dept_b,
        description=LAND,
        applicant_type=ApplicantType.PERSON,
        id_number=make_id_number(61),
        today=TODAY,
    )
    assert [m.pk for m in seen_by_b.earlier] == [theirs.pk]
    assert [m.pk for m in seen_by_b.similar] == [theirs.pk]


@pytest.mark.django_db
def test_proactive_disclosure_hint_at_the_threshold(tree, staff):
    """第四十四条: with the current request, 3 different applicants within 12 months → hint;
    2 are not enough, and requests older than 12 months or by the same person do not count."""
    _register(tree.dept_a, staff["handler_a"], LAND, n=71, days_ago=20)
    _register(tree.dept_a, staff["handler_a"], LAND, n=72, days_ago=400)  # too old
    _register(tree.dept_a, staff["handler_a"], LAND_AGAIN, n=71, days_ago=10)  # same person

    def check() -> similarity.RepeatCheck:
        return similarity.repeat_check(
            user=staff["handler_a"],
            agency=tree.dept_a,
            description=LAND_AGAIN,
            applicant_type=ApplicantType.PERSON,
            id_number=make_id_number(79),
            today=TODAY,
        )

    below = check()
    assert below.recent_applicants == 2 and not below.suggest_proactive
    _register(tree.dept_a, staff["handler_a"], LAND, n=73, days_ago=100)
    at = check()
    assert at.recent_applicants == similarity.PROACTIVE_MIN_APPLICANTS
    assert at.suggest_proactive


@pytest.mark.django_db
def test_organisation_is_found_by_credit_code(tree, staff):
    """Organisations are matched by their 统一社会信用代码."""
    from gongkai.agencies.credit_code import make_credit_code

    code = make_credit_code("110000", 4242, registry="91")
    org = person(
        applicant_type=ApplicantType.BUSINESS,
        name="某某有限公司",
        id_document_type="",
        id_number="",
        credit_code=code,
    )
    app = make_application(tree.dept_a, staff["handler_a"], applicant=org, description=ROADS)
    check = similarity.repeat_check(
        user=staff["handler_a"],
        agency=tree.dept_a,
        description="",
        applicant_type=ApplicantType.BUSINESS,
        credit_code=code.lower(),
        today=TODAY,
    )
    assert [m.pk for m in check.earlier] == [app.pk]
    assert check.earlier[0].applicant == "某某有限公司"


@pytest.mark.django_db
def test_partial_view_lists_masked_matches_in_scope(tree, staff):
    """The htmx partial shows earlier and similar applications with masked data only, and
    answers 404 for an agency outside the officer's scope."""
    app = _register(tree.dept_a, staff["handler_a"], LAND, n=81)
    client = Client()
    client.force_login(staff["handler_a"])
    url = reverse("ledger:repeat_check")
    params = {
        "agency": tree.dept_a.pk,
        "applicant_type": ApplicantType.PERSON,
        "id_number": make_id_number(81),
        "description": LAND_AGAIN,
    }
    response = client.get(url, params, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count(app.registration_number) == 2  # earlier and similar
    assert app.applicant_name not in body and app.masked_name in body
    assert make_id_number(81) not in body
    assert client.get(url, {**params, "agency": tree.dept_b.pk}).status_code == 404
    empty = client.get(url)
    assert empty.status_code == 200 and "填写证件号码或申请内容后" in empty.content.decode()
    auditor = Client()
    auditor.force_login(staff["auditor_a"])
    assert auditor.get(url, params).status_code == 404


@pytest.mark.django_db
def test_candidates_come_from_the_index_not_a_table_scan(
    tree, staff, django_assert_max_num_queries
):
    """The similar-request lookup costs a bounded number of queries, whatever the table size."""
    for n in range(12):
        _register(tree.dept_a, staff["handler_a"], f"{ROADS}第{n}标段", n=90 + n)
    similarity.candidate_ids(staff["handler_a"], LAND)  # build the index once
    with django_assert_max_num_queries(12):
        similarity.repeat_check(
            user=staff["handler_a"],
            agency=tree.dept_a,
            description=ROADS,
            applicant_type=ApplicantType.PERSON,
            id_number=make_id_number(90),
            today=TODAY,
        )


def test_lookup_key_needs_an_identifier():
    """Without an ID number or credit code there is no applicant to match."""
    assert similarity.lookup_keys(applicant_type=ApplicantType.PERSON) == []
    assert similarity.lookup_keys(applicant_type=ApplicantType.BUSINESS) == []
    keys = similarity.lookup_keys(applicant_type=ApplicantType.PERSON, id_number=make_id_number(1))
    assert len(keys) == 1  # one hash key configured
    assert keys == similarity.lookup_keys(applicant_type="", id_number=make_id_number(1))
    assert IdDocumentType.ID_CARD  # the key does not depend on the document type
