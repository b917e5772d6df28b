"""``{% case_documents_panel app %}`` (office case page) and ``{% applicant_documents view %}``
(the applicant's case page): the response documents of a case."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.responses import selectors

register = template.Library()


@register.inclusion_tag("responses/_case_panel.html")
def case_documents_panel(application: Any) -> dict[str, Any]:
    """The documents of a case whose access the caller's view has checked."""
    documents = selectors.documents_for_case(application)
    return {
        "app": application,
        "summaries": selectors.summaries(documents),
        "downloads": selectors.downloads_for_case(application),
    }


@register.inclusion_tag("responses/_applicant_panel.html")
def applicant_documents(view: Any) -> dict[str, Any]:
    """The provided files on the applicant's page (the caller checked the code or account)."""
    application = view.application
    window = selectors.online_window(application)
    documents = [d for d in selectors.documents_for_case(application) if d.is_ready]
    return {
        "uid": view.access.uid,
        "window": window,
        "open": selectors.online_open(application),
        "summaries": selectors.summaries(documents) if window else [],
    }
