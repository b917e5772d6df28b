"""The one permission module: require/can with explicit system actors, agencies_for, and
access_object's rule (404 missing or out of scope, alike; 403 visible but not allowed)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.choices import Role
from gongkai.accounts.permissions import (
    ACTION_ROLES,
    access_object,
    agencies_for,
    can,
    require,
)
from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import make_application
from gongkai.core.actors import SYSTEM, SystemActor

pytestmark = pytest.mark.django_db


def test_require_returns_the_role_used_and_refuses_others(tree, staff):
    """The role recorded is one the action allows; any other role is refused."""
    assert require(staff["head_a"], "application.approve", tree.dept_a) == Role.HEAD
    assert require(staff["handler_a"], "application.assign", tree.dept_a) == Role.HANDLER
    for who, agency in (("reviewer_a", tree.dept_a), ("handler_a", tree.dept_b)):
        with pytest.raises(PermissionDenied, match="没有权限"):
            require(staff[who], "application.handle", agency)
        assert not can(staff[who], "application.handle", agency)


def test_a_system_actor_holds_no_role(tree):
    """SYSTEM passes only where the caller names it; another system actor is not SYSTEM."""
    other = SystemActor("import", "导入")
    for action in ACTION_ROLES:
        with pytest.raises(PermissionDenied):
            require(SYSTEM, action, tree.dept_a)
        assert not can(SYSTEM, action, tree.dept_a)
        assert require(SYSTEM, action, tree.dept_a, allow={SYSTEM}) == ""
        assert can(SYSTEM, action, tree.dept_a, allow={SYSTEM})
        assert not can(other, action, tree.dept_a, allow={SYSTEM})


def test_agencies_for_lists_active_agencies_where_the_action_is_allowed(tree, staff):
    """A handler of A may register in A only; a deactivated agency drops out."""
    assert list(agencies_for(staff["handler_a"], "application.register")) == [tree.dept_a]
    assert not agencies_for(staff["reviewer_a"], "application.register").exists()
    Agency.objects.filter(pk=tree.dept_a.pk).update(is_active=False)
    staff["handler_a"].__dict__.pop("_gongkai_scope_cache", None)
    assert not agencies_for(staff["handler_a"], "application.register").exists()


def test_access_object_answers_404_alike_and_403_when_visible(tree, staff):
    """Missing, out of scope and malformed ids: 404; visible but not allowed: 403."""
    mine = make_application(tree.dept_a, staff["handler_a"])
    theirs = make_application(tree.dept_b, staff["handler_b"])
    assert access_object(Application, user=staff["handler_a"], pk=mine.pk) == mine
    assert (
        access_object(
            Application.objects.select_related("agency"),
            user=staff["head_a"],
            pk=str(mine.pk),
            action="application.approve",
        )
        == mine
    )
    for pk in (theirs.pk, 987654, "abc", None):
        with pytest.raises(Http404):
            access_object(Application, user=staff["handler_a"], pk=pk)
    with pytest.raises(PermissionDenied):
        access_object(
            Application, user=staff["reviewer_a"], pk=mine.pk, action="application.handle"
        )
    assert access_object(Agency, user=staff["admin_a"], pk=tree.dept_a.pk, action="agency.change")
    with pytest.raises(Http404):
        access_object(Agency, user=staff["admin_a"], pk=tree.dept_b.pk)
