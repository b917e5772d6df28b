"""Every write of the gazette: one function per step, through the workflow kernel."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape

from gongkai.catalog.models import CatalogItem
from gongkai.core.actors import Actor, user_of
from gongkai.core.counters import next_value
from gongkai.core.pagecache import invalidate
from gongkai.gazette.choices import EventKind, IssueKind, Section
from gongkai.gazette.models import Distribution, GazetteEntry, GazetteIssue
from gongkai.gazette.rendering import render_pdf
from gongkai.gazette.selectors import default_section, eligible_items, ordered_entries
from gongkai.gazette.workflow import WORKFLOW, GazetteError

#: Counter scopes: the within-year series of each kind, and the total over all years.
SERIES = {
    IssueKind.REGULAR: "gazette.issue",
    IssueKind.SUPPLEMENT: "gazette.supplement",
    IssueKind.SPECIAL: "gazette.special",
}
TOTAL = "gazette.total"
TOTAL_YEAR = 0  # the total series is one counter per gazette, not per year
UID_MARK: dict[str, str] = {
    IssueKind.REGULAR: "",
    IssueKind.SUPPLEMENT: "Z",
    IssueKind.SPECIAL: "T",
}


def issue_uid(issue: GazetteIssue) -> str:
    """The permanent identifier: ``<credit code>-<year>-<Z|T><number>`` (decision 2101)."""
    return f"{issue.agency.credit_code}-{issue.year}-{UID_MARK[issue.kind]}{issue.number:02d}"


def _snapshot(entry: GazetteEntry, item: CatalogItem) -> None:
    entry.title = item.title
    entry.doc_number = item.doc_number
    entry.issuer = item.agency.name
    entry.written_on = item.written_on
    entry.body = item.body


def issue_create(
    *,
    by: Actor,
    agency: Any,
    year: int,
    issue_date: dt.date,
    kind: str = IssueKind.REGULAR,
    print_run: int = 0,
    note: str = "",
) -> GazetteIssue:
    """Start compiling an issue of ``agency``'s gazette (numbered when it is published)."""
    if kind not in IssueKind.values:
        raise GazetteError({"kind": ["请选择公报类别。"]})
    if issue_date.year != year:
        raise GazetteError({"issue_date": ["出版日期应在该年度内。"]})
    issue = GazetteIssue(
        agency=agency, year=year, kind=kind, issue_date=issue_date, print_run=print_run, note=note
    )
    issue.created_by = user_of(by)
    with WORKFLOW.perform(issue, "create", by=by) as step:
        step.audit_after.update(year=year, kind=kind)
    return step.obj


def issue_update(
    *, by: Actor, issue: GazetteIssue, issue_date: dt.date, print_run: int, note: str = ""
) -> GazetteIssue:
    """Change the date, print run and note of an issue being compiled."""
    if issue_date.year != issue.year:
        raise GazetteError({"issue_date": ["出版日期应在该年度内。"]})
    with WORKFLOW.perform(issue, "edit", by=by, audit="gazette.update") as step:
        step.obj.issue_date, step.obj.print_run, step.obj.note = issue_date, print_run, note
    return step.obj


def issue_add_items(
    *, by: Actor, issue: GazetteIssue, items: Iterable[CatalogItem], section: str = ""
) -> list[GazetteEntry]:
    """Append published catalogue items (of the kinds a gazette carries) to the issue."""
    if section and section not in Section.values:
        raise GazetteError({"section": ["请选择栏目。"]})
    with WORKFLOW.perform(issue, "edit", by=by, audit="gazette.add_items") as step:
        allowed = eligible_items(step.obj.agency)
        wanted = [i.pk for i in items]
        found = {i.pk: i for i in allowed.filter(pk__in=wanted)}
        if len(found) != len(set(wanted)):
            raise GazetteError("只能刊登本机关及下级机关已发布的公文类信息。")
        present = set(step.obj.entries.values_list("catalog_item_id", flat=True))
        position = step.obj.entries.aggregate(m=Max("position"))["m"] or 0
        government = step.obj.agency
        added = []
        for pk in dict.fromkeys(wanted):
            if pk in present:
                continue
            position += 1
            item = found[pk]
            entry = GazetteEntry(
                issue=step.obj,
                catalog_item=item,
                section=section or default_section(item, government),
                position=position,
            )
            _snapshot(entry, item)
            entry.save()
            added.append(entry)
        step.record(EventKind.EDITED, note=f"刊登{len(added)}份文件")
        step.audit_after["added"] = [e.catalog_item_id for e in added]
    return added


