"""Every edit form: open it, submit it unchanged, and the object is unchanged (finding 9).

The probe found a catalogue draft losing 成文日期 and 施行日期 on every edit: the date input
was rendered as "2026/11/20", which the browser's date input rejects, so it saved blank.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import gongkai
from gongkai.core.testing.roundtrip import field_values, form_values
from gongkai.core.widgets import IsoDateInput

pytestmark = pytest.mark.django_db


def _catalog(tree: Any, staff: Any) -> tuple[str, Any, Any]:
    from gongkai.catalog.tests.factories import make_item

    item = make_item(
        tree.dept_a,
        written_on=dt.date(2026, 11, 20),
        valid_from=dt.date(2026, 12, 1),
        valid_until=dt.date(2028, 12, 31),
        doc_number="测府发〔2026〕9号",
    )
    return reverse("catalog:edit", args=[item.pk]), item, staff["handler_a"]


def _agency(tree: Any, staff: Any) -> tuple[str, Any, Any]:
    return reverse("agencies:edit", args=[tree.dept_a.pk]), tree.dept_a, staff["platform_admin"]


def _case(tree: Any):
    from gongkai.letters.tests.factories import make_closed_case

    return make_closed_case(tree.dept_a)


def _review(tree: Any, staff: Any) -> tuple[str, Any, Any]:
    from gongkai.applications.models import Review

    app = _case(tree)
    review = Review.objects.create(
        application=app,
        body="测试市人民政府",
        case_number="测府复〔2026〕3号",
        applied_on=dt.date(2026, 4, 1),
        decided_on=dt.date(2026, 5, 20),
        result="UPHELD",
        note="维持",
    )
    return reverse("applications:review_edit", args=[app.pk, review.pk]), review, staff["handler_a"]


def _lawsuit(tree: Any, staff: Any) -> tuple[str, Any, Any]:
    from gongkai.applications.choices import LawsuitKind
    from gongkai.applications.models import Lawsuit

    app = _case(tree)
    lawsuit = Lawsuit.objects.create(
        application=app,
        kind=LawsuitKind.DIRECT,
        court="测试市中级人民法院",
        filed_on=dt.date(2026, 4, 1),
        decided_on=dt.date(2026, 9, 1),
    )
    url = reverse("applications:lawsuit_edit", args=[app.pk, lawsuit.pk])
    return url, lawsuit, staff["handler_a"]


def _letter_settings(tree: Any, staff: Any) -> tuple[str, Any, Any]:
    from gongkai.letters.models import LetterSettings

    stored = LetterSettings.objects.create(
        agency=tree.dept_a,
        number_prefix="测甲依告",
        signer_name="测试市甲局",
        review_body="测试市人民政府",
    )
    return reverse("letters:settings", args=[tree.dept_a.pk]), stored, staff["admin_a"]


def _synonym(tree: Any, staff: Any) -> tuple[str, Any, Any]:
    from gongkai.search.models import Synonym

    synonym = Synonym.objects.create(terms="甲局，测试市甲局", note="简称")
    return (
        reverse("search_office:synonym_edit", args=[synonym.pk]),
        synonym,
        staff["platform_admin"],
    )


def _gazette(tree: Any, staff: Any) -> tuple[str, Any, Any, str]:
    from gongkai.core.actors import SYSTEM
    from gongkai.gazette.services import issue_create

    issue = issue_create(by=SYSTEM, agency=tree.dept_a, year=2025, issue_date=dt.date(2025, 11, 20))
    post = reverse("gazette:edit", args=[issue.pk])
    return post, issue, staff["handler_a"], reverse("gazette:detail", args=[issue.pk])


EDIT_FORMS: dict[str, Callable[[Any, Any], tuple[Any, ...]]] = {
    "catalog:edit": _catalog,
    "agencies:edit": _agency,
    "applications:review_edit": _review,
    "applications:lawsuit_edit": _lawsuit,
    "letters:settings": _letter_settings,
    "search_office:synonym_edit": _synonym,
    "gazette:edit": _gazette,
}


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_submitting_an_edit_form_unchanged_changes_nothing(tree, staff, name):
    url, obj, user, *shown_on = EDIT_FORMS[name](tree, staff)
    client = Client()
    client.force_login(user)
    before = field_values(obj)
    page = client.get(shown_on[0] if shown_on else url)
    assert page.status_code == 200, (name, page.status_code)
    response = client.post(
        url, form_values(page.content.decode(), action=url if shown_on else None)
    )
    assert response.status_code in (200, 302), (name, response.status_code)
    assert response.status_code == 302, (name, response.content.decode()[-3000:])
    assert field_values(obj) == before, name


def test_every_edit_view_of_the_office_is_listed():
    """A new URL named ``*edit*``/``settings`` must be added to EDIT_FORMS (or marked create-only)."""
    from django.urls import get_resolver

    # Not edit forms of a record: saving a template always adds a version; the settings index.
    create_or_versioned = {"letters:template_edit", "accounts:settings"}
    names = set()
    for ns, (_prefix, resolver) in get_resolver().namespace_dict.items():
        for key in resolver.reverse_dict:
            if isinstance(key, str) and (key.endswith("edit") or key == "settings"):
                names.add(f"{ns}:{key}")
    assert names - create_or_versioned - set(EDIT_FORMS) == set()


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
        if ".tests" in module.name or module.name.endswith((".migrations", "cli")):
            continue
        if "forms" in module.name or "views" in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type[forms.BaseForm]] = [forms.Form, forms.ModelForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("gongkai.") and inspect.isclass(sub):
                found.append(sub)
    return found


def test_every_date_field_uses_the_iso_date_widget():
    """The browser's date input needs ISO values: every DateField of every form renders them."""
    checked = 0
    for form_class in _all_forms():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                checked += 1
                widget = field.widget
                assert (
                    isinstance(widget, IsoDateInput)
                    or (
                        isinstance(widget, forms.DateInput)
                        and widget.input_type != "date"
                        and widget.format == "%Y-%m-%d"
                    )
                    or isinstance(widget, forms.HiddenInput)
                ), f"{form_class.__qualname__}.{name}"
                assert widget.format_value(dt.date(2026, 11, 20)) == "2026-11-20", name
    assert checked >= 10
