"""三员分立: system, security and audit administration are separate people and separate work."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.accounts.services import membership_grant
from gongkai.accounts.tests.factories import make_staff
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_one_person_holds_at_most_one_of_the_three_admin_roles(tree, staff):
    """Granting a second of 平台管理员/安全管理员/审计员 to one person is refused."""
    with pytest.raises(ValidationError, match="三员分立"):
        membership_grant(by=None, user=staff["auditor"], agency=tree.city, role=Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="三员分立"):
        membership_grant(by=None, user=staff["platform_admin"], agency=tree.city, role=Role.AUDITOR)
    membership_grant(by=None, user=staff["auditor"], agency=tree.dept_a, role=Role.AUDITOR)


def test_platform_admin_cannot_manage_roles_or_read_the_audit_log(tree, staff):
    """The system administrator runs the platform, but grants no roles and audits nothing."""
    client = _client(staff["platform_admin"])
    assert client.get(reverse("agencies:members", args=[tree.dept_a.pk])).status_code == 403
    assert client.get(reverse("core:audit_log")).status_code == 404
    assert client.get(reverse("accounts:account_list")).status_code == 404
    assert client.get(reverse("agencies:edit", args=[tree.dept_a.pk])).status_code == 200


def test_security_admin_manages_accounts_but_not_agencies_or_audit(tree, staff):
    """The security administrator manages accounts and roles only."""
    security = make_staff(tree.city, Role.SECURITY_ADMIN, sub=True, username="security")
    client = _client(security)
    assert client.get(reverse("agencies:edit", args=[tree.dept_a.pk])).status_code == 403
    assert client.get(reverse("core:audit_log")).status_code == 404
    response = client.post(
        reverse("agencies:members", args=[tree.dept_a.pk]),
        {"username": "handler_b", "role": Role.REVIEWER},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:account_list"),
        {"username": "newbie", "full_name": "新同事", "email": "", "password": "Strong-Pass-2026"},
    )
    assert response.status_code == 302
    newbie = User.objects.get(username="newbie")
    client.post(reverse("accounts:account_action", args=[newbie.pk, "disable"]))
    newbie.refresh_from_db()
    assert not newbie.is_active
    actions = set(AuditEvent.objects.filter(actor=security).values_list("action", flat=True))
    assert {"membership.grant", "user.create", "user.deactivate"} <= actions


def test_security_admin_password_rules_apply_to_new_accounts(tree, staff):
    """A weak first password is refused next to its field."""
    security = make_staff(tree.city, Role.SECURITY_ADMIN, sub=True, username="security")
    response = _client(security).post(
        reverse("accounts:account_list"),
        {"username": "weak", "full_name": "弱密码", "email": "", "password": "password"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()
    assert "id_password_error" in response.content.decode()
