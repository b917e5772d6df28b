"""Office side of the applicant's uploads: the handling agency sees and downloads them.

Access goes through ``applications.permissions.access_application`` (404 for another agency's
case and for a missing one alike); the files are personal data, so only staff holding a
working role in the handling agency itself may open them (``may_see_personal_data``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts.permissions import staff_required
from gongkai.applications.permissions import access_application, may_see_personal_data
from gongkai.portal import selectors
from gongkai.portal.views_apply import file_response


@staff_required
def case_files(request: HttpRequest, application_pk: int) -> HttpResponse:
    """The files the applicant gave online for this case (identity copy, corrections, proofs)."""
    app = access_application(user=request.user, pk=application_pk)
    if not may_see_personal_data(request.user, app):
        raise PermissionDenied
    return render(
        request,
        "portal/office_files.html",
        {"app": app, "files": selectors.files_of_case(app)},
    )


@staff_required
def case_file(request: HttpRequest, application_pk: int, pk: int) -> FileResponse:
    """Download one applicant file of a case of the user's own agency."""
    app = access_application(user=request.user, pk=application_pk)
    row = selectors.file_of_case(app, pk)
    if row is None:
        raise Http404
    if not may_see_personal_data(request.user, app):
        raise PermissionDenied
    return file_response(row.file.open("rb"), row.content_type, row.original_name)
