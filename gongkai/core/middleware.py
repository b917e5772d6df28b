"""Middleware: who is acting and from where (for the audit trail); bad input and API errors."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from gongkai.core import context
from gongkai.core.params import MAX_ID, ParamError, clean_text


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


#: Path prefix of the JSON API: every error there is a JSON problem, never an HTML page.
API_PREFIX = "/api/"
_API_CODES = {
    400: ("bad_request", "请求有误。"),
    401: ("unauthorized", "请先登录。"),
    403: ("forbidden", "无权访问。"),
    404: ("not_found", "请求的资源不存在。"),
    405: ("method_not_allowed", "不支持该请求方法。"),
    413: ("too_large", "请求体过大。"),
    429: ("rate_limited", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "服务器内部错误，请稍后再试。"),
}


def api_problem(status: int, code: str = "", message: str = "", **fields: str) -> HttpResponse:
    """The API's error body ``{"code", "message", "errors"?}`` (Chinese message, no caching)."""
    default_code, default_message = _API_CODES.get(status, ("error", "请求失败。"))
    body: dict[str, Any] = {"code": code or default_code, "message": message or default_message}
    if fields:
        body["errors"] = fields
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


class BadInputMiddleware:
    """Unusable input is a 400, never a 500; under ``/api/`` every error is JSON.

    * Query parameters with a NUL character are refused before any view runs; a
      ``ParamError`` raised anywhere (``core.params``) becomes a 400 — a Chinese page, or a
      JSON problem under ``/api/``.
    * A path id beyond what a table can hold (``/…/99999999999999999999/``) is a 404.
    * Under ``/api/`` any error response that is not JSON (Django's 404, 405, 500, CSRF 403 …)
      is replaced by the JSON problem for its status; Django has already logged the error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            for key, values in request.GET.lists():
                clean_text(key, "query")
                for value in values:
                    clean_text(value, key)
        except ParamError as exc:
            return self.bad_request(request, exc)
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            problem = api_problem(response.status_code)
            for header in ("Allow", "Retry-After"):
                if response.has_header(header):
                    problem[header] = response[header]
            return problem
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not 0 <= value <= MAX_ID:
                raise Http404
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ParamError):
            return self.bad_request(request, exception)
        return None

    @staticmethod
    def bad_request(request: HttpRequest, exc: ParamError) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return api_problem(400, "invalid_parameter", exc.message, **{exc.name: exc.message})
        return render(request, "400.html", {"message": exc.message}, status=400)


#: The Content-Security-Policy of every HTML page: scripts only from our own static files (no
#: inline script or handler anywhere in the templates), inline styles allowed (style
#: attributes in templates and the charts), no plugins, no framing by other sites.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
#: Pages that show a case or the office's work: never stored by any cache or the browser.
NO_STORE_PREFIXES = ("/office/", "/apply/cases/", "/apply/account/")


class SecurityHeadersMiddleware:
    """Content-Security-Policy on HTML pages; ``Cache-Control: no-store`` on case pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils.cache import patch_cache_control

        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)
            if policy and not response.has_header("Content-Security-Policy"):
                response["Content-Security-Policy"] = policy
        if request.path.startswith(NO_STORE_PREFIXES) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)
        return response
