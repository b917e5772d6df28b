"""The applicant's download of the provided files (the portal case page, code or account)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from gongkai.applications.workflow import APPLICANT
from gongkai.portal import access as acc
from gongkai.responses import delivery, selectors
from gongkai.responses.choices import DownloadChannel


def applicant_download(request: HttpRequest, uid: Any, pk: int) -> HttpResponse:
    """One provided file, to the applicant of the case only, during the download period."""
    found = acc.session_access(request, uid)
    if found is None:
        return redirect("apply:follow")
    application = found.application
    if not selectors.online_open(application):
        raise Http404
    document = selectors.document_of_case(application, pk)
    if not document.is_ready:
        raise Http404
    return delivery.serve_output(
        document=document,
        channel=DownloadChannel.PORTAL,
        by=APPLICANT,
        who=delivery.applicant_label(request),
    )
