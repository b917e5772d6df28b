"""Every write to the agency tree: create, change, move, deactivate, import — each audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.choices import AgencyKind, AgencyLevel
from gongkai.agencies.credit_code import credit_code_error, normalise_credit_code
from gongkai.agencies.models import Agency, ReadingPoint
from gongkai.agencies.signals import agency_moved
from gongkai.core.actors import Actor
from gongkai.core.audit import record_audit, snapshot

#: Fields recorded in the audit trail for agency changes.
AUDITED_FIELDS = [
    "name",
    "short_name",
    "kind",
    "level",
    "parent",
    "is_disclosure_office",
    "credit_code",
    "address",
    "postcode",
    "phone",
    "fax",
    "email",
    "website",
    "office_hours",
    "responsible_leader",
    "responsible_leader_title",
    "is_active",
    "deactivated_on",
]
EDITABLE_FIELDS = [f for f in AUDITED_FIELDS if f not in {"parent", "is_active", "deactivated_on"}]


def _set_path(agency: Agency) -> None:
    parent_path = agency.parent.path if agency.parent is not None else "/"
    agency.path = f"{parent_path}{agency.pk}/"
    agency.depth = parent_path.count("/") - 1
    Agency.objects.filter(pk=agency.pk).update(path=agency.path, depth=agency.depth)


def agency_create(*, by: Actor, parent: Agency | None, **values: Any) -> Agency:
    """Create an agency under ``parent`` (None for the root); validate and audit it."""
    values["credit_code"] = normalise_credit_code(values.get("credit_code", ""))
    with transaction.atomic():
        agency = Agency(parent=parent, **values)
        agency.full_clean()
        agency.save()
        _set_path(agency)
        record_audit(
            action="agency.create",
            actor=by,
            target=agency,
            agency=agency,
            after=snapshot(agency, AUDITED_FIELDS),
        )
    return agency


def agency_update(*, by: Actor, agency: Agency, **values: Any) -> Agency:
    """Change an agency's descriptive fields (name, contacts, leader…), audited."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "credit_code" in values:
        values["credit_code"] = normalise_credit_code(values["credit_code"])
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        before = snapshot(agency, AUDITED_FIELDS)
        for name, value in values.items():
            setattr(agency, name, value)
        agency.full_clean()
        agency.save()
        after = snapshot(agency, AUDITED_FIELDS)
        changed = {k for k in after if after[k] != before[k]}
        if changed:
            record_audit(
                action="agency.update",
                actor=by,
                target=agency,
                agency=agency,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    return agency


def agency_move(*, by: Actor, agency: Agency, new_parent: Agency) -> Agency:
    """Move an agency (with its subtree) under ``new_parent``; refuse cycles."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        new_parent = Agency.objects.get(pk=new_parent.pk)
        if new_parent.path.startswith(agency.path):
            raise ValidationError(_("不能把机关移动到它自己或它的下级机关之下。"))
        old_path, old_parent_id = agency.path, agency.parent_id
        new_path = f"{new_parent.path}{agency.pk}/"
        shift = new_path.count("/") - old_path.count("/")
        Agency.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + shift,
        )
        Agency.objects.filter(pk=agency.pk).update(parent=new_parent)
        agency.refresh_from_db()
        agency_moved.send(Agency, agency_id=agency.pk, old_path=old_path, new_path=new_path)
        record_audit(
            action="agency.move",
            actor=by,
            target=agency,
            agency=agency,
            before={"parent": old_parent_id},
            after={"parent": new_parent.pk},
        )
    return agency


def agency_deactivate(*, by: Actor, agency: Agency, on: Any = None) -> Agency:
    """Deactivate an agency; it keeps its history and stays in past reports."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if not agency.is_active:
            raise ValidationError(_("该机关已撤销。"))
        if agency.children.filter(is_active=True).exists():
            raise ValidationError(_("该机关仍有在用的下级机关，请先撤销或移动下级机关。"))
        agency.is_active = False
        agency.deactivated_on = on or timezone.localdate()
        agency.save(update_fields=["is_active", "deactivated_on"])
        record_audit(
            action="agency.deactivate",
            actor=by,
            target=agency,
            agency=agency,
            before={"is_active": True},
            after={"is_active": False, "deactivated_on": agency.deactivated_on},
        )
    return agency


def reading_points_replace(*, by: Actor, agency: Agency, points: list[dict[str, str]]) -> None:
    """Replace an agency's reading points (查阅点) with ``points``, audited."""
    with transaction.atomic():
        before = list(agency.reading_points.values("name", "address", "opening_hours", "phone"))
        agency.reading_points.all().delete()
        for p in points:
            ReadingPoint.objects.create(agency=agency, **p)
        if before != points:
            record_audit(
                action="agency.reading_points",
                actor=by,
                target=agency,
                agency=agency,
                before={"reading_points": before},
                after={"reading_points": points},
            )


# --- import / export of a whole tree -------------------------------------------------------

IMPORT_COLUMNS = [_("名称"), _("统一社会信用代码"), _("上级机关统一社会信用代码"), _("类型")]
#: Keyed by the (lazy) Chinese labels; a plain string finds its label.
KIND_BY_LABEL: dict[Any, str] = {label: value for value, label in AgencyKind.choices}


@dataclass
class ImportReport:
    """Result of an import: created count, or the bad rows with their numbers and reasons."""

    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _level_for(kind: str, parent: dict[str, Any] | None) -> str:
    """Derive the level from the position in the tree: governments step down a level."""
    order = [AgencyLevel.CITY, AgencyLevel.COUNTY, AgencyLevel.TOWNSHIP]
    if parent is None:
        return AgencyLevel.CITY
    if kind == AgencyKind.GOVERNMENT and parent["kind"] == AgencyKind.GOVERNMENT:
        return order[min(order.index(parent["level"]) + 1, 2)]
    return parent["level"]


def agencies_import(*, by: Actor, rows: list[dict[str, str]], first_row: int = 2) -> ImportReport:
    """Load a whole agency tree; import nothing if any row is bad (every bad row reported).

    ``rows`` are dicts keyed by the Chinese column names; ``first_row`` is the spreadsheet row
    number of ``rows[0]`` (2 when row 1 holds the headers).
    """
    report = ImportReport()
    if rows:
        missing = [c for c in IMPORT_COLUMNS if c not in rows[0]]
        if missing:
            report.errors.append(
                (first_row - 1, _("缺少列：{columns}").format(columns="、".join(missing)))
            )
            return report
    existing = {a.credit_code: a for a in Agency.objects.all()}
    parsed: dict[str, dict[str, Any]] = {}
    for offset, row in enumerate(rows):
        n = first_row + offset
        name = (row.get(_("名称")) or "").strip()
        code = normalise_credit_code(row.get(_("统一社会信用代码")) or "")
        parent_code = normalise_credit_code(row.get(_("上级机关统一社会信用代码")) or "")
        kind_label = (row.get(_("类型")) or "").strip()
        problems = []
        if not name:
            problems.append(_("名称为空"))
        error = credit_code_error(code)
        if error:
            problems.append(error)
        elif code in parsed:
            problems.append(_("统一社会信用代码与第{row}行重复").format(row=parsed[code]["row"]))
        elif code in existing:
            problems.append(_("统一社会信用代码已存在于平台"))
        if kind_label not in KIND_BY_LABEL:
            problems.append(_("类型应为“人民政府”或“部门”，实为“{kind}”").format(kind=kind_label))
        if problems:
            report.errors.append((n, "；".join(problems)))
            continue
        parsed[code] = {
            "row": n,
            "name": name,
            "parent_code": parent_code,
            "kind": KIND_BY_LABEL[kind_label],
        }
    for code, item in parsed.items():
        pc = item["parent_code"]
        if pc and pc not in parsed and pc not in existing:
            report.errors.append(
                (item["row"], _("上级机关“{code}”不在文件中，也不在平台上").format(code=pc))
            )
        elif pc == code:
            report.errors.append((item["row"], _("上级机关不能是自己")))
    roots = [c for c, i in parsed.items() if not i["parent_code"]]
    has_root = Agency.objects.filter(parent=None).exists()
    for c in roots if has_root else roots[1:]:
        report.errors.append((parsed[c]["row"], _("只能有一个根机关（上级机关为空）")))
    if report.errors:
        report.errors.sort()
        return report
    # Order parents before children; detect cycles.
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            report.errors.append((parsed[code]["row"], _("上级机关形成循环")))
            return
        state[code] = 1
        pc = parsed[code]["parent_code"]
        if pc in parsed:
            visit(pc)
        state[code] = 2
        ordered.append(code)

    for code in parsed:
        visit(code)
    if report.errors:
        return report
    with transaction.atomic():
        created: dict[str, Agency] = dict(existing)
        levels: dict[str, dict[str, Any]] = {
            c: {"kind": a.kind, "level": a.level} for c, a in existing.items()
        }
        for code in ordered:
            item = parsed[code]
            parent = created.get(item["parent_code"]) if item["parent_code"] else None
            level = _level_for(item["kind"], levels.get(item["parent_code"]))
            agency = agency_create(
                by=by,
                parent=parent,
                name=item["name"],
                credit_code=code,
                kind=item["kind"],
                level=level,
                is_disclosure_office=item["kind"] == AgencyKind.DEPARTMENT
                and item["name"].endswith("办公室")
                and parent is not None
                and parent.kind == AgencyKind.GOVERNMENT,
            )
            created[code] = agency
            levels[code] = {"kind": agency.kind, "level": agency.level}
            report.created += 1
    return report


def agencies_export_rows() -> list[list[str]]:
    """Return the whole tree in import format (header row first), parents before children."""
    rows = [IMPORT_COLUMNS]
    for a in Agency.objects.select_related("parent").order_by("path"):
        rows.append(
            [a.name, a.credit_code, a.parent.credit_code if a.parent else "", a.get_kind_display()]
        )
    return rows
