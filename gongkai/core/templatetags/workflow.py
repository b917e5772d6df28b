"""Templates ask the workflow kernel, never compare statuses: ``{% load workflow %}``.

``{% allowed_steps item as steps %}`` gives the names of the steps the page's user may take on
``item`` now (role, status and guard, as ``perform`` checks them); then
``{% if "withdraw" in steps %}…{% endif %}`` shows a button exactly when the step would pass.
"""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.core import workflow

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed_steps(context: template.Context, obj: Any) -> frozenset[str]:
    """The names of the steps the request's user may take on ``obj`` now."""
    return workflow.allowed_steps(context["request"].user, obj)
