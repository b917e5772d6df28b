"""Parse untrusted parameters safely: query strings and JSON bodies.

Every public query parameter that is a number, a year or a text, and every JSON request body,
is read through these functions. Anything that cannot be used as given — a number out of range
(``agency=99999999999999999999``), a year no record can have (``year=99999``), a NUL character,
a lone surrogate (``"\\ud800"``), a number with thousands of digits — raises
:class:`ParamError`, which ``core.middleware.BadInputMiddleware`` answers with 400: a Chinese
page for people, a JSON problem under ``/api/``. Nothing reaches the database or a date
constructor that would turn it into a 500.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

#: The largest id any of our tables can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1
#: Years a document, a report or a case can belong to (decision 1801).
MIN_YEAR, MAX_YEAR = 1900, 2100
#: Nesting depth of a JSON body (deeper bodies are refused before they are walked).
MAX_JSON_DEPTH = 32


class ParamError(ValueError):
    """A parameter that cannot be used: its name and a Chinese message (answered with 400)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def clean_text(value: str, name: str = "text") -> str:
    """``value`` unchanged, or ParamError for a NUL character or invalid Unicode (surrogates)."""
    if "\x00" in value:
        raise ParamError(name, _("参数“%(name)s”含有空字符（NUL），无法处理。") % {"name": name})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ParamError(
            name, _("参数“%(name)s”含有无效的Unicode字符。") % {"name": name}
        ) from None
    return value


def text_param(data: Mapping[str, Any], name: str, *, max_length: int = 200) -> str:
    """A stripped text parameter (at most ``max_length`` characters); "" when absent."""
    value = data.get(name) or ""
    return clean_text(str(value), name).strip()[:max_length]


def int_param(
    data: Mapping[str, Any],
    name: str,
    *,
    minimum: int = 1,
    maximum: int = MAX_ID,
    default: int | None = None,
    lenient: bool = False,
) -> int | None:
    """A whole number in ``minimum``..``maximum``; ``default`` when absent.

    ``lenient`` keeps the old forgiving behaviour of filter pages for text that is not a number
    at all (``?year=abc`` is ignored); a number out of range is always refused.
    """
    raw = text_param(data, name, max_length=10_000)
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()):
        if lenient:
            return default
        raise ParamError(name, _("参数“%(name)s”应为整数。") % {"name": name})
    if len(raw) > len(str(maximum)) or not minimum <= int(raw) <= maximum:
        raise ParamError(
            name,
            _("参数“%(name)s”超出范围（%(min)s–%(max)s）。")
            % {"name": name, "min": minimum, "max": maximum},
        )
    return int(raw)


def year_param(
    data: Mapping[str, Any],
    name: str = "year",
    *,
    default: int | None = None,
    lenient: bool = False,
) -> int | None:
    """A year in :data:`MIN_YEAR`..:data:`MAX_YEAR`; ``default`` when absent."""
    return int_param(
        data, name, minimum=MIN_YEAR, maximum=MAX_YEAR, default=default, lenient=lenient
    )


def check_json(value: Any, path: str = "body", depth: int = 0) -> None:
    """Refuse NUL characters and lone surrogates anywhere in a parsed JSON value (keys too)."""
    if depth > MAX_JSON_DEPTH:
        raise ParamError(path, _("请求体嵌套过深。"))
    if isinstance(value, str):
        clean_text(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            clean_text(key, path)
            check_json(item, f"{key}" if path == "body" else f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_json(item, path, depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
        raise ParamError(path, _("参数“%(name)s”超出范围。") % {"name": path})


def parse_json_body(raw: bytes) -> Any:
    """The parsed JSON body, or ParamError (invalid UTF-8, JSON, Unicode, NUL, huge numbers)."""
    try:
        text = raw.decode("utf-8")
        value = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise ParamError("body", _("请求体不是有效的JSON。")) from None
    check_json(value)
    return value
