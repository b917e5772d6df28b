"""The catalogue's index: publishing, changing and withdrawing keep search true after commit."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog.models import Attachment, CatalogItem, Category
from gongkai.search import services
from gongkai.search.registry import get_index
from gongkai.search.segment import get_segmenter
from gongkai.search.selectors import SearchQuery, search


def _item(agency, **values):
    defaults = {
        "title": "测试市甲局关于做好城乡居民最低生活保障工作的通知",
        "summary": "调整低保标准",
        "body": "<p>自2024年7月1日起提高城乡最低生活保障标准。</p>",
        "index_number": f"TEST/2024-{CatalogItem.objects.count() + 1:05d}",
        "doc_number": "测甲发〔2024〕7号",
        "published_on": dt.date(2024, 7, 1),
        "published_year": 2024,
        "status": "PUBLISHED",
        "disclosure_attribute": "PROACTIVE",
    }
    defaults.update(values)
    return CatalogItem.objects.create(agency=agency, **defaults)


def _found(text: str, **filters) -> list[int]:
    return [h.pk for h in search("catalog", SearchQuery(text=text, filters=filters)).hits]


@pytest.mark.django_db(transaction=True)
def test_publish_change_withdraw_follow_the_item(tree):
    """A published item is found; a change is searchable; a withdrawn item is gone at once."""
    item = _item(tree.dept_a)
    assert _found("最低生活保障") == [item.pk]
    assert _found("测甲发 2024 7") == [item.pk]
    assert _found("低保", agency=[str(tree.dept_a.pk)]) == [item.pk]
    item.title = "测试市甲局关于调整特困人员供养标准的通知"
    item.save()
    assert _found("特困人员") == [item.pk]
    item.status = "WITHDRAWN"
    item.save()
    assert _found("特困人员") == []


@pytest.mark.django_db(transaction=True)
def test_drafts_and_non_public_items_are_not_indexed(tree):
    """Only published 主动公开 items are searchable."""
    _item(tree.dept_a, status="DRAFT", title="草稿中的住房公积金办法")
    _item(
        tree.dept_a,
        title="依申请公开的住房公积金台账",
        status="CATALOGUED",
        disclosure_attribute="ON_APPLICATION",
    )
    assert _found("住房公积金") == []


@pytest.mark.django_db(transaction=True)
def test_attachment_text_is_searchable(tree):
    """Text extracted from an attachment (PDF, DOCX, XLSX) is indexed with the item."""
    item = _item(tree.dept_a)
    Attachment.objects.create(
        item=item,
        file="catalog/2024/x.xlsx",
        name="补助名单.xlsx",
        kind="XLSX",
        size=10,
        sha256="0" * 64,
        text_units=[["名单", 2, "高龄津贴发放明细 茂南区"]],
    )
    assert _found("高龄津贴") == [item.pk]


@pytest.mark.django_db(transaction=True)
def test_public_page_and_api(client, tree):
    """The page shows escaped highlighted results and facets; the API returns the same."""
    item = _item(tree.dept_a, title="关于<b>低保</b>标准的通知")
    page = client.get("/search/", {"q": "低保"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "&lt;b&gt;" in html and "<b>低保</b>" not in html
    assert "<mark>" in html and "测试市甲局" in html
    data = client.get("/api/search", {"q": "低保"}).json()
    assert data["total"] == 1 and data["results"][0]["id"] == item.pk
    assert data["facets"]["agency"][0]["label"] == "测试市甲局"
    empty = client.get("/search/", {"q": "火星基地建设"}).content.decode()
    assert "没有找到相关结果" in empty


@pytest.mark.django_db(transaction=True)
def test_facet_counts_come_after_the_page(client, tree):
    """The page renders without facet counts and points the browser at them; the counts
    arrive from /search/facets/ (or inline with facets=1, for browsers without JavaScript)."""
    _item(tree.dept_a, title="关于最低生活保障标准的通知")
    _item(tree.dept_b, title="最低生活保障资金分配方案")
    page = client.get("/search/", {"q": "最低生活保障", "page": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and 'class="count"' not in html
    assert 'hx-get="/search/facets/?q=' in html and "page=1" not in html.split("hx-get=")[1][:80]
    assert "显示筛选条件及结果数" in html
    facets = client.get("/search/facets/", {"q": "最低生活保障"})
    body = facets.content.decode()
    assert facets.status_code == 200 and "<html" not in body
    assert (
        "测试市甲局" in body and "测试市乙局" in body and '<span class="count">(1)</span>' in body
    )
    assert 'href="?q=' in body  # relative links: they act on the search page they land in
    inline = client.get("/search/", {"q": "最低生活保障", "facets": "1"}).content.decode()
    assert '<span class="count">(1)</span>' in inline and "hx-get" not in inline
    nothing = client.get("/search/", {"q": "火星基地建设"}).content.decode()
    assert 'hx-get="/search/facets/' not in nothing


@pytest.mark.django_db
def test_rebuild_documents_equal_the_per_item_documents(tree):
    """The rebuild's row-based documents are exactly ``to_document`` of every public item:
    co-issuers and extra categories in their model order, attachments' text, labels, stamps."""
    index = get_index("catalog")
    cats = list(Category.objects.filter(parent__isnull=False).select_related("parent")[:4])
    top = list(Category.objects.filter(parent__isnull=True)[:2])
    assert len(cats) == 4 and len(top) == 2  # the shipped subject scheme
    items = [
        _item(tree.dept_a),
        _item(tree.dept_b, title="无分类无摘要", summary="", body="", doc_number="", keywords=""),
        _item(
            tree.office, category=cats[0] if cats else None, genre="OPINION", validity="REPEALED"
        ),
        _item(tree.district_dept, category=top[0] if top else None, published_year=None),
        _item(tree.dept_a, status="DRAFT"),  # not public: in neither
    ]
    items[0].co_issuers.set([tree.district_dept, tree.dept_b, tree.office])
    items[2].co_issuers.set([tree.dept_a])
    items[2].extra_categories.set([*cats[1:], *top])
    items[3].extra_categories.set(cats[:2])
    for i, units in enumerate(
        [[[1, 1, "附件第一段"], [1, 2, "附件第二段"]], [{"text": "字典式单元"}, {}], []]
    ):
        Attachment.objects.create(
            item=items[0], name=f"附件{i}.pdf", kind="PDF", size=10, sha256="0" * 64,
            text_units=units, sort_order=3 - i,
        )  # fmt: skip
    expected = [index.to_document(o) for o in index.get_queryset()]
    assert len(expected) == 4
    assert list(index.iter_documents()) == expected
    seg = get_segmenter()  # and the rebuild's workers build and cut the same documents
    in_workers = [d for batch in services.prepared_batches(index, seg, 2, 3) for d in batch]
    assert in_workers == [services.prepare_document(index, d, seg) for d in expected]
    assert expected[0].fields["attachments"].startswith("附件2.pdf")
    assert len(expected[0].facets["agency"]) == 4


@pytest.mark.django_db
def test_rebuild_documents_come_in_batches(tree, monkeypatch):
    index = get_index("catalog")
    monkeypatch.setattr(type(index), "batch_size", 2)
    made = [_item(tree.dept_a, title=f"第{i}号通知") for i in range(5)]
    assert [d.pk for d in index.iter_documents()] == sorted(i.pk for i in made)
