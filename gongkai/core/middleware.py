"""Middleware that records who is acting and from where, for the audit trail."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gongkai.core import context


def client_ip(request: HttpRequest) -> str:
    """Return the client's IP address (REMOTE_ADDR; the proxy must set it correctly)."""
    return request.META.get("REMOTE_ADDR", "") or ""


#: Path prefixes that are never public reads (the office, admin, writes through the API).
PRIVATE_PREFIXES = ("/office/", "/admin/", "/i18n/")


def is_public_read(request: HttpRequest) -> bool:
    """True for an anonymous GET/HEAD of a public page: safe to serve from a read replica."""
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not (user is not None and user.is_authenticated)
        and not request.path.startswith(PRIVATE_PREFIXES)
    )


class RequestContextMiddleware:
    """Expose the current user and IP to services through a context variable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = context.set_current(
            context.RequestContext(
                user=user,
                ip=client_ip(request),
                public_read=is_public_read(request),
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
