"""The one masking rule for an applicant's identifiers, in every rendering outside the pages.

Who sees what is decided by ``permissions.may_see_personal_data`` (staff holding a working role
directly in the handling agency see everything; everyone else — supervising agencies, the
auditor, the platform, security and agency administrators — sees masks). The case page masks in
its template; files (letters, archives, exports) are masked here: every occurrence of the
applicant's name, ID number, phone, e-mail, address, contact and legal representative in a text
is replaced by its masked form (the address is withheld entirely).
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape

from gongkai.applications.identity import mask_email, mask_id_number, mask_name, mask_phone

WITHHELD = "（已隐去）"


def personal_values(application: Any) -> list[tuple[str, str]]:
    """(full value, masked value) of every identifier of the case's applicant, longest first."""
    pairs = [
        (application.id_number, mask_id_number(application.id_number)),
        (application.phone, mask_phone(application.phone)),
        (application.email, mask_email(application.email)),
        (application.address, WITHHELD),
        (application.legal_representative, mask_name(application.legal_representative)),
        (application.contact_name, mask_name(application.contact_name)),
    ]
    if application.is_person:
        pairs.append((application.applicant_name, mask_name(application.applicant_name)))
    found = [(full.strip(), masked) for full, masked in pairs if full and len(full.strip()) >= 2]
    return sorted(found, key=lambda pair: len(pair[0]), reverse=True)


def mask_text(text: str, application: Any, *, html: bool = False) -> str:
    """``text`` with every identifier of the applicant replaced by its masked form
    (``html``: also their HTML-escaped forms, for rendered templates)."""
    for full, masked in personal_values(application):
        text = text.replace(full, masked)
        if html:
            text = text.replace(str(escape(full)), str(escape(masked)))
    return text
