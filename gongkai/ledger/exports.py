"""Ledger exports and the import template: the same columns as the import reads.

ID and phone numbers are masked unless the caller asks for them unmasked (command line only,
``--unmasked``); every export writes one audit entry (docs/decisions/0461-ledger-import.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from gongkai.accounts.permissions import require
from gongkai.agencies.models import Agency
from gongkai.applications.choices import ApplicantType, Channel, Result
from gongkai.applications.identity import mask_id_number, mask_phone
from gongkai.applications.models import Application
from gongkai.core.actors import SYSTEM, Actor
from gongkai.core.audit import record_audit
from gongkai.ledger import columns as c


# --- export ----------------------------------------------------------------------------------
def export_queryset(agency: Agency, year: int | None = None) -> Any:
    """The agency's applications in ledger order (optionally those received in ``year``)."""
    qs = Application.objects.filter(agency=agency)
    if year is not None:
        qs = qs.filter(received_on__year=year)
    return qs.order_by("received_on", "registration_year", "registration_serial", "pk")


def ledger_rows(
    agency: Agency, *, year: int | None = None, unmasked: bool = False
) -> Iterator[list]:
    """Yield the ledger rows (without header) of an agency: dates as dates, labels in Chinese.

    ID numbers and phone numbers are masked unless ``unmasked``.
    """
    channel = dict(Channel.choices)
    kinds = dict(ApplicantType.choices)
    fields = (
        "registration_number",
        "received_on",
        "channel",
        "applicant_type",
        "applicant_name",
        "description",
        "result",
        "replied_on",
        "closed_on",
        "id_number",
        "credit_code",
        "phone",
        "extension_days",
        "corrected_on",
    )
    for a in export_queryset(agency, year).values(*fields).iterator(chunk_size=5000):
        identity = a["id_number"] or a["credit_code"]
        phone = a["phone"]
        if not unmasked:
            identity = mask_id_number(identity) if identity else ""
            phone = mask_phone(phone) if phone else ""
        yield [
            a["registration_number"],
            a["received_on"],
            str(channel.get(a["channel"], a["channel"])),
            str(kinds.get(a["applicant_type"], a["applicant_type"])),
            a["applicant_name"],
            a["description"],
            c.result_ledger_label(a["result"]) if a["result"] else "",
            (a["replied_on"] or a["closed_on"]) if a["result"] else None,
            identity,
            phone,
            "是" if a["extension_days"] else "否",
            a["corrected_on"],
        ]


def _text_cell(ws: Any, value: Any) -> Any:
    """A cell that a spreadsheet never evaluates as a formula."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value[:1] == "=":
        cell.data_type = "s"
    return cell


def _header_cells(ws: Any) -> list[Any]:
    cells = []
    for name in c.ALL:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE9D9" if name in c.REQUIRED else "EEEEEE")
        cells.append(cell)
    return cells


_WIDTHS = {
    c.NUMBER: 14,
    c.RECEIVED_ON: 12,
    c.CHANNEL: 10,
    c.APPLICANT_TYPE: 14,
    c.APPLICANT: 16,
    c.DESCRIPTION: 48,
    c.RESULT: 26,
    c.REPLIED_ON: 12,
    c.ID_NUMBER: 22,
    c.PHONE: 16,
    c.EXTENDED: 10,
    c.CORRECTED_ON: 12,
}


def write_ledger_xlsx(target: Any, rows: Iterator[list]) -> int:
    """Write ledger rows as XLSX (frozen Chinese header, real date cells); return the count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("台账"))
    for index, name in enumerate(c.ALL, 1):
        ws.column_dimensions[chr(64 + index)].width = _WIDTHS[name]
    ws.freeze_panes = "A2"
    ws.append(_header_cells(ws))
    count = 0
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(_text_cell(ws, value))
        ws.append(cells)
        count += 1
    wb.save(target)
    return count


