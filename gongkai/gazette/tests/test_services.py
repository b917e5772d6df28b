"""The gazette's services: compiling, numbering, typesetting, corrections, figures."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.catalog.tests.factories import make_item, make_published
from gongkai.core.models import AuditEvent
from gongkai.gazette.choices import IssueKind, IssueStatus, Section
from gongkai.gazette.rendering import body_paragraphs, render_docx
from gongkai.gazette.selectors import contents, entries_for_item, year_figures
from gongkai.gazette.services import (
    issue_add_correction,
    issue_add_items,
    issue_arrange,
    issue_publish,
    issue_set_distribution,
)
from gongkai.gazette.tests.factories import make_documents, make_issue, pdf_text
from gongkai.gazette.workflow import GazetteError


@pytest.fixture
def editors(tree):
    """A handler (compiles) and a head (publishes) of the city government, with its subtree."""
    return {
        "handler": make_staff(tree.city, Role.HANDLER, sub=True, username="gz_handler"),
        "head": make_staff(tree.city, Role.HEAD, sub=True, username="gz_head"),
    }


@pytest.mark.django_db
def test_publish_numbers_typesets_and_hashes_the_issue(tree, editors):
    """Publishing numbers the issue, gives it and its items identifiers, stores a hashed PDF
    whose contents list the five titles with their 文号."""
    docs = make_documents([tree.city, tree.office, tree.dept_a], 5)
    issue = make_issue(tree.city, docs, by=editors["handler"], print_run=4000)
    assert issue.number is None and issue.uid is None
    issue = issue_publish(by=editors["head"], issue=issue)
    assert issue.status == IssueStatus.PUBLISHED
    assert (issue.number, issue.total_number) == (1, 1)
    assert issue.uid == f"{tree.city.credit_code}-2025-01"
    data = issue.pdf.read()
    assert data.startswith(b"%PDF")
    assert issue.pdf_sha256 == hashlib.sha256(data).hexdigest()
    text = re.sub(r"\s", "", pdf_text(data))
    contents_page = text.split("目录", 1)[1]
    for doc in docs:
        assert doc.title in contents_page
        assert doc.doc_number in contents_page
    assert "第1期" in text and "总第1期" in text
    uids = [e.uid for s in contents(issue) for e in s.entries]
    assert uids == [f"{issue.uid}-{n:03d}" for n in range(1, 6)]
    assert AuditEvent.objects.filter(action="gazette.publish").count() == 1
    assert [e.issue_id for e in entries_for_item(docs[0].pk)] == [issue.pk]


@pytest.mark.django_db
def test_numbers_run_within_the_year_per_series_and_in_total(tree, editors):
    """Regular issues, 增刊 and 特刊 are numbered in their own series each year; the total
    runs over every issue and every year."""
    doc = make_documents([tree.city], 1)
    seen = []
    for year, kind in [
        (2024, IssueKind.REGULAR),
        (2024, IssueKind.REGULAR),
        (2024, IssueKind.SUPPLEMENT),
        (2025, IssueKind.REGULAR),
        (2025, IssueKind.SPECIAL),
        (2025, IssueKind.REGULAR),
    ]:
        issue = make_issue(tree.city, doc, by=editors["handler"], year=year, kind=kind)
        issue = issue_publish(by=editors["head"], issue=issue)
        seen.append((issue.year, issue.kind, issue.number, issue.total_number))
    assert seen == [
        (2024, IssueKind.REGULAR, 1, 1),
        (2024, IssueKind.REGULAR, 2, 2),
        (2024, IssueKind.SUPPLEMENT, 1, 3),
        (2025, IssueKind.REGULAR, 1, 4),
        (2025, IssueKind.SPECIAL, 1, 5),
        (2025, IssueKind.REGULAR, 2, 6),
    ]


@pytest.mark.django_db
def test_only_published_documents_of_the_subtree_may_be_printed(tree, editors):
    """A draft item, or one of an agency outside the gazette's tree, is refused."""
    issue = make_issue(tree.district, [], by=editors["handler"])
    draft = make_item(tree.district_dept, title="草稿")
    with pytest.raises(GazetteError):
        issue_add_items(by=editors["handler"], issue=issue, items=[draft])
    other = make_published(tree.dept_a, title="市甲局文件")
    with pytest.raises(GazetteError):
        issue_add_items(by=editors["handler"], issue=issue, items=[other])
    mine = make_published(tree.district_dept, title="东区丙局文件")
    added = issue_add_items(by=editors["handler"], issue=issue, items=[mine, mine])
    assert len(added) == 1 and added[0].section == Section.DEPARTMENT


@pytest.mark.django_db
def test_roles_and_status_are_enforced(tree, editors, staff):
    """A handler cannot publish; a published issue cannot be edited; an empty one not published."""
    empty = make_issue(tree.city, [], by=editors["handler"])
    with pytest.raises(GazetteError):
        issue_publish(by=editors["head"], issue=empty)
    issue = make_issue(tree.city, make_documents([tree.city], 1), by=editors["handler"])
    with pytest.raises(PermissionDenied):
        issue_publish(by=editors["handler"], issue=issue)
    with pytest.raises(PermissionDenied):
        issue_add_items(by=staff["handler_a"], issue=issue, items=[])
    issue = issue_publish(by=editors["head"], issue=issue)
    with pytest.raises(GazetteError):
        issue_add_items(by=editors["handler"], issue=issue, items=[])


