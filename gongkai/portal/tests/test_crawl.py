"""Every public page is reachable by links from the home page.

A crawl from ``/`` (following ``href``, ``hx-get`` and form ``action`` addresses on the site,
outside the office) must reach every public URL pattern that takes no id.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from gongkai.catalog.tests.factories import make_published

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|hx-get|action)="([^"#]*)')
OUTSIDE = ("/office/", "/admin/", "/i18n/", "/static/", "/media/")
#: Public addresses that are not pages for people, with the reason.
NOT_PAGES = {
    "api",  # the JSON API (its schema is the entry point)
    "annual_reports:check_api",  # the 年报体检 JSON endpoint
    "search:api",  # the search JSON endpoint
    "search:facets",  # a fragment of the results page, requested (htmx) only for a query
    "portal:sitemap",  # for search engines (robots.txt)
    "portal:sitemap_section",
    "healthz",
    "readyz",
    "apply:logout",  # POST only
    "annual_reports:list",  # the old address of 政府信息公开年报, redirects to it
}


def _public_patterns() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(
                    p.url_patterns,
                    prefix + str(p.pattern),
                    f"{ns}{p.namespace}:" if p.namespace else ns,
                )
            elif isinstance(p, URLPattern) and p.name:
                route = prefix + str(p.pattern)
                if "<" in route or route.startswith(("office/", "admin/", "i18n/", "api/")):
                    continue
                names.add(f"{ns}{p.name}")

    walk(get_resolver().url_patterns, "", "")
    return {n for n in names if n not in NOT_PAGES and n.split(":")[0] not in NOT_PAGES}


def test_a_crawl_from_home_reaches_every_public_page(tree):
    make_published(tree.dept_a, title="临江市促进就业若干措施", structured_kind="NORMATIVE")
    client = Client()
    queue, seen, reached = deque(["/"]), {"/"}, set()
    while queue and len(seen) < 400:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code in (200, 301, 302), (path, response.status_code)
        try:
            reached.add(resolve(urlsplit(path).path).view_name)
        except Resolver404:
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            url = urlsplit(urljoin(path, href.replace("&amp;", "&")))
            if url.netloc or url.path.startswith(OUTSIDE) or re.search(r"/\d+(/|$)", url.path):
                continue  # another site, the office, or a page of one record
            if url.path not in seen:  # each address once, whatever its query
                seen.add(url.path)
                queue.append(url.path)
    missing = _public_patterns() - reached
    assert not missing, f"not reachable by links from /: {sorted(missing)}"


def test_home_has_search_columns_lists_services_and_staff_login(tree):
    make_published(tree.dept_a, title="关于做好就业工作的通知")
    body = Client().get("/").content.decode()
    for text in (
        'role="search"',
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "依申请公开",
        "最新信息",
        "政策解读",
        "在线申请",
        "查询申请",
        "年报体检",
        "工作人员登录",
        "关于做好就业工作的通知",
    ):
        assert text in body, text
