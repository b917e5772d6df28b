"""The PDF receipt (回执) of an online application, rendered with WeasyPrint.

The Noto Sans CJK font from Debian's fonts-noto-cjk is embedded (as a subset) by WeasyPrint;
the HTML template is autoescaped like every page. The receipt is an official document in
Chinese: it is rendered in the default language whatever language the applicant browses in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gongkai.applications.choices import ApplicantType, DeliveryMethod, InformationForm
from gongkai.applications.identity import mask_id_number, mask_name
from gongkai.portal.selectors import CaseView, cn_date, deadline_lines


def receipt_context(view: CaseView, *, code: str) -> dict[str, Any]:
    """What the receipt states (personal data masked: the receipt may be printed or forwarded)."""
    app = view.application
    person = app.applicant_type == ApplicantType.PERSON
    return {
        "app": app,
        "view": view,
        "code": code,
        "applicant_type": ApplicantType(app.applicant_type).label,
        "applicant_name": mask_name(app.applicant_name) if person else app.applicant_name,
        "id_number": mask_id_number(app.id_number) if app.id_number else "",
        "requested_form": InformationForm(app.requested_form).label if app.requested_form else "",
        "requested_delivery": DeliveryMethod(app.requested_delivery).label
        if app.requested_delivery
        else "",
        "received_text": cn_date(app.received_on),
        "issued_text": cn_date(timezone.localdate()),
        "deadlines": deadline_lines(app, today=timezone.localdate()),
    }


def receipt_pdf(view: CaseView, *, code: str) -> bytes:
    """Return the receipt as PDF bytes."""
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("portal/pdf/receipt.html", receipt_context(view, code=code))
    return bytes(HTML(string=html, base_url=None).write_pdf())
