"""Submit an edit form exactly as the browser would, unchanged (test helper, not used at run time)."""

from __future__ import annotations

from typing import Any

from django.db import models


def form_values(html: str, *, action: str | None = None) -> dict[str, list[str]]:
    """The values a browser would send for the page's edit form: the one posting to
    ``action``, else the one with most fields.

    An ``<input type="date">`` whose value is not an ISO date is sent empty, as a browser does.
    """
    import datetime as dt

    import lxml.html

    page = lxml.html.fromstring(html)
    forms = [f for f in page.forms if (f.get("method") or "get").lower() == "post"]
    if action is not None:
        forms = [f for f in forms if f.get("action") == action]
    form = max(forms, key=lambda f: len(f.inputs))
    data: dict[str, list[str]] = {}
    for el in form.inputs:
        name = el.get("name")
        if not name or el.get("type") in {"submit", "button", "reset", "image", "file"}:
            continue
        if el.tag == "input" and el.get("type") in {"checkbox", "radio"}:
            if el.checked:
                data.setdefault(name, []).append(el.get("value", "on"))
            continue
        if el.tag == "select":
            chosen = [o.get("value", o.text_content()) for o in el.xpath(".//option[@selected]")]
            if not chosen and not el.multiple:
                options = el.xpath(".//option")
                chosen = [options[0].get("value", options[0].text_content())] if options else []
            data.setdefault(name, []).extend(chosen)
            continue
        value = el.value or "" if el.tag == "textarea" else el.get("value", "")
        if el.get("type") == "date" and value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                value = ""  # the browser's date input shows and sends nothing
        data.setdefault(name, []).append(value)
    return data


def field_values(obj: models.Model) -> dict[str, Any]:
    """Every concrete field's value (and many-to-many ids), except timestamps set on save."""
    obj.refresh_from_db()
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        values[field.attname] = getattr(obj, field.attname)
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values
