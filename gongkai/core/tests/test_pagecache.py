"""The public page cache: anonymous visitors share pages, each with their own CSRF token."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.middleware.csrf import _does_token_match  # type: ignore[attr-defined]  # private, not in the stubs
from django.test import Client
from django.urls import reverse

from gongkai.agencies.selectors import root_agency
from gongkai.catalog.services import item_withdraw
from gongkai.catalog.tests.factories import make_published
from gongkai.core import pagecache
from gongkai.core.actors import SYSTEM

pytestmark = pytest.mark.django_db

LIST = "/disclosure/documents/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _cache_on(settings, tmp_path):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    pagecache.forget()
    yield
    cache.clear()
    pagecache.forget()


def _token(response) -> str:
    found = TOKEN.findall(response.content.decode())
    assert found, "the page has the language switch form"
    assert len(set(found)) == 1
    return found[0]


def test_second_anonymous_visitor_is_served_from_the_cache_with_their_own_token(tree):
    make_published(tree.dept_a, title="关于公布临江市政务服务事项清单的通知")
    first, second = Client(), Client()
    r1 = first.get(LIST)
    r2 = second.get(LIST)
    assert (r1["X-Page-Cache"], r2["X-Page-Cache"]) == ("miss", "hit")
    assert "政务服务事项清单" in r2.content.decode()
    t1, t2 = _token(r1), _token(r2)
    assert t1 != t2
    # Each token belongs to its own visitor's cookie, and to no one else's.
    c1, c2 = first.cookies["csrftoken"].value, second.cookies["csrftoken"].value
    assert _does_token_match(t1, c1) and _does_token_match(t2, c2)
    assert not _does_token_match(t2, c1)
    # The pages are otherwise the same, and the stored copy holds no token at all.
    assert TOKEN.sub("", r1.content.decode()) == TOKEN.sub("", r2.content.decode())
    generation, _stored_at, stored, _type = cache.get(pagecache.page_key(r2.wsgi_request))
    assert generation == pagecache.generation()
    stored = stored.decode()  # kept as the bytes sent
    assert pagecache.PLACEHOLDER in stored and t1 not in stored and t2 not in stored
    # The cached page's form works: the language switch accepts the visitor's token.
    strict = Client(enforce_csrf_checks=True)
    strict.get(LIST)  # miss or hit, it sets this visitor's cookie
    page = strict.get(LIST)
    assert page["X-Page-Cache"] == "hit"
    switched = strict.post(
        reverse("set_language"),
        {"language": "en", "next": LIST, "csrfmiddlewaretoken": _token(page)},
    )
    assert switched.status_code == 302
    english = strict.get(LIST)
    assert english["X-Page-Cache"] == "miss" and 'lang="en"' in english.content.decode()


def test_publishing_and_withdrawing_make_cached_pages_stale(tree):
    item = make_published(tree.dept_a, title="第一份文件")
    visitor = Client()
    assert visitor.get(LIST)["X-Page-Cache"] == "miss"
    assert visitor.get(LIST)["X-Page-Cache"] == "hit"
    make_published(tree.dept_a, title="第二份新发布的文件")
    fresh = visitor.get(LIST)
    assert fresh["X-Page-Cache"] == "miss" and "第二份新发布的文件" in fresh.content.decode()
    page = reverse("portal:catalog_item", args=[item.pk])
    assert visitor.get(page).status_code == 200
    assert visitor.get(page)["X-Page-Cache"] == "hit"
    item_withdraw(by=SYSTEM, item=item, reason="内容有误")
    assert visitor.get(page).status_code == 404
    assert "第一份文件" not in visitor.get(LIST).content.decode()


def test_signed_in_users_and_other_requests_bypass_the_cache(tree, staff):
    make_published(tree.dept_a)
    Client().get(LIST)  # stored
    officer = Client()
    officer.force_login(staff["handler_a"])
    response = officer.get(LIST)
    assert response.status_code == 200 and "X-Page-Cache" not in response
    # A not-found page is never stored: each request runs the view again.
    for _ in range(2):
        missing = Client().get("/disclosure/documents/999999/")
        assert missing.status_code == 404 and missing.get("X-Page-Cache") != "hit"


def test_languages_and_query_strings_are_cached_apart(tree):
    make_published(tree.dept_a, title="关于年度工作的通知")
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    en = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert zh.get(LIST)["X-Page-Cache"] == "miss"
    r_en = en.get(LIST)
    assert r_en["X-Page-Cache"] == "miss" and 'lang="en"' in r_en.content.decode()
    assert 'lang="zh-hans"' in zh.get(LIST).content.decode()
    assert en.get(LIST + "?page=2")["X-Page-Cache"] in ("miss", "skip")
    assert en.get(LIST)["X-Page-Cache"] == "hit"


def test_search_page_is_cached_and_turned_off_by_zero(tree, settings):
    make_published(tree.dept_a, title="政务公开工作要点")
    visitor = Client()
    assert visitor.get("/search/?q=政务公开")["X-Page-Cache"] == "miss"
    assert visitor.get("/search/?q=政务公开")["X-Page-Cache"] == "hit"
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    assert "X-Page-Cache" not in visitor.get("/search/?q=政务公开")


def test_a_new_visitors_token_from_the_cache_is_a_django_token(tree):
    """The cache's fast token is Django's format: 64 allowed characters, unmasking to the
    secret in the cookie it sets, accepted by the CSRF check, and new for every visitor."""
    from django.middleware.csrf import CSRF_ALLOWED_CHARS

    make_published(tree.dept_a)
    Client().get(LIST)  # stored
    tokens, secrets = set(), set()
    for _ in range(20):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(LIST)
        assert page["X-Page-Cache"] == "hit"
        token, secret = _token(page), visitor.cookies["csrftoken"].value
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert len(secret) == 32 and _does_token_match(token, secret)
        tokens.add(token)
        secrets.add(secret)
    assert len(tokens) == len(secrets) == 20
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": LIST, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_list_counts_are_kept_per_content_generation(tree, staff, settings):
    """An officer's list (never a cached page) counts once per generation of public content;
    publishing or withdrawing shows the new total at once, as do the cached filter choices."""
    from gongkai.catalog.models import CatalogItem
    from gongkai.catalog.selectors import public_items

    first = make_published(tree.dept_a, title="第一份文件")
    officer = Client()
    officer.force_login(staff["handler_a"])
    assert "共 1 条" in officer.get(LIST).content.decode()
    qs = public_items()
    key_before = pagecache.generation()
    assert pagecache.cached_count(qs) == 1
    CatalogItem.objects.filter(pk=first.pk).update(title="改名")  # no signal: same generation
    assert pagecache.generation() == key_before
    make_published(tree.dept_a, title="第二份文件")
    assert pagecache.generation() != key_before
    page = officer.get(LIST).content.decode()
    assert "共 2 条" in page and "第二份文件" in page
    item_withdraw(by=SYSTEM, item=first, reason="内容有误")
    assert "共 1 条" in officer.get(LIST).content.decode()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # cache off: every count is fresh
    CatalogItem.objects.filter(pk=first.pk).update(status="PUBLISHED")
    assert pagecache.cached_count(public_items()) == 2


def test_list_and_search_query_counts(tree, staff, django_assert_num_queries):
    """A cached page reads nothing from the database; a page that expired reads only its rows
    (the count and the root agency are kept per content generation); an officer's list adds only
    the session and the user."""
    make_published(tree.dept_a, title="关于政务公开的通知")
    visitor = Client()
    assert visitor.get(LIST)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert visitor.get(LIST)["X-Page-Cache"] == "hit"
    with django_assert_num_queries(1):  # another page key, as when the stored page expired
        assert visitor.get(LIST + "?page=1")["X-Page-Cache"] == "miss"
    assert visitor.get("/search/?q=政务公开")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert visitor.get("/search/?q=政务公开")["X-Page-Cache"] == "hit"
    officer = Client()
    officer.force_login(staff["handler_a"])
    officer.get(LIST)
    with django_assert_num_queries(3):  # session, user, the page's rows
        page = officer.get(LIST)
    assert "X-Page-Cache" not in page and "关于政务公开的通知" in page.content.decode()


def test_values_kept_per_generation_follow_changes(tree):
    assert pagecache.per_generation("root_agency", root_agency) == tree.city
    tree.city.name = "测试市人民政府（新）"
    tree.city.save()  # an agency change bumps the generation
    assert pagecache.per_generation("root_agency", root_agency).name == "测试市人民政府（新）"


def test_a_process_copy_is_served_only_while_the_shared_generation_and_lifetime_hold(
    tree, monkeypatch
):
    make_published(tree.dept_a, title="关于政务公开的通知")
    visitor = Client()
    assert visitor.get(LIST)["X-Page-Cache"] == "miss"
    assert visitor.get(LIST)["X-Page-Cache"] == "hit"
    pagecache.invalidate()  # as another server process does after a change
    assert visitor.get(LIST)["X-Page-Cache"] == "miss"
    assert visitor.get(LIST)["X-Page-Cache"] == "hit"
    later = time.time() + 61  # the shared entry would have expired too (60 s here)
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    assert visitor.get(LIST)["X-Page-Cache"] == "miss"


def test_a_change_in_another_process_reaches_the_pages_within_the_check_interval(tree, settings):
    """A process reads the shared generation at most every PUBLIC_PAGE_GENERATION_SECONDS:
    a bump made elsewhere (here: straight in the shared cache, as another server's
    ``invalidate`` leaves it) is not seen before the interval ends and is seen after it; a
    change made in this process is seen at once."""
    settings.PUBLIC_PAGE_GENERATION_SECONDS = 0.5
    make_published(tree.dept_a, title="关于公布临江市政务服务事项清单的通知")
    assert Client().get(LIST)["X-Page-Cache"] == "miss"
    read_at = time.monotonic()
    cache.incr(pagecache.GENERATION_KEY)  # another process's change
    within = Client().get(LIST)["X-Page-Cache"]
    if time.monotonic() - read_at < 0.5:  # (a slow machine may already be past the interval)
        assert within == "hit"
    time.sleep(0.6)
    assert Client().get(LIST)["X-Page-Cache"] == "miss"
    assert Client().get(LIST)["X-Page-Cache"] == "hit"
    pagecache.invalidate()  # this process's own change: no wait
    assert Client().get(LIST)["X-Page-Cache"] == "miss"


def test_every_hit_reads_the_generation_when_the_interval_is_zero(tree, settings):
    settings.PUBLIC_PAGE_GENERATION_SECONDS = 0
    make_published(tree.dept_a, title="关于公布临江市政务服务事项清单的通知")
    assert Client().get(LIST)["X-Page-Cache"] == "miss"
    cache.incr(pagecache.GENERATION_KEY)
    assert Client().get(LIST)["X-Page-Cache"] == "miss"
