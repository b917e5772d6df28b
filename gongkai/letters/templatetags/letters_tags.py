"""``{% case_letters_panel application %}``: the letters panel of the case page."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.accounts.permissions import can
from gongkai.applications.choices import Status
from gongkai.letters.selectors import (
    archives_for_case,
    letters_for_case,
    longer_deadline_letter_due,
)

register = template.Library()


@register.inclusion_tag("letters/_case_letters_panel.html", takes_context=True)
def case_letters_panel(context: template.Context, application: Any) -> dict[str, Any]:
    """Render a case's letters and archives with the actions the viewer may take.

    The caller's view has already checked access to ``application``.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    agency = application.agency
    can_issue = can(user, "letter.issue", agency)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "application": application,
        "letters": list(letters_for_case(application=application)),
        "archives": list(archives_for_case(application=application)),
        "can_issue": can_issue,
        "longer_deadline_letter_due": can_issue
        and longer_deadline_letter_due(application=application),
        "can_archive": can(user, "letter.archive", agency) and application.status == Status.CLOSED,
    }