def _csv_safe(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def ledger_export(
    *,
    by: Actor,
    agency: Agency,
    target: Any,
    year: int | None = None,
    unmasked: bool = False,
    fmt: str = "xlsx",
) -> int:
    """Export the agency's ledger to ``target`` (a path or a binary file); return the count.

    One audit entry records who exported what (agency, year, count, masked or not).
    """
    role = require(by, "ledger.export", agency, allow={SYSTEM})
    rows = ledger_rows(agency, year=year, unmasked=unmasked)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(c.ALL)
        count = 0
        for row in rows:
            writer.writerow([_csv_safe(v) for v in row])
            count += 1
        data = buffer.getvalue().encode("utf-8-sig")
        if isinstance(target, str | Path):
            Path(target).write_bytes(data)
        else:
            target.write(data)
    else:
        count = write_ledger_xlsx(target, rows)
    record_audit(
        action="ledger.export",
        actor=by,
        agency=agency,
        role=role,
        target_repr=f"台账导出 {agency.name}",
        after={"year": year, "rows": count, "unmasked": unmasked, "format": fmt},
    )
    return count


# --- template --------------------------------------------------------------------------------
EXAMPLE_ROWS: list[list[Any]] = [
    [
        "",
        dt.date(2024, 3, 5),
        "网络",
        "自然人",
        "张三",
        "2023年本机关行政处罚决定书",
        "予以公开",
        dt.date(2024, 3, 26),
        "",
        "",
        "否",
        None,
    ],
    [
        "2024-0002",
        dt.date(2024, 12, 20),
        "信函",
        "商业企业",
        "某某有限公司",
        "某项目环境影响评价批复文件",
        "",
        None,
        "",
        "",
        "是",
        None,
    ],
]

_NOTES = {
    c.NUMBER: "选填。留空时由平台按机关和年度连续编号；填写的编号在本机关当年不得重复。",
    c.RECEIVED_ON: "必填。依第三十一条确定的收到申请日期，如 2024-03-05。",
    c.CHANNEL: "必填。当面、信函、传真、网络、电子邮件、其他。",
    c.APPLICANT_TYPE: "必填。自然人，或商业企业、科研机构、社会公益组织、法律服务机构、其他。",
    c.APPLICANT: "必填。姓名或名称。",
    c.DESCRIPTION: "必填。所需政府信息的名称、文号或者特征性描述。",
    c.RESULT: "办结的填写年度报告表三的办理结果（如：予以公开、部分公开、属于国家秘密）；仍在办理的留空。",
    c.REPLIED_ON: "办结的必填；仍在办理的留空。",
    c.ID_NUMBER: "选填。自然人填身份证件号码（居民身份证校验第18位）；法人或其他组织填统一社会信用代码。",
    c.PHONE: "选填。",
    c.EXTENDED: "选填。是 / 否。",
    c.CORRECTED_ON: "选填。收到申请人补正材料的日期。",
}


def ledger_template() -> bytes:
    """Return the XLSX template: the header row with notes, drop-down lists and two examples."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("台账")
    ws.append(list(c.ALL))
    for index, name in enumerate(c.ALL, 1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE9D9" if name in c.REQUIRED else "EEEEEE")
        cell.alignment = Alignment(vertical="center")
        cell.comment = Comment(_NOTES[name], "gongkai")
        ws.column_dimensions[chr(64 + index)].width = _WIDTHS[name]
    for row in EXAMPLE_ROWS:
        ws.append(row)
    for row in ws.iter_rows(min_row=2, max_row=1 + len(EXAMPLE_ROWS)):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"

    lists = wb.create_sheet(_("选项"))
    options = {
        c.CHANNEL: [str(x.label) for x in Channel],
        c.APPLICANT_TYPE: [str(x.label) for x in ApplicantType],
        c.RESULT: [c.result_ledger_label(v) for v in Result.values],
        c.EXTENDED: ["是", "否"],
    }
    for col, (name, values) in enumerate(options.items(), 1):
        letter = chr(64 + col)
        lists.cell(row=1, column=col, value=name).font = Font(bold=True)
        for r, value in enumerate(values, 2):
            lists.cell(row=r, column=col, value=value)
        lists.column_dimensions[letter].width = 40 if name == c.RESULT else 14
        target = chr(64 + c.ALL.index(name) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"='{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=name != c.RESULT,
        )
        ws.add_data_validation(validation)
        validation.add(f"{target}2:{target}20000")

    notes = wb.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("说明")])
    for name in c.ALL:
        notes.append([name, _NOTES[name]])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 90
    notes.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
