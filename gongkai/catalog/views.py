"""Office views of the catalogue. Thin: access through permissions, writes through services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.permissions import agencies_for, can, staff_required
from gongkai.accounts.workspaces import workspace_required
from gongkai.agencies.models import Agency
from gongkai.agencies.permissions import access_agency
from gongkai.catalog.attachments import CONTENT_TYPES
from gongkai.catalog.choices import (
    DOCUMENT_KINDS,
    FindingStatus,
    ItemStatus,
    Validity,
)
from gongkai.catalog.findings import finding_waive
from gongkai.catalog.forms import (
    ApproveForm,
    AttachmentForm,
    CleanupForm,
    CountForm,
    ItemForm,
    NewItemForm,
    ReasonForm,
    ReviewForm,
    ReviseForm,
)
from gongkai.catalog.maintenance import cleanup_apply, periodic_count_record
from gongkai.catalog.models import CatalogItem
from gongkai.catalog.permissions import access_attachment, access_finding, access_item
from gongkai.catalog.selectors import (
    late_publications,
    office_items,
    office_queue_counts,
    periodic_counts,
)
from gongkai.catalog.services import (
    attachment_add,
    attachment_remove,
    item_approve,
    item_reject,
    item_review,
    item_revise,
    item_save_with_file,
    item_submit,
    item_withdraw,
)
from gongkai.catalog.table_two import table_two
from gongkai.core.actors import Actor
from gongkai.core.params import year_param


def _form_values(form: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    for name in ("attachment", "agency", "reason"):
        data.pop(name, None)
    return data


def _errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _interpretable(user: Actor) -> Any:
    return (
        CatalogItem.objects.visible_to(user)
        .exclude(status=ItemStatus.WITHDRAWN)
        .only("id", "title", "index_number")
    )


@workspace_required("catalog")
def item_list(request: HttpRequest) -> HttpResponse:
    """The items in the staff member's scope, by status (the catalogue work queue)."""
    status = request.GET.get("status", "")
    page = Paginator(office_items(request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    counts = office_queue_counts(request.user)
    queues = [(s.value, s.label, counts.get(s.value, 0)) for s in ItemStatus]
    can_draft = agencies_for(request.user, "catalog.draft").exists()
    return render(
        request,
        "catalog/list.html",
        {"page": page, "queue": status, "queues": queues, "can_draft": can_draft},
    )


def _upload(form: Any) -> tuple[str, bytes] | None:
    upload = form.cleaned_data.get("attachment")
    return (upload.name, upload.read()) if upload else None


@staff_required
def item_new(request: HttpRequest) -> HttpResponse:
    """Draft a new item for one of the agencies the officer may draft for."""
    form = NewItemForm(
        request.POST or None,
        request.FILES or None,
        agencies=agencies_for(request.user, "catalog.draft"),
        interpretable=_interpretable(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = item_save_with_file(
                by=request.user,
                agency=form.cleaned_data["agency"],
                upload=_upload(form),
                **_form_values(form),
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已保存草稿，索引号 %(n)s。") % {"n": item.index_number})
            return redirect("catalog:detail", pk=item.pk)
    return render(request, "catalog/edit.html", {"form": form, "item": None})


@staff_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: metadata, attachments, scan findings, reviews, versions and its timeline."""
    item = access_item(user=request.user, pk=pk)
    agency = item.agency
    context = {
        "item": item,
        "attachments": item.attachments.all(),
        "findings": item.findings.select_related("decided_by"),
        "open_findings": item.findings.filter(status=FindingStatus.OPEN).count(),
        "reviews": item.reviews.all(),
        "events": item.events.all(),
        "versions": item.versions.all(),
        "interpretations": item.interpretations.all(),
        "interprets": item.interprets.all(),
        "can_review": can(request.user, "catalog.review", agency),
        "review_form": ReviewForm(),
        "approve_form": ApproveForm(),
        "reason_form": ReasonForm(),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "catalog/detail.html", context)


@staff_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft."""
    item = access_item(user=request.user, pk=pk, action="catalog.draft")
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        instance=access_item(user=request.user, pk=pk),
        interpretable=_interpretable(request.user).exclude(pk=item.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            item_save_with_file(
                by=request.user, item=item, upload=_upload(form), **_form_values(form)
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("catalog:detail", pk=item.pk)
    return render(request, "catalog/edit.html", {"form": form, "item": item})


@staff_required
def item_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a published item: a new version with the reason."""
    item = access_item(user=request.user, pk=pk, action="catalog.revise")
    form = ReviseForm(
        request.POST or None,
        instance=access_item(user=request.user, pk=pk),
        interpretable=_interpretable(request.user).exclude(pk=item.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            item_revise(
                by=request.user, item=item, reason=form.cleaned_data["reason"], **_form_values(form)
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已发布新版本。"))
            return redirect("catalog:detail", pk=item.pk)
    return render(request, "catalog/edit.html", {"form": form, "item": item, "revising": True})


def _step(
    request: HttpRequest, item: CatalogItem, fn: Any, done: str, **kwargs: Any
) -> HttpResponse:
    try:
        fn(by=request.user, item=item, **kwargs)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("catalog:detail", pk=item.pk)


@staff_required
@require_POST
def item_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a draft to 保密审查."""
    item = access_item(user=request.user, pk=pk, action="catalog.draft")
    return _step(request, item, item_submit, _("已提交保密审查。"))


@staff_required
@require_POST
def item_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the 保密审查."""
    item = access_item(user=request.user, pk=pk, action="catalog.review")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写审查依据和审查结论。"))
        return redirect("catalog:detail", pk=item.pk)
    return _step(request, item, item_review, _("已记录保密审查。"), **form.cleaned_data)


@staff_required
@require_POST
def item_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The head approves (publish now or at a time)."""
    item = access_item(user=request.user, pk=pk, action="catalog.approve")
    form = ApproveForm(request.POST)
    publish_at = form.cleaned_data.get("publish_at") if form.is_valid() else None
    return _step(request, item, item_approve, _("已审批。"), publish_at=publish_at)


@staff_required
@require_POST
def item_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The head returns the item to the drafter."""
    item = access_item(user=request.user, pk=pk, action="catalog.approve")
    return _step(request, item, item_reject, _("已退回。"), reason=request.POST.get("reason", ""))


@staff_required
@require_POST
def item_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a published item with a reason."""
    item = access_item(user=request.user, pk=pk, action="catalog.withdraw")
    return _step(request, item, item_withdraw, _("已撤回。"), reason=request.POST.get("reason", ""))


@staff_required
@require_POST
def finding_waive_view(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    """The reviewer confirms a finding is not a problem, with the reason."""
    item = access_item(user=request.user, pk=pk, action="catalog.review")
    finding = access_finding(item=item, pk=finding_pk)
    try:
        finding_waive(by=request.user, finding=finding, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已确认该检测结果无误。"))
    return redirect("catalog:detail", pk=item.pk)


@staff_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an attachment to a draft."""
    item = access_item(user=request.user, pk=pk, action="catalog.draft")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("catalog:detail", pk=item.pk)
    upload = form.cleaned_data["file"]
    try:
        attachment_add(by=request.user, item=item, name=upload.name, data=upload.read())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已上传附件并完成错敏检测。"))
    return redirect("catalog:detail", pk=item.pk)


@staff_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Remove an attachment from a draft."""
    item = access_item(user=request.user, pk=pk, action="catalog.draft")
    attachment = access_attachment(item=item, pk=attachment_pk)
    try:
        attachment_remove(by=request.user, item=item, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已删除附件。"))
    return redirect("catalog:detail", pk=item.pk)


@staff_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Download an attachment of an item in scope (any state)."""
    item = access_item(user=request.user, pk=pk)
    attachment = access_attachment(item=item, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
    )


@staff_required
def agency_counts(request: HttpRequest, pk: int) -> HttpResponse:
    """Periodic counts for table 二 (entered with their source) and the table itself."""
    agency = access_agency(user=request.user, pk=pk)
    year_value = cast(  # a default is given: never None
        int, year_param(request.GET, default=timezone.localdate().year - 1, lenient=True)
    )
    layout = v if (v := request.GET.get("layout", "")) in ("2019", "2021") else "2021"
    form = CountForm(request.POST or None, initial={"year": year_value})
    if request.method == "POST":
        agency = access_agency(user=request.user, pk=pk, action="catalog.manage")
        if form.is_valid():
            try:
                periodic_count_record(by=request.user, agency=agency, **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("已登记。"))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    context = {
        "agency": agency,
        "year": year_value,
        "layout": layout,
        "table": table_two(agency=agency, year=year_value, layout=layout),
        "late": late_publications(
            agency_ids=list(
                Agency.objects.visible_to(request.user)
                .filter(path__startswith=agency.path)
                .values_list("pk", flat=True)
            ),
            year=year_value,
        ),
        "entries": periodic_counts(agency=agency, year=year_value),
        "form": form,
        "can_manage": can(request.user, "catalog.manage", agency),
    }
    return render(request, "catalog/counts.html", context)


@staff_required
def agency_cleanup(request: HttpRequest, pk: int) -> HttpResponse:
    """规范性文件清理: abolish many documents at once under one decision."""
    agency = access_agency(user=request.user, pk=pk, action="catalog.manage")
    documents = (
        CatalogItem.objects.visible_to(request.user)
        .filter(
            agency__path__startswith=agency.path,
            structured_kind__in=list(DOCUMENT_KINDS),
            status=ItemStatus.PUBLISHED,
            validity__in=[Validity.IN_FORCE, Validity.AMENDED],
        )
        .order_by("-published_on")
    )
    form = CleanupForm(
        request.POST or None, documents=documents, initial={"decided_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = cleanup_apply(
                by=request.user,
                agency=agency,
                title=form.cleaned_data["title"],
                doc_number=form.cleaned_data["doc_number"],
                decided_on=form.cleaned_data["decided_on"],
                items=form.cleaned_data["items"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已废止 %(n)d 件文件。") % {"n": decision.items.count()})
            return redirect("catalog:list")
    return render(request, "catalog/cleanup.html", {"agency": agency, "form": form})
