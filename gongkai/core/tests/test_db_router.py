"""Public anonymous reads go to the read replica when one is configured; all else to the primary."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory

from gongkai.agencies.models import Agency
from gongkai.core import context
from gongkai.core.db_router import PrimaryReplicaRouter
from gongkai.core.middleware import is_public_read


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    return settings


def _request(path: str, method: str = "get", user=None):
    request = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
    return request


def test_public_anonymous_get_is_a_public_read():
    """Only anonymous GET/HEAD outside the office, admin and language switch counts."""
    assert is_public_read(_request("/agencies/"))
    assert is_public_read(_request("/search?q=预算", "head"))
    assert not is_public_read(_request("/agencies/", "post"))
    assert not is_public_read(_request("/office/"))
    assert not is_public_read(_request("/admin/"))


@pytest.mark.django_db(transaction=True)
def test_router_sends_public_reads_to_the_replica(with_replica, tree, staff):
    """With a 'replica' alias, portal reads route there; staff, writes and transactions don't."""
    router = PrimaryReplicaRouter()
    token = context.set_current(context.RequestContext(public_read=True))
    try:
        assert router.db_for_read(Agency) == "replica"
        assert router.db_for_write(Agency) == "default"
    finally:
        context.reset(token)
    token = context.set_current(context.RequestContext(public_read=True))
    try:
        with transaction.atomic():
            assert router.db_for_read(Agency) is None  # reads inside a transaction: primary
    finally:
        context.reset(token)
    token = context.set_current(context.RequestContext(user=staff["handler_a"], public_read=False))
    try:
        assert router.db_for_read(Agency) is None  # the primary
    finally:
        context.reset(token)
    assert router.db_for_read(Agency) is None  # no request (commands, workers)
    assert router.allow_migrate("replica", "agencies") is False


def test_router_is_inert_without_a_replica(settings):
    """Without DATABASE_REPLICA_URL everything uses the primary."""
    assert "replica" not in settings.DATABASES
    token = context.set_current(context.RequestContext(public_read=True))
    try:
        assert PrimaryReplicaRouter().db_for_read(Agency) is None
    finally:
        context.reset(token)
