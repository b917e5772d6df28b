"""The office menu from the workspace registry: a link is shown exactly when its page opens."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts import workspaces
from gongkai.accounts.models import User
from gongkai.accounts.workspaces import MAIN, SETTINGS, Workspace, register
from gongkai.agencies.demo import build_demo

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)"[^>]*data-workspace="([^"]+)"')


def _menu(client: Client) -> dict[str, str]:
    page = client.get(reverse("accounts:home"))
    assert page.status_code == 200
    return {key: url for url, key in LINK.findall(page.content.decode())}


@pytest.fixture
def demo_logins():
    return build_demo()


def test_every_demo_role_sees_exactly_the_workspaces_that_open(demo_logins):
    """For each demo login: every shown link answers 200, every hidden workspace 403/404."""
    assert len(demo_logins) >= 10
    seen: set[str] = set()
    for login in demo_logins:
        client = Client()
        client.force_login(User.objects.get(username=login.username))
        shown = _menu(client)
        assert "home" in shown, login.username
        settings_page = client.get(reverse("accounts:settings"))
        shown_settings = set()
        if settings_page.status_code == 200:
            body = settings_page.content.decode()
            shown_settings = {
                w.key
                for w in workspaces.REGISTRY.values()
                if w.group == SETTINGS and f'href="{w.url}"' in body
            }
        for w in workspaces.REGISTRY.values():
            status = client.get(w.url).status_code
            listed = w.key in shown if w.group == MAIN else w.key in shown_settings
            if listed:
                assert status == 200, (login.username, w.key, status)
                seen.add(w.key)
            else:
                assert status in (403, 404), (login.username, w.key, status)
    # every workspace opens for some demo login
    assert seen == set(workspaces.REGISTRY), set(workspaces.REGISTRY) - seen


def test_menus_differ_by_role(demo_logins):
    """The handler sees the casework, the auditor the audit log, the admin the calendar."""
    menus = {}
    for username in ("bgs_handler", "auditor", "admin", "security", "bgs_head"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        menus[username] = set(_menu(client))
    assert {"home", "applications", "catalog", "reports", "ledger", "agencies"} <= menus[
        "bgs_handler"
    ]
    assert "audit" not in menus["bgs_handler"] and "calendar" not in menus["bgs_handler"]
    assert "audit" in menus["auditor"] and "applications" not in menus["auditor"]
    assert {"calendar", "settings", "reports"} <= menus["admin"] and "audit" not in menus["admin"]
    assert "accounts" in menus["security"] and "applications" not in menus["security"]


def test_another_app_registers_its_workspace_with_one_call(demo_logins):
    """A new workspace appears for the roles of its action and not for others."""
    register(Workspace("probe", _("督办"), "accounts:home", order=45, actions=("audit.view",)))
    try:
        auditor, handler = Client(), Client()
        auditor.force_login(User.objects.get(username="auditor"))
        handler.force_login(User.objects.get(username="bgs_handler"))
        assert "probe" in _menu(auditor)
        assert "probe" not in _menu(handler)
    finally:
        workspaces.REGISTRY.pop("probe")


def test_the_current_workspace_is_marked_and_titles_the_page(demo_logins):
    client = Client()
    client.force_login(User.objects.get(username="bgs_handler"))
    page = client.get(reverse("reports:index")).content.decode()
    assert re.search(r'aria-current="page"[^>]*data-workspace="reports"', page)
    assert "<title>年度报告 - 办公系统</title>" in page


def test_the_office_home_shows_each_workspace_queue(demo_logins):
    """The 工作台 has a section per workspace with a queue, only for workspaces that open."""
    from gongkai.applications.tests.factories import make_application

    handler = User.objects.get(username="bgs_handler")
    make_application(handler.memberships.first().agency, handler)
    client = Client()
    client.force_login(handler)
    page = client.get(reverse("accounts:home")).content.decode()
    for section in ("q-applications", "q-catalog", "q-reports"):
        assert f'id="{section}"' in page, section
    season = f"{timezone.localdate().year - 1}年度·编制中"
    assert "未分配经办人" in page and "保密审查中" in page and season in page
    security = Client()
    security.force_login(User.objects.get(username="security"))
    assert 'id="q-applications"' not in security.get(reverse("accounts:home")).content.decode()


def test_office_pages_keep_the_office_title_suffix():
    """Office templates name their page in ``page_title``; ``title`` adds " - 办公系统"."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if '{% extends "office/base.html" %}' in (text := p.read_text(encoding="utf-8"))
        and "{% block title %}" in text
    ]
    assert not offenders, offenders
