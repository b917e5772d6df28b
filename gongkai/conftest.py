"""Shared fixtures: a small agency tree with staff in every role, and a real browser."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from gongkai.accounts.choices import Role
from gongkai.core import pagecache

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously from the same thread, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rate-limit counters, replay keys and cached pages
    of one test must not decide another's outcome."""
    from django.core.cache import cache

    cache.clear()
    pagecache.forget()
    yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test ends in the site's default language: a request with another Accept-Language
    activates it in the thread (LocaleMiddleware), and it must not carry into the next test."""
    from django.utils import translation

    yield
    translation.deactivate()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class Tree:
    """City government with two departments (A and B) and a district government below."""

    city: Any
    office: Any
    dept_a: Any
    dept_b: Any
    district: Any
    district_dept: Any


@pytest.fixture
def tree(db: Any) -> Tree:
    # Fixtures run after pytest-django has set Django up (models need the app registry).
    from gongkai.agencies.choices import AgencyKind, AgencyLevel
    from gongkai.agencies.tests.factories import make_agency, make_government

    city = make_government("测试市人民政府")
    office = make_agency("测试市人民政府办公室", parent=city, is_disclosure_office=True)
    dept_a = make_agency("测试市甲局", parent=city, phone="0799-1111111")
    dept_b = make_agency("测试市乙局", parent=city)
    district = make_agency(
        "测试市东区人民政府", parent=city, kind=AgencyKind.GOVERNMENT, level=AgencyLevel.COUNTY
    )
    district_dept = make_agency("测试市东区丙局", parent=district, level=AgencyLevel.COUNTY)
    return Tree(city, office, dept_a, dept_b, district, district_dept)


@pytest.fixture
def staff(tree: Tree) -> dict[str, Any]:
    """One user per role: most in department A; platform admin and auditor at the root."""
    # Fixtures run after pytest-django has set Django up (models need the app registry).
    from gongkai.accounts.tests.factories import make_staff

    return {
        "handler_a": make_staff(tree.dept_a, Role.HANDLER, username="handler_a"),
        "reviewer_a": make_staff(tree.dept_a, Role.REVIEWER, username="reviewer_a"),
        "head_a": make_staff(tree.dept_a, Role.HEAD, username="head_a"),
        "admin_a": make_staff(tree.dept_a, Role.AGENCY_ADMIN, username="admin_a"),
        "handler_b": make_staff(tree.dept_b, Role.HANDLER, username="handler_b"),
        "admin_b": make_staff(tree.dept_b, Role.AGENCY_ADMIN, username="admin_b"),
        "platform_admin": make_staff(
            tree.city, Role.PLATFORM_ADMIN, sub=True, username="platform_admin"
        ),
        "auditor": make_staff(tree.city, Role.AUDITOR, sub=True, username="auditor"),
        "auditor_a": make_staff(tree.dept_a, Role.AUDITOR, username="auditor_a"),
    }


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (no browser download; no outside network)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def office_login(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """``office_login(username)``: a page logged in as ``username`` through the office login
    form, in a fresh browser context (``width``/``height``/``timeout`` to change its size and
    wait; ``page=`` logs in an existing page instead). Contexts are closed after the test."""
    # Fixtures run after pytest-django has set Django up (the factories import models).
    from gongkai.accounts.tests.factories import PASSWORD

    contexts: list[Any] = []

    def login(
        username: str,
        *,
        width: int = 1280,
        height: int = 900,
        timeout: int = 15_000,
        page: Any = None,
    ) -> Any:
        if page is None:
            context = browser.new_context(
                locale="zh-CN", viewport={"width": width, "height": height}, accept_downloads=True
            )
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(timeout)
        page.goto(f"{live_server.url}/office/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/office/")
        return page

    yield login
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def pytest_configure(config: Any) -> None:
    """Compile the translation catalogues when a .po is newer than its .mo."""
    from pathlib import Path

    from django.core.management import call_command

    root = Path(__file__).resolve().parent.parent
    for po in [
        *root.glob("locale/*/LC_MESSAGES/*.po"),
        *root.glob("gongkai/*/locale/*/LC_MESSAGES/*.po"),
    ]:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            import django

            django.setup()
            call_command(
                "compilemessages", locale=[po.parent.parent.name], verbosity=0, ignore=[".venv"]
            )
            break
