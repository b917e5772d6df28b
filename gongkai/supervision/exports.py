"""The 督办 ledger as an XLSX file (header row frozen, dates as date cells)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.timezone import localtime
from django.utils.translation import gettext as _

LEDGER_HEADER = [
    _("督办单编号"), _("督办机关"), _("被督办单位"), _("督办事项类别"), _("督办事项"),
    _("下发日期"), _("反馈时限"), _("反馈日期"), _("反馈情况"), _("报送负责人日期"),
    _("状态"), _("督办结果"), _("办结日期"),
]  # fmt: skip


def xlsx_bytes(header: list[str], rows: list[list[Any]], *, title: str) -> bytes:
    """One sheet with a frozen header row; dates stay date cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
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
