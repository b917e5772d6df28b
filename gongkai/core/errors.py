"""The 500 page in the site's layout, falling back to plain HTML if the layout itself fails."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PLAIN = (
    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>系统错误</title>'
    "</head><body><h1>系统错误</h1><p>系统暂时出现问题，请稍后再试。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: render 500.html with the request (menu, language); plain HTML if that fails."""
    try:
        body: str = render_to_string("500.html", request=request)
    except Exception:  # the layout may be what failed (database down, broken template)
        logger.exception("the 500 page could not be rendered; plain fallback sent")
        body = PLAIN
    return HttpResponseServerError(body)
