"""The 督办 ledger as an XLSX file (header row frozen, dates as date cells)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.reports.choices import SeasonState
from gongkai.supervision.dashboard import unit_label

LEDGER_HEADER = [
    _("督办单编号"), _("督办机关"), _("被督办单位"), _("督办事项类别"), _("督办事项"),
    _("下发日期"), _("反馈时限"), _("反馈日期"), _("反馈情况"), _("报送负责人日期"),
    _("状态"), _("督办结果"), _("办结日期"),
]  # fmt: skip


def xlsx_bytes(header: list[str], rows: list[list[Any]], *, title: str) -> bytes:
    """One sheet with a frozen header row; dates stay date cells."""
    return xlsx_sheets([(title, header, rows)])


def xlsx_sheets(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """Several sheets (title, header, rows), each with a bold frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if hasattr(cell.value, "isoformat"):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ledger_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """The 督办 ledger rows (``selectors.ledger_rows``) as XLSX."""
    data = []
    for row in rows:
        o = row["order"]
        data.append(
            [
                o.number,
                o.issuer.name,
                o.agency.name,
                o.get_source_display(),
                o.subject,
                localtime(o.created_at).date(),
                o.deadline,
                o.answered_on,
                str(row["timing"]),
                o.escalated_on,
                o.get_status_display(),
                o.get_outcome_display(),
                o.closed_on,
            ]  # fmt: skip
        )
    return xlsx_bytes(LEDGER_HEADER, data, title=_("督办台账"))


DASHBOARD_HEADER = [
    _("单位"), _("在办"), _("临期"), _("超期"), _("本年办结"), _("按时办结"), _("按时办结率（%）"),
    _("复议诉讼审结"), _("纠错"), _("纠错率（%）"), _("本年收件"), _("主动公开"),
    _("应报年报"), _("已发布年报"), _("年报逾期"), _("待反馈督办单"),
    _("工作要点任务"), _("已完成任务"), _("逾期任务"), _("未按要求更新的栏目"),
    _("超过20个工作日发布的信息"),
]  # fmt: skip


def dashboard_xlsx(data: dict[str, Any]) -> bytes:
    """The dashboard's tables: units, monthly intake per unit, late reports."""

    units = []
    for row in [*data["rows"], data["total"]]:
        f = row.figures
        label = unit_label(row) if row is not data["total"] else _("合计")
        units.append(
            [
                label,
                f["open"],
                f["due_soon"],
                f["overdue"],
                f["concluded"],
                f["on_time"],
                row.on_time_rate,
                f["decided"],
                f["corrected"],
                row.correction_rate,
                f["received"],
                f["published"],
                f["reports"],
                f["reports_published"],
                f["reports_late"],
                f["orders_open"],
            ]  # fmt: skip
        )
    months = [[unit_label(r), *r.months, sum(r.months)] for r in data["rows"]]
    late = [
        [s["agency"].name, s["due"], str(SeasonState(s["state"]).label)]
        for s in data["late_reports"]
    ]
    return xlsx_sheets(
        [
            (_("各单位情况"), DASHBOARD_HEADER, units),
            (
                _("各月收件"),
                [_("单位"), *[_("%(m)s月") % {"m": m} for m in range(1, 13)], _("合计")],
                months,
            ),
            (_("年报逾期"), [_("机关"), _("法定期限"), _("状态")], late),
        ]
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TASK_HEADER = [
    _("序号"), _("工作任务"), _("牵头单位"), _("配合单位"), _("完成时限"),
    _("预期成果（佐证材料）"), _("进展情况"), _("佐证材料链接"), _("状态"),
]  # fmt: skip


def _task_cells(task: Any, latest: Any) -> list[Any]:
    supporting = "、".join(a.name for a in task.supporting.all())
    return [
        task.code, task.text, task.agency.name, supporting, task.deadline,
        task.evidence_expected, latest.text if latest else "",
        "\n".join(latest.evidence) if latest else "", task.get_status_display(),
    ]  # fmt: skip


def tasks_xlsx(rows: list[tuple[Any, Any]], year: int) -> bytes:
    """The yearly task list as XLSX (one row per task, dates as date cells)."""
    data = [_task_cells(task, latest) for task, latest in rows]
    return xlsx_bytes(TASK_HEADER, data, title=_("%(y)s年政务公开工作要点") % {"y": year})


def tasks_docx(rows: list[tuple[Any, Any]], year: int) -> bytes:
    """The yearly task list as a landscape DOCX table, in the layout of a 分工方案."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    title = doc.add_paragraph()
    run = title.add_run(_("%(y)s年政务公开工作要点任务分工及进展情况表") % {"y": year})
    run.bold = True
    run.font.size = Pt(16)
    run.font.name = "方正小标宋简体"
    header = TASK_HEADER[:7] + [TASK_HEADER[8]]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for task, latest in rows:
        cells = _task_cells(task, latest)
        values = cells[:4] + [f"{task.deadline:%Y年%-m月%-d日}"] + cells[5:7] + [cells[8]]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value or "")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def scorecard_xlsx(cards: list[Any], year: int) -> bytes:
    """The ranking: rank, unit, total, then each indicator's points and its figures."""
    parts = cards[0].parts if cards else []
    header = [_("名次"), _("单位"), _("总分")]
    for p in parts:
        points = ngettext("%(n)s分", "%(n)s分", p.weight) % {"n": p.weight}
        header += [f"{p.label}（{points}）", f"{p.label}·{_('依据')}"]
    rows = []
    for card in cards:
        row: list[Any] = [card.rank, card.agency.name, card.total]
        for p in card.parts:
            row += [p.points, p.basis]
        rows.append(row)
    return xlsx_bytes(header, rows, title=_("%(y)s年考核结果") % {"y": year})
