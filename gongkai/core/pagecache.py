"""A short-lived cache of public pages for anonymous visitors (catalogue lists, search results).

The public catalogue and search are what a city portal's visitors hit hardest, and the same
URL renders the same HTML for every anonymous visitor — except for the CSRF token of the
language switch in the page header. So a page is stored with its token replaced by a
placeholder, and each visitor served from the cache gets their own token put back (``get_token``,
which also makes ``CsrfViewMiddleware`` set the visitor's cookie as for a rendered page).

What is never served from or stored in the cache:

- requests that carry any cookie except the CSRF and language cookies (a session: a signed-in
  officer or applicant, flash messages) — their pages may be personal;
- anything but GET/HEAD, and responses other than a plain 200 (or that set cookies);
- a page in which the token appears anywhere but the form field (it cannot be swapped safely).

Freshness: entries live ``PUBLIC_PAGE_CACHE_SECONDS`` (default 15; 0 turns the cache off), and
every change to a catalogue item, attachment, agency or category bumps a generation number that
every stored page carries and every hit compares (``invalidate``). With a shared cache
(``CACHE_URL``, docs/deploy.md) the bump reaches every server process within
``PUBLIC_PAGE_GENERATION_SECONDS`` (default 1; each process reads the shared generation at most
that often — decision 1805 — and sees its own changes at once); with the per-process default,
other processes may serve the previous page until their entry expires.
"""

from __future__ import annotations

import hashlib
import operator
import os
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import cached_property
from django.utils.translation import get_language

GENERATION_KEY = "pagecache:generation"
PLACEHOLDER = "__gongkai_csrf_token__"
_PLACEHOLDER = PLACEHOLDER.encode("ascii")
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')

View = Callable[..., HttpResponse]
T = TypeVar("T")


def timeout() -> int:
    """Seconds a page stays cached (0 = off)."""
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0) or 0)


def _first_generation() -> int:
    """A starting generation never used before (milliseconds since the epoch), so that a
    flushed cache cannot make a process's own copy of an older page current again."""
    return int(time.time() * 1000)


#: This process's last reading of the shared generation: [value, time.monotonic() of the read].
_seen: list[Any] = [None, 0.0]


def _check_seconds() -> float:
    return float(getattr(settings, "PUBLIC_PAGE_GENERATION_SECONDS", 0) or 0)


def generation() -> int:
    """The current generation of public content (stored with every page).

    Read from the cache at most once per ``PUBLIC_PAGE_GENERATION_SECONDS`` in a process
    (decision 1805): a change made in this process is seen at once (``invalidate`` records
    the new value), one made in another process within that many seconds.
    """
    value, read_at = _seen
    now = time.monotonic()
    if value is not None and now - read_at < _check_seconds():
        return int(value)
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _first_generation(), timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    _seen[:] = [int(value), now]
    return int(value)


def invalidate(*args: Any, **kwargs: Any) -> None:
    """Make every cached public page stale (signature fits a signal receiver)."""
    try:
        value = cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from what pages carry
        value = _first_generation()
        cache.set(GENERATION_KEY, value, timeout=None)
    _seen[:] = [int(value), time.monotonic()]


def forget() -> None:
    """Drop this process's copies of pages and of the generation (after the cache is cleared)."""
    _local.clear()
    _seen[:] = [None, 0.0]


_CHARS = CSRF_ALLOWED_CHARS
_UNBIASED = 256 - 256 % len(_CHARS)  # random bytes below this map evenly onto the characters
#: byte -> character (``bytes.translate``); bytes from ``_UNBIASED`` up are dropped
_BYTE_TO_CHAR = bytes(ord(_CHARS[b % len(_CHARS)]) for b in range(256))
_DROP = bytes(range(_UNBIASED, 256))
#: (secret character + mask character) -> the masked character, as Django's ``_mask_cipher_secret``
_MASKED = {
    s + m: _CHARS[(i + j) % len(_CHARS)] for i, s in enumerate(_CHARS) for j, m in enumerate(_CHARS)
}


def _random_chars(n: int) -> str:
    out = b""
    while len(out) < n:
        out += os.urandom(2 * n).translate(_BYTE_TO_CHAR, _DROP)
    return out[:n].decode("ascii")