@pytest.mark.django_db
def test_arrangement_orders_the_contents(tree, editors):
    """Sections print in their fixed order; within a section the editor's positions count."""
    docs = make_documents([tree.city, tree.dept_a], 4)
    issue = make_issue(tree.city, docs, by=editors["handler"])
    entries = {e.catalog_item_id: e for e in issue.entries.all()}
    issue_arrange(
        by=editors["handler"],
        issue=issue,
        arrangement={
            entries[docs[0].pk].pk: (Section.DEPARTMENT, 2),
            entries[docs[1].pk].pk: (Section.DEPARTMENT, 1),
            entries[docs[2].pk].pk: (Section.GOVERNMENT, 9),
            entries[docs[3].pk].pk: (Section.PERSONNEL, 1),
        },
    )
    order = [(s.label, [e.catalog_item_id for e in s.entries]) for s in contents(issue)]
    assert order == [
        ("政府文件", [docs[2].pk]),
        ("部门文件", [docs[1].pk, docs[0].pk]),
        ("人事任免", [docs[3].pk]),
    ]
    with pytest.raises(GazetteError):
        issue_arrange(
            by=editors["handler"],
            issue=issue,
            arrangement={entries[docs[0].pk].pk: (Section.CORRECTION, 1)},
        )


@pytest.mark.django_db
def test_distribution_cannot_exceed_the_print_run(tree, editors):
    """Copies per recipient must be positive, recipients distinct, the sum within the run."""
    issue = make_issue(tree.city, [], by=editors["handler"], print_run=100)
    issue_set_distribution(
        by=editors["handler"], issue=issue, rows=[("市档案馆", 10), ("市图书馆", 90)]
    )
    assert [(d.recipient, d.copies) for d in issue.distribution.all()] == [
        ("市档案馆", 10),
        ("市图书馆", 90),
    ]
    for rows in ([("市档案馆", 101)], [("甲", 0)], [("甲", 1), ("甲", 2)]):
        with pytest.raises(GazetteError):
            issue_set_distribution(by=editors["handler"], issue=issue, rows=rows)
    assert issue.distribution.count() == 2


@pytest.mark.django_db
def test_a_correction_is_a_new_linked_item_and_the_old_issue_is_unchanged(tree, editors):
    """A 更正 goes into a later issue, linked to the corrected item; the first PDF stays."""
    docs = make_documents([tree.city], 2)
    first = issue_publish(
        by=editors["head"], issue=make_issue(tree.city, docs, by=editors["handler"])
    )
    digest = first.pdf_sha256
    wrong = first.entries.get(catalog_item=docs[1])
    second = make_issue(tree.city, [], by=editors["handler"], issue_date=dt.date(2025, 5, 1))
    correction = issue_add_correction(
        by=editors["handler"], issue=second, corrected=wrong, text="第三条中“30日”应为“20日”。"
    )
    assert correction.corrects == wrong and correction.section == Section.CORRECTION
    second = issue_publish(by=editors["head"], issue=second)
    first.refresh_from_db()
    assert first.pdf_sha256 == digest
    assert hashlib.sha256(first.pdf.read()).hexdigest() == digest
    assert "应为“20日”" in pdf_text(second.pdf.read())
    assert list(wrong.corrections.all()) == [correction]
    draft = make_issue(tree.city, [], by=editors["handler"])
    with pytest.raises(GazetteError):
        issue_add_correction(
            by=editors["handler"],
            issue=draft,
            corrected=draft.entries.first() or correction,
            text="",
        )


@pytest.mark.django_db
def test_docx_has_cover_contents_and_documents(tree, editors):
    """The DOCX names the gazette, lists the contents with 文号 and prints each body."""
    import docx

    docs = make_documents([tree.city], 3)
    issue = issue_publish(
        by=editors["head"], issue=make_issue(tree.city, docs, by=editors["handler"])
    )
    document = docx.Document(io.BytesIO(render_docx(issue)))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "测试市人民政府公报"
    assert "2025年第1期（总第1期）" in text
    for doc in docs:
        assert f"{doc.title}（{doc.doc_number}）" in text
    assert "现将有关事项通知如下。" in text


def test_body_paragraphs_split_html_blocks():
    """The DOCX text comes from the body's blocks, tags removed."""
    html = "<p>各单位：</p><p>一、<strong>目标</strong>。</p>第二行<br>第三行<h2>附则</h2>"
    assert body_paragraphs(html) == ["各单位：", "一、目标。", "第二行", "第三行", "附则"]


@pytest.mark.django_db
def test_year_figures_count_issues_copies_and_documents(tree, editors):
    """公报 期数, 份数 and 刊登文件数 of a year, for the government and consolidated."""
    docs = make_documents([tree.city, tree.dept_a], 3)
    for print_run in (4000, 3000):
        issue_publish(
            by=editors["head"],
            issue=make_issue(tree.city, docs, by=editors["handler"], print_run=print_run),
        )
    district_doc = make_published(tree.district, title="东区文件")
    issue_publish(
        by=editors["head"],
        issue=make_issue(tree.district, [district_doc], by=editors["handler"], print_run=500),
    )
    make_issue(tree.city, docs, by=editors["handler"], print_run=9999)  # a draft: not counted
    assert year_figures(tree.city, 2025) == {
        "issues": 2,
        "extra_issues": 0,
        "copies": 7000,
        "documents": 6,
    }
    assert year_figures(tree.city, 2025, consolidated=True)["issues"] == 3
    assert year_figures(tree.city, 2024)["issues"] == 0
