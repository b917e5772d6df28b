"""The office menu and page titles from the workspace registry (gongkai/accounts/workspaces.py).

``{% office_menu as menu %}`` — the workspaces that open for the current person, each with
``current`` set for the one the page belongs to. ``{% office_section %}`` — the label of the
workspace the page belongs to (the default page title).
"""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.accounts.workspaces import menu_for, workspace_of

register = template.Library()


def _view_name(context: template.Context) -> str | None:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None


@register.simple_tag(takes_context=True)
def office_menu(context: template.Context) -> list[dict[str, Any]]:
    """Menu entries (label, url, current) for the person viewing the page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    here = workspace_of(_view_name(context))
    if here is not None and here.group != "main":
        here = workspace_of("accounts:settings")
    return [
        {"key": w.key, "label": w.label, "url": w.url, "current": here is not None and w == here}
        for w in menu_for(user)
    ]


@register.simple_tag(takes_context=True)
def office_section(context: template.Context) -> str:
    """The label of the workspace the current page belongs to ("" when none)."""
    here = workspace_of(_view_name(context))
    return str(here.label) if here is not None else ""
