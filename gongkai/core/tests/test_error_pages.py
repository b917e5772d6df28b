"""Friendly errors with DEBUG off: Chinese 403/404/500 pages in the site's layout; demo notice."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.core.checks import check_production_settings
from gongkai.core.errors import server_error

pytestmark = pytest.mark.django_db


def test_404_is_chinese_in_the_site_layout_without_the_url_list(settings):
    assert settings.DEBUG is False
    page = Client().get("/no-such-page/")
    body = page.content.decode()
    assert page.status_code == 404
    assert "页面不存在" in body and 'class="site-header"' in body
    assert "URLconf" not in body and "portal:home" not in body


def test_403_for_a_refused_step_is_chinese_and_leads_back_to_the_office(tree):
    reviewer = make_staff(tree.dept_a, Role.REVIEWER, username="r403")
    client = Client()
    client.force_login(reviewer)
    page = client.get(reverse("reports:season"))
    body = page.content.decode()
    assert page.status_code == 403
    assert "无权执行此操作" in body and 'class="site-header"' in body
    assert reverse("accounts:home") in body


def test_500_page_uses_the_layout_and_survives_a_broken_layout(monkeypatch):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "系统错误" in body and "site-header" in body

    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr("gongkai.core.errors.render_to_string", broken)
    response = server_error(request)
    assert response.status_code == 500 and "系统错误" in response.content.decode()


def test_demo_instance_says_so_on_the_login_page_and_fails_the_production_check(
    settings, monkeypatch
):
    login = reverse("accounts:login")
    settings.GONGKAI_DEMO = False
    assert "这是演示实例" not in Client().get(login).content.decode()
    settings.GONGKAI_DEMO = True
    assert "这是演示实例" in Client().get(login).content.decode()
    monkeypatch.setenv("SECRET_KEY", "k" * 60)
    assert [m.id for m in check_production_settings()] == ["gongkai.E006"]
