"""Pages of response documents: the case's documents, marking, rendering, delivery (office),
and the download of a provided file (office and applicant).

Thin: the case comes through ``access_application`` (scope and role), the document through
``selectors.document_of_case``, writes through ``services``/``delivery``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import can, staff_refusal, staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.applications.permissions import access_application
from gongkai.applications.workflow import APPLICANT
from gongkai.catalog.models import CatalogItem
from gongkai.core.actors import Actor
from gongkai.portal import access as acc
from gongkai.responses import delivery, forms, selectors, services
from gongkai.responses.choices import DownloadChannel, RedactionReason
from gongkai.responses.models import ResponseDocument
from gongkai.responses.workflow import HANDLE, WORKFLOW, case_open

MAX_UPLOAD_READ = 60 * 1024 * 1024


def _by(request: HttpRequest) -> Actor:
    """The staff member acting (``staff_required`` has checked the login)."""
    return cast("Actor", request.user)


def _case(request: HttpRequest, pk: int, action: str = "view") -> Any:
    return access_application(user=request.user, pk=pk, action=action)


def _doc(request: HttpRequest, pk: int, doc_pk: int, action: str = "view") -> Any:
    return selectors.document_of_case(_case(request, pk, action), doc_pk)


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@workspace_required("responses")
def document_list(request: HttpRequest) -> HttpResponse:
    """The latest response documents of the agencies in scope (the office menu's entry)."""
    documents = (
        ResponseDocument.objects.visible_to(request.user)
        .active()
        .select_related("application", "agency")
        .order_by("-created_at")[:100]
    )
    return render(request, "responses/list.html", {"documents": documents})


@staff_required
def case_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's response documents: add (upload, catalogue), their state, delivery."""
    app = _case(request, pk)
    query = request.GET.get("q", "").strip()
    found = (
        CatalogItem.objects.public()
        .filter(Q(title__icontains=query) | Q(index_number__iexact=query))
        .prefetch_related("attachments")[:20]
        if query
        else []
    )
    context = {
        "app": app,
        "documents": selectors.documents_for_case(app),
        "summaries": selectors.summaries(selectors.documents_for_case(app)),
        "downloads": selectors.downloads_for_case(app),
        "can_handle": can(request.user, HANDLE, app.agency),
        "open": case_open(app),
        "upload_form": forms.UploadForm(application=app),
        "catalogue_form": forms.CatalogueForm(application=app, auto_id="cat_%s"),
        "delivery_form": forms.DeliveryForm(initial={"method": app.requested_delivery}),
        "query": query,
        "found": found,
        "statement": selectors.withheld_statement(app),
        "window": selectors.online_window(app),
    }
    return render(request, "responses/case.html", context)


@staff_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an uploaded file."""
    app = _case(request, pk, HANDLE)
    form = forms.UploadForm(request.POST, request.FILES, application=app)
    if not form.is_valid():
        messages.error(request, _("请选择文件。"))
        return redirect("responses:case", pk=app.pk)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD_READ:
        messages.error(request, _("文件过大。"))
        return redirect("responses:case", pk=app.pk)
    try:
        doc = services.document_attach_upload(
            by=_by(request),
            application=app,
            data=upload.read(),
            name=upload.name or "",
            item_position=form.cleaned_data["item_position"],
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已添加：%(name)s") % {"name": doc.name})
    return redirect("responses:case", pk=app.pk)


@staff_required
@require_POST
def document_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the files of a published catalogue item picked from the search."""
    app = _case(request, pk, HANDLE)
    form = forms.CatalogueForm(request.POST, application=app)
    item = CatalogItem.objects.public().filter(pk=request.POST.get("item") or 0).first()
    if not form.is_valid() or item is None:
        messages.error(request, _("请选择已发布的目录条目。"))
        return redirect("responses:case", pk=app.pk)
    try:
        added = services.document_attach_catalogue(
            by=_by(request),
            application=app,
            item=item,
            item_position=form.cleaned_data["item_position"],
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已添加 %(n)d 个文件。") % {"n": len(added)})
    return redirect("responses:case", pk=app.pk)


@staff_required
def document_detail(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """One document: its pages with the marks (drag a box to add one), searches, the output."""
    doc = _doc(request, pk, doc_pk)
    context = {
        "app": doc.application,
        "doc": doc,
        "pages": selectors.page_views(doc),
        "marks": list(enumerate(doc.mark_list)),
        "summary": selectors.summaries([doc])[0],
        "may_plan": WORKFLOW.may(_by(request), "plan", doc),
        "reasons": RedactionReason.choices,
        "search_form": forms.SearchForm(),
        "image_width": selectors.PAGE_IMAGE_WIDTH,
    }
    return render(request, "responses/document.html", context)


@staff_required
def page_image(request: HttpRequest, pk: int, doc_pk: int, page: int) -> HttpResponse:
    """A page as PNG: the restricted original (``?output=0``) or the provided output."""
    doc = _doc(request, pk, doc_pk)
    output = request.GET.get("output") == "1"
    response = HttpResponse(
        selectors.page_image(doc, page, output=output), content_type="image/png"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_POST
def mark_add(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Add a box drawn on a page image."""
    doc = _doc(request, pk, doc_pk, HANDLE)
    form = forms.BoxForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请在页面上框选区域并选择法律依据。"))
        return redirect("responses:document", pk=pk, doc_pk=doc.pk)
    d = form.cleaned_data
    try:
        services.mark_box(
            by=_by(request),
            document=doc,
            page=d["page"],
            view_box=(d["x0"], d["y0"], d["x1"], d["y1"]),
            view_width=d["width"],
            reason=d["reason"],
        )
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("responses:document", pk=pk, doc_pk=doc.pk)


@staff_required
@require_POST
def mark_search(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Mark every occurrence of a string or pattern, or the personal-data findings."""
    doc = _doc(request, pk, doc_pk, HANDLE)
    form = forms.SearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写查找内容并选择法律依据。"))
        return redirect("responses:document", pk=pk, doc_pk=doc.pk)
    d = form.cleaned_data
    try:
        if d["mode"] == "personal":
            _doc_after, added = services.marks_personal_data(
                by=_by(request), document=doc, reason=d["reason"]
            )
        else:
            _doc_after, added = services.marks_search(
                by=_by(request),
                document=doc,
                query=d["query"],
                reason=d["reason"],
                pattern=d["mode"] == "pattern",
            )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("新增标记 %(n)d 处。") % {"n": added})
    return redirect("responses:document", pk=pk, doc_pk=doc.pk)


@staff_required
@require_POST
def mark_delete(request: HttpRequest, pk: int, doc_pk: int, index: int) -> HttpResponse:
    """Undo one mark."""
    doc = _doc(request, pk, doc_pk, HANDLE)
    try:
        services.mark_remove(by=_by(request), document=doc, index=index)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("responses:document", pk=pk, doc_pk=doc.pk)


@staff_required
@require_POST
def document_render(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Render the provided file now (short documents) or in the background."""
    doc = _doc(request, pk, doc_pk, HANDLE)
    try:
        if "stamp" in request.POST:
            doc = services.stamp_set(
                by=_by(request), document=doc, stamp="1" in request.POST.getlist("stamp")
            )
        now = services.document_render_request(by=_by(request), document=doc)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已生成提供文件。") if now else _("正在后台生成。"))
    return redirect("responses:document", pk=pk, doc_pk=doc.pk)


@staff_required
@require_POST
def document_remove(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Take a document out of the response."""
    doc = _doc(request, pk, doc_pk, HANDLE)
    try:
        services.document_remove(by=_by(request), document=doc)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("responses:case", pk=pk)


@dataclass(frozen=True)
class _Download:
    """Who downloads which provided file, as the download record names them."""

    document: ResponseDocument
    channel: str
    by: Actor
    who: str


def _office_download(request: HttpRequest, pk: int, doc_pk: int) -> _Download | HttpResponseBase:
    """Staff who may see the case (404 out of scope; anonymous users: the login page)."""
    if (refused := staff_refusal(request)) is not None:
        return refused
    doc = _doc(request, pk, doc_pk)
    return _Download(doc, DownloadChannel.OFFICE, _by(request), str(request.user))


def _applicant_download(request: HttpRequest, uid: Any, pk: int) -> _Download | HttpResponseBase:
    """The applicant who proved the access code (or owns the case), in the download period."""
    found = acc.session_access(request, uid)
    if found is None:
        return redirect("apply:follow")
    if not selectors.online_open(found.application):
        raise Http404
    document = selectors.document_of_case(found.application, pk)
    return _Download(document, DownloadChannel.PORTAL, APPLICANT, delivery.applicant_label(request))


#: The two doors to a provided file: the office case page and the applicant's case page.
_REQUESTERS: dict[str, Callable[..., Any]] = {
    "office": _office_download,
    "applicant": _applicant_download,
}


def document_download(request: HttpRequest, side: str, **kwargs: Any) -> HttpResponseBase:
    """The provided (redacted) file — the only file that ever leaves the office — to staff of
    the case or to its applicant (``side`` from the URL); every download is recorded."""
    found = _REQUESTERS[side](request, **kwargs)
    if isinstance(found, HttpResponseBase):
        return found
    if request.method != "GET":  # a download is recorded: never on a POST
        return HttpResponseNotAllowed(["GET"])
    if not found.document.is_ready:
        raise Http404
    return delivery.serve_output(
        document=found.document, channel=found.channel, by=found.by, who=found.who
    )


@staff_required
def case_package(request: HttpRequest, pk: int) -> HttpResponse:
    """The print/send package: letters, provided files and the 送达回证 (ZIP)."""
    app = _case(request, pk, HANDLE)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        data, name = delivery.package(application=app, by=_by(request))
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("responses:case", pk=pk)
    return delivery.attachment(data, name, "application/zip")


@staff_required
@require_POST
def case_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the delivery (a method other than the one asked for needs a reason)."""
    app = _case(request, pk, HANDLE)
    form = forms.DeliveryForm(request.POST)
    if form.is_valid():
        try:
            delivery.delivery_record(by=_by(request), application=app, **form.cleaned_data)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("已记录送达。"))
    else:
        messages.error(request, _("请填写送达方式和日期。"))
    return redirect("responses:case", pk=pk)