def issue_arrange(
    *, by: Actor, issue: GazetteIssue, arrangement: dict[int, tuple[str, int]]
) -> GazetteIssue:
    """Set each entry's section and position (``{entry id: (section, position)}``)."""
    with WORKFLOW.perform(issue, "edit", by=by, audit="gazette.arrange") as step:
        entries = {e.pk: e for e in step.obj.entries.all()}
        for pk, (section, position) in arrangement.items():
            entry = entries.get(pk)
            if entry is None:
                raise GazetteError("条目不属于本期公报。")
            if section not in Section.values or (section == Section.CORRECTION) != bool(
                entry.corrects_id
            ):
                raise GazetteError({"section": ["栏目无效（“更正”栏目只用于更正）。"]})
            entry.section, entry.position = section, position
            entry.save(update_fields=["section", "position"])
        step.audit_after["arrangement"] = {str(k): list(v) for k, v in arrangement.items()}
    return step.obj


def issue_remove_entry(*, by: Actor, issue: GazetteIssue, entry_id: int) -> GazetteIssue:
    """Take an entry out of an issue being compiled."""
    with WORKFLOW.perform(issue, "edit", by=by, audit="gazette.remove_entry") as step:
        deleted, _ = step.obj.entries.filter(pk=entry_id).delete()
        if not deleted:
            raise GazetteError("条目不属于本期公报。")
        step.audit_after["removed"] = entry_id
    return step.obj


def issue_set_distribution(
    *, by: Actor, issue: GazetteIssue, rows: Sequence[tuple[str, int]]
) -> GazetteIssue:
    """Replace the distribution list; the copies sent cannot exceed the print run."""
    clean = [(name.strip(), copies) for name, copies in rows if name.strip()]
    if any(copies <= 0 for _, copies in clean):
        raise GazetteError({"distribution": ["每个发送单位的份数应为正整数。"]})
    if len({name for name, _ in clean}) != len(clean):
        raise GazetteError({"distribution": ["发送单位重复。"]})
    total = sum(copies for _, copies in clean)
    with WORKFLOW.perform(issue, "edit", by=by, audit="gazette.distribution") as step:
        if total > step.obj.print_run:
            raise GazetteError(
                {"distribution": [f"发送份数合计{total}份，超过印数{step.obj.print_run}册。"]}
            )
        step.obj.distribution.all().delete()
        Distribution.objects.bulk_create(
            Distribution(issue=step.obj, recipient=n, copies=c, position=i)
            for i, (n, c) in enumerate(clean)
        )
        step.audit_after.update(recipients=len(clean), copies=total)
    return step.obj


def issue_add_correction(
    *, by: Actor, issue: GazetteIssue, corrected: GazetteEntry, text: str
) -> GazetteEntry:
    """Print a 更正 of an item of an earlier, published issue (the earlier one never changes)."""
    if not text.strip():
        raise GazetteError({"text": ["请填写更正内容。"]})
    if not corrected.issue.is_published or corrected.issue.agency_id != issue.agency_id:
        raise GazetteError("只能更正本公报已出版的条目。")
    with WORKFLOW.perform(issue, "edit", by=by, audit="gazette.correction") as step:
        position = step.obj.entries.aggregate(m=Max("position"))["m"] or 0
        body = "".join(f"<p>{escape(line)}</p>" for line in text.strip().splitlines() if line)
        entry = GazetteEntry.objects.create(
            issue=step.obj,
            section=Section.CORRECTION,
            position=position + 1,
            corrects=corrected,
            catalog_item=corrected.catalog_item,
            title=f"关于《{corrected.title}》的更正",
            issuer=step.obj.agency.name,
            written_on=step.obj.issue_date,
            body=body,
        )
        step.audit_after["corrects"] = corrected.uid
    return entry


def issue_publish(*, by: Actor, issue: GazetteIssue) -> GazetteIssue:
    """Number the issue and its items, typeset and store the PDF with its SHA-256, publish."""
    with WORKFLOW.perform(issue, "publish", by=by) as step:
        obj = step.obj
        obj.number = next_value(SERIES[obj.kind], agency=obj.agency, year=obj.year)
        obj.total_number = next_value(TOTAL, agency=obj.agency, year=TOTAL_YEAR)
        obj.uid = issue_uid(obj)
        for seq, entry in enumerate(ordered_entries(obj), 1):
            if entry.catalog_item is not None and not entry.corrects_id:
                _snapshot(entry, entry.catalog_item)
            entry.position = seq
            entry.uid = f"{obj.uid}-{seq:03d}"
            entry.save()
        obj.published_at = timezone.now()
        data = render_pdf(obj)
        obj.pdf_sha256 = hashlib.sha256(data).hexdigest()
        obj.pdf_size = len(data)
        obj.pdf.save(f"{obj.uid}.pdf", ContentFile(data), save=False)
        step.audit_after.update(uid=obj.uid, sha256=obj.pdf_sha256)
    invalidate()
    return step.obj
