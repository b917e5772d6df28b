"""Middleware that records who is acting and from where, for the audit trail."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gongkai.core import context


def client_ip(request: HttpRequest) -> str:
    """Return the client's IP address (REMOTE_ADDR; the proxy must set it correctly)."""
    return request.META.get("REMOTE_ADDR", "") or ""


class RequestContextMiddleware:
    """Expose the current user and IP to services through a context variable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.set_current(
            context.RequestContext(user=getattr(request, "user", None), ip=client_ip(request))
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