def visitor_token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` returns, drawn from one ``os.urandom`` call.

    Django draws each of the 64 characters of a new visitor's secret and mask with its own
    ``secrets.choice`` (one system call per character: ~0.35 ms, more than the rest of a
    cached page). The token is the same: a masked copy of the visitor's CSRF secret, and for
    a visitor without one a new secret, which ``CsrfViewMiddleware`` sets as the cookie. The
    characters are mapped and masked through tables (``bytes.translate``, one dict lookup per
    pair), not a Python loop per character.
    """
    if settings.CSRF_USE_SESSIONS:
        return get_token(request)
    secret = request.META.get("CSRF_COOKIE") or _random_chars(CSRF_SECRET_LENGTH)
    request.META.update({"CSRF_COOKIE": secret, "CSRF_COOKIE_NEEDS_UPDATE": True})
    mask = _random_chars(CSRF_SECRET_LENGTH)
    return mask + "".join(map(_MASKED.__getitem__, map(operator.add, secret, mask)))


def cacheable_request(request: HttpRequest) -> bool:
    """True if the request may be answered from, and its page stored in, the cache."""
    if timeout() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return not (set(request.COOKIES) - allowed)


def page_key(request: HttpRequest) -> str:
    """The cache key of a page: language, htmx or not, scheme, host and full path.

    The generation is not part of the key but of the stored value, so that a hit costs one
    round trip to a shared cache (``get_many`` of the generation and the page), not two.
    """
    parts = "\x1f".join(
        [
            get_language() or "",
            "htmx" if request.META.get("HTTP_HX_REQUEST") else "page",
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
        ]
    )
    digest = hashlib.sha256(parts.encode("utf-8")).hexdigest()[:40]
    return f"pagecache:page:{digest}"


def _storable(response: HttpResponse) -> bytes | None:
    """The page's bytes with its CSRF token replaced by the placeholder, or None if not storable.

    Stored as bytes (as sent), so a hit neither decodes nor encodes the page again.
    """
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if response.has_header("Set-Cookie") or "no-store" in response.get("Cache-Control", ""):
        return None
    content = response.content
    tokens = {m.group(2) for m in _TOKEN_FIELD.finditer(content)}
    stored = _TOKEN_FIELD.sub(rb"\g<1>" + _PLACEHOLDER + rb"\g<3>", content)
    if any(token in stored for token in tokens):
        return None  # the token is used elsewhere in the page too
    return stored


#: Seconds a public list's row count is kept (also ended by any change of public content).
COUNT_SECONDS = 300


def cached_count(queryset: QuerySet[Any]) -> int:
    """The number of rows of a public list, counted once per generation of public content.

    Counting a million catalogue items is most of the cost of an unfiltered list page (0.1–0.4
    s), and the number only changes when public content does — which bumps the generation in
    the key. Signed-in officers, who never get cached pages, share these counts too.
    """
    if timeout() <= 0:
        return queryset.count()
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode("utf-8")).hexdigest()[:40]
    key = f"pagecount:{generation()}:{digest}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


_MISSING = object()


def per_generation(name: str, compute: Callable[[], T]) -> T:
    """A value derived from public content (e.g. the root agency of the section pages), computed
    once per generation of public content instead of with a query on every request."""
    if timeout() <= 0:
        return compute()
    key = f"pagevalue:{generation()}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, COUNT_SECONDS)
    return cast(T, value)


class CachedCountPaginator(Paginator):
    """A paginator whose total comes from ``cached_count`` (public lists)."""

    @cached_property
    def count(self) -> int:
        """The number of objects, across all pages (cached per content generation)."""
        return cached_count(cast(QuerySet[Any], self.object_list))  # only given querysets


#: This process's copies of the pages it stored or read: key -> (generation, stored at, bytes,
#: content type). A copy is used only while its generation is the shared current one and it is
#: younger than the timeout, exactly as the shared entry, so a hit reads only the generation from
#: a shared cache instead of transferring and unpickling the whole page.
_local: dict[str, tuple[int, float, bytes, str]] = {}
LOCAL_PAGES = 256


def _fresh(entry: Any, current: int) -> bool:
    """True for a stored page of the current generation that is younger than the timeout."""
    return (
        isinstance(entry, tuple)
        and len(entry) == 4
        and entry[0] == current
        and entry[1] + timeout() > time.time()
    )


def _keep_local(key: str, entry: tuple[int, float, bytes, str]) -> None:
    if len(_local) >= LOCAL_PAGES:
        _local.clear()  # rare: more distinct pages than this within their lifetime
    _local[key] = entry


def cache_public_page(view: View) -> View:
    """Serve an anonymous visitor's GET from the page cache, storing the page on a miss."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cacheable_request(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        current = generation()
        hit = _local.get(key)
        if not _fresh(hit, current):
            hit = cache.get(key)
            if _fresh(hit, current):
                _keep_local(key, hit)
        if hit is not None and _fresh(hit, current):
            content, content_type = hit[2], hit[3]
            if _PLACEHOLDER in content:
                content = content.replace(_PLACEHOLDER, visitor_token(request).encode("ascii"))
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        stored = _storable(response)
        if stored is not None:  # stored under the generation read before the page was made
            entry = (current, time.time(), stored, response["Content-Type"])
            cache.set(key, entry, timeout())
            _keep_local(key, entry)
        response["X-Page-Cache"] = "miss" if stored is not None else "skip"
        return response

    return wrapped
