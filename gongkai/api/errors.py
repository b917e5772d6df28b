"""JSON error bodies: ``{"code": ..., "message": 中文, "errors": {field: 中文}}``."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse


def json_response(data: Any, status: int = 200, **headers: str) -> JsonResponse:
    """A JSON response with Chinese kept readable and no caching."""
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def error(
    code: str, message: str, status: int, errors: dict[str, str] | None = None, **headers: str
) -> JsonResponse:
    """An error body with a machine code, a Chinese message and per-field messages."""
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return json_response(body, status=status, **headers)
