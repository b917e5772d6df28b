"""Public reads: the portal pages, filters and facets, feeds, sitemap and the JSON API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.catalog.openapi import OPENAPI
from gongkai.catalog.services import attachment_add, item_revise, item_withdraw
from gongkai.catalog.tests.factories import PNG_BYTES, make_item, make_published, publish, subject
from gongkai.core.actors import SYSTEM

pytestmark = pytest.mark.django_db


def test_document_page_shows_metadata_block_and_meta_tags(tree):
    """The page has the metadata table, the standard meta tags and the print button."""
    item = make_published(
        tree.dept_a, title="关于印发临江市政务公开工作要点的通知", doc_number="临府办〔2026〕5号",
        keywords="政务公开 工作要点",
    )  # fmt: skip
    html = Client().get(reverse("portal:catalog_item", args=[item.pk])).content.decode()
    for label in (
        "索引号",
        "主题分类",
        "发布机构",
        "成文日期",
        "文号",
        "发布日期",
        "主题词",
        "有效性",
    ):
        assert f">{label}</th>" in html
    assert item.index_number in html and "临府办〔2026〕5号" in html
    for tag in ("SiteName", "ColumnName", "ArticleTitle", "PubDate", "ContentSource", "Keywords"):
        assert f'<meta name="{tag}"' in html
    assert 'content="政务公开,工作要点"' in html
    assert "打印本页" in html


def test_drafts_and_withdrawn_items_are_not_public(tree):
    """A draft is 404; a withdrawn item is 404 and gone from lists, feeds and the API."""
    draft = make_item(tree.dept_a)
    client = Client()
    assert client.get(reverse("portal:catalog_item", args=[draft.pk])).status_code == 404
    item = make_published(tree.dept_a, title="将被撤回的文件")
    assert "将被撤回的文件" in client.get(reverse("portal:catalog_rss")).content.decode()
    item_withdraw(by=SYSTEM, item=item, reason="有误")
    assert client.get(reverse("portal:catalog_item", args=[item.pk])).status_code == 404
    assert "将被撤回的文件" not in client.get(reverse("portal:catalog_list")).content.decode()
    assert "将被撤回的文件" not in client.get(reverse("portal:catalog_rss")).content.decode()
    assert client.get(reverse("catalog_api:item", args=[item.pk])).status_code == 404


def test_list_filters_and_facets(tree):
    """Filtering by genre, validity, category, year and agency; facets count the rest."""
    make_published(tree.dept_a, title="通知甲", genre="NOTICE")
    make_published(tree.dept_a, title="办法乙", genre="MEASURES", validity="REPEALED")
    make_published(tree.dept_b, title="意见丙", genre="OPINION", category=subject("科技、教育"))
    client = Client()
    url = reverse("portal:catalog_list")

    def titles(**q):
        return [d.title for d in client.get(url, q).context["page"].object_list]

    assert sorted(titles()) == ["办法乙", "意见丙", "通知甲"]
    assert titles(genre="MEASURES") == ["办法乙"]
    assert titles(validity="REPEALED") == ["办法乙"]
    assert titles(category=subject("科技、教育").pk) == ["意见丙"]
    assert titles(agency=tree.dept_b.pk) == ["意见丙"]
    year = dt.date.today().year  # noqa: DTZ011
    assert len(titles(year=year)) == 3 and titles(year=1999) == []
    facets_url = reverse("portal:catalog_facets")
    facets = {f["name"]: f for f in client.get(facets_url, {"genre": "NOTICE"}).context["facets"]}
    genre_counts = {o["label"]: o["count"] for o in facets["genre"]["options"]}
    assert genre_counts == {"通知": 1, "办法": 1, "意见": 1}
    assert titles(genre="BOGUS") == titles()  # unknown values are ignored


def test_list_query_count_is_constant(tree):
    """The list page costs the same number of queries for 3 and for 13 documents."""
    for _ in range(3):
        make_published(tree.dept_a)
    client = Client()
    url = reverse("portal:catalog_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        make_published(tree.dept_b)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_section_pages_render(tree):
    """The four columns exist for the platform and for each agency."""
    make_published(
        tree.dept_a, title="政府信息公开工作制度", portal_column="RULES", statutory_item=2
    )
    client = Client()
    for name in ("catalog_section", "catalog_statutory", "catalog_rules", "catalog_reports"):
        assert client.get(reverse(f"portal:{name}")).status_code == 200
    for name in ("agency_section", "agency_statutory", "agency_rules", "agency_reports"):
        assert client.get(reverse(f"portal:{name}", args=[tree.dept_a.pk])).status_code == 200
    assert "政府信息公开工作制度" in client.get(reverse("portal:catalog_rules")).content.decode()
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:catalog_statutory") in home


def test_interpretations_are_shown_with_their_document(tree):
    """A 政策解读 links to its document and the document lists it."""
    doc = make_published(tree.dept_a, title="临江市促进就业若干措施", structured_kind="NORMATIVE")
    interp = publish(
        make_item(
            tree.dept_a,
            title="《临江市促进就业若干措施》政策解读",
            genre="INTERPRETATION",
            interprets=[doc],
        )
    )
    client = Client()
    assert (
        interp.title in client.get(reverse("portal:catalog_item", args=[doc.pk])).content.decode()
    )
    assert (
        doc.title in client.get(reverse("portal:catalog_item", args=[interp.pk])).content.decode()
    )


def test_versions_are_visible(tree):
    """After a revision the page lists version 1, which can be opened."""
    item = make_published(tree.dept_a, title="第一版标题")
    item_revise(by=SYSTEM, item=item, reason="更正", title="第二版标题")
    client = Client()
    html = client.get(reverse("portal:catalog_item", args=[item.pk])).content.decode()
    assert "版本记录" in html and "第二版标题" in html
    old = client.get(reverse("portal:catalog_item_version", args=[item.pk, 1])).content.decode()
    assert "第一版标题" in old


def test_attachment_is_served_through_the_view(tree):
    """Attachments of public items are served with their type; drafts' are not."""
    item = make_item(tree.dept_a)
    att = attachment_add(by=SYSTEM, item=item, name="图.png", data=PNG_BYTES)
    url = reverse("portal:catalog_attachment", args=[item.pk, att.pk])
    assert Client().get(url).status_code == 404
    publish(item)
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG_BYTES


