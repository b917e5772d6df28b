"""The 督办单 steps offered on its page: each step's form and the service it calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from gongkai.supervision import services
from gongkai.supervision.forms import AnswerForm, CloseForm, ReturnForm
from gongkai.supervision.models import Order


@dataclass(frozen=True)
class PageStep:
    """A step a person takes from the order's page."""

    form: type[forms.Form]
    run: Callable[..., Order]


PAGE_STEPS: dict[str, PageStep] = {
    "answer": PageStep(
        AnswerForm, lambda by, order, data: services.order_answer(by=by, order=order, **data)
    ),
    "return": PageStep(
        ReturnForm, lambda by, order, data: services.order_return(by=by, order=order, **data)
    ),
    "close": PageStep(
        CloseForm, lambda by, order, data: services.order_close(by=by, order=order, **data)
    ),
}


def forms_for(steps: frozenset[str], data: Any = None, failed: str = "") -> dict[str, forms.Form]:
    """Blank forms for the steps allowed now (the failed one bound to its data)."""
    return {
        name: step.form(data if name == failed else None)
        for name, step in PAGE_STEPS.items()
        if name in steps
    }