def test_feeds_per_agency_and_category(tree):
    """RSS/Atom feeds per agency and category list only their documents."""
    make_published(tree.dept_a, title="甲局文件")
    make_published(tree.dept_b, title="乙局文件", category=subject("科技、教育"))
    client = Client()
    rss = client.get(
        reverse("portal:catalog_rss_for", args=["agency", tree.dept_a.pk])
    ).content.decode()
    assert "甲局文件" in rss and "乙局文件" not in rss
    atom = client.get(
        reverse("portal:catalog_atom_for", args=["category", subject("科技、教育").pk])
    )
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "乙局文件" in atom.content.decode() and "甲局文件" not in atom.content.decode()
    assert client.get(reverse("portal:catalog_rss_for", args=["bogus", 1])).status_code == 404


def test_sitemap_lists_published_documents(tree):
    """sitemap.xml lists the section pages and every published document."""
    item = make_published(tree.dept_a)
    draft = make_item(tree.dept_a)
    client = Client()
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-documents.xml" in index and "sitemap-section.xml" in index
    xml = client.get("/sitemap-documents.xml").content.decode()
    assert reverse("portal:catalog_item", args=[item.pk]) in xml
    assert reverse("portal:catalog_item", args=[draft.pk]) not in xml
    assert (
        reverse("portal:catalog_statutory") in client.get("/sitemap-section.xml").content.decode()
    )


def test_json_api_and_openapi_fragment(tree):
    """The read API lists and shows items; table 二 is served; the OpenAPI fragment names them."""
    item = make_published(tree.dept_a, title="接口测试文件", doc_number="甲发〔2026〕1号")
    client = Client()
    data = client.get(reverse("catalog_api:items"), {"agency": tree.dept_a.pk}).json()
    assert data["count"] == 1 and data["results"][0]["doc_number"] == "甲发〔2026〕1号"
    detail = client.get(reverse("catalog_api:item", args=[item.pk])).json()
    assert detail["index_number"] == item.index_number and "body_html" in detail
    table = client.get(reverse("catalog_api:table_two", args=[tree.city.pk]), {"year": 2025}).json()
    assert table["blocks"][0]["caption"] == "第二十条第（一）项"
    assert client.get(reverse("catalog_api:categories")).json()["schemes"][0]["code"] == "govcn"
    for path in (
        "/api/catalog/items/",
        "/api/catalog/items/{id}/",
        "/api/catalog/table-two/{agency_id}/",
    ):
        assert path in OPENAPI["paths"]
    assert "CatalogItem" in OPENAPI["components"]["schemas"]


def test_list_page_loads_its_facet_counts_after_the_page(tree):
    """The list renders without the facet counts and points the browser at them; the counts
    (with relative toggle links) come from the facets URL, or inline with facets=1."""
    make_published(tree.dept_a, title="通知甲", genre="NOTICE")
    make_published(tree.dept_b, title="办法乙", genre="MEASURES")
    client = Client()
    url = reverse("portal:catalog_list")
    page = client.get(url, {"genre": "NOTICE", "page": "1"})
    html = page.content.decode()
    assert page.context["facets"] is None and "（1）" not in html
    assert 'hx-get="/disclosure/documents/facets/?genre=NOTICE"' in html
    assert "?genre=NOTICE&amp;facets=1" in html
    facets = client.get(reverse("portal:catalog_facets"), {"genre": "NOTICE"})
    body = facets.content.decode()
    assert facets.status_code == 200 and "<html" not in body
    assert '<strong aria-current="true">通知（1）</strong>' in body
    assert 'href="?genre=MEASURES"' in body  # relative: acts on the list page it lands in
    inline = client.get(url, {"genre": "NOTICE", "facets": "1"}).content.decode()
    assert '<strong aria-current="true">通知（1）</strong>' in inline and "hx-get" not in inline
