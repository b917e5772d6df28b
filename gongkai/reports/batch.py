"""年报评查: review a whole tree of published reports at once (decision 1902).

:func:`review_files` parses every report (in parallel processes where there are many) and
returns one :class:`BatchRow` per report: whether the tables were found, whether the table shape
is the one prescribed for the year, each failed identity, each body-vs-table contradiction, the
publication date against the statutory deadline (31 January for departments, 31 March for
governments, REG2019 Art. 49), and — across the batch — breaks between years (本年结转下年 of year
N ≠ 上年结转 of year N+1 for the same agency). :func:`read_zip` opens an uploaded ZIP with limits on
member count, member size, total size and compression ratio. :func:`to_xlsx` exports the table.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import formats
from .parsing import parse_document
from .parsing.normalize import nfkc
from .parsing.sources import read_document

SUFFIXES = (".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx")
MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100

_YMD = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
#: Publication labels first; a bare 时间/日期 only with a colon and not a crawl time (采集时间).
_DATE_LABELLED = (
    re.compile(r"(?:公开日期|发布日期|发布时间|成文日期|印发日期)\s*[|:：]?\s*" + _YMD),
    re.compile(r"(?<!采集)(?<!抓取)(?<!更新)(?:时间|日期)\s*[:：]\s*" + _YMD),
)
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_GOVERNMENT = re.compile(
    r"(?:人民政府|政府|管理委员会|管委会|省|市|县|区|州|旗|盟|镇|乡|实验区|新区|开发区)$"
)


class BatchError(ValueError):
    """An archive that cannot be reviewed (with a Chinese message)."""


@dataclass
class BatchRow:
    """What the review found for one report."""

    name: str
    agency: str | None = None
    year: int | None = None
    found: bool = False
    table_format: int | None = None
    format_ok: bool | None = None
    failures: list[str] = field(default_factory=list)
    contradictions: list[str] = field(default_factory=list)
    cross_year: list[str] = field(default_factory=list)
    published: str | None = None
    deadline: str | None = None
    late: bool | None = None
    unread: int = 0
    carried_in: int | float | None = None
    carried_out: int | float | None = None
    error: str | None = None

    @property
    def problems(self) -> int:
        """Count the problems found (a report whose tables were not found counts as one)."""
        return (
            (0 if self.found else 1)
            + (1 if self.format_ok is False else 0)
            + len(self.failures)
            + len(self.contradictions)
            + len(self.cross_year)
            + (1 if self.late else 0)
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        return {**asdict(self), "problems": self.problems}


def is_government(agency: str | None) -> bool:
    """Return whether the body is a government (its report is due 31 March), not a department."""
    return bool(agency) and bool(_GOVERNMENT.search(agency or ""))


def deadline_for(agency: str | None, year: int) -> dt.date:
    """The statutory deadline of the report for ``year`` (REG2019 Art. 49)."""
    return dt.date(year + 1, 3, 31) if is_government(agency) else dt.date(year + 1, 1, 31)


def find_published(lines: list[str]) -> dt.date | None:
    """The publication date: a labelled date near the top, else a date line at the end."""
    for pattern in _DATE_LABELLED:
        for line in lines[:40]:
            m = pattern.search(nfkc(line))
            if m:
                return _date(m.groups())
    for line in reversed(lines[-8:]):
        text = nfkc(line).strip()
        m = _DATE_CN.fullmatch(text) or _DATE_CN.search(text) if len(text) <= 40 else None
        if m:
            return _date(m.groups())
    return None


def _date(parts: Iterable[str]) -> dt.date | None:
    try:
        y, m, d = (int(p) for p in parts)
        return dt.date(y, m, d)
    except ValueError:
        return None


def review_one(name: str, data: bytes, year: int | None = None) -> BatchRow:
    """Parse one report and fill its row (the cross-year column is filled by the batch)."""
    row = BatchRow(name)
    try:
        document = read_document(data, name)
        result = parse_document(document)
    except Exception as exc:  # an unreadable file is a row of its own, not a failed batch
        row.error = f"无法读取：{type(exc).__name__}"
        return row
    out = result.to_json()
    row.agency = result.agency_name
    row.year = result.year or year
    row.found = result.table3 is not None or result.table2008 is not None
    row.table_format = result.table3_format or (2008 if result.table2008 else None)
    if row.year and row.table_format:
        row.format_ok = formats.format_for_year(row.year) == row.table_format
    row.failures = [c.message for c in result.checks if c.is_hard]
    row.contradictions = [c.message for c in result.checks if c.code == "S6"]
    row.unread = sum(
        1 for c in (out.get("cells") or {}).values() if c["status"] in ("ambiguous", "missing")
    )
    t3 = {r["key"]: r["values"] for r in result.table3 or []}
    if "carried_in" in t3 and t3["carried_in"][formats.TOTAL_COLUMN] is not None:
        row.carried_in = t3["carried_in"][formats.TOTAL_COLUMN]
    if "carried_out" in t3 and t3["carried_out"][formats.TOTAL_COLUMN] is not None:
        row.carried_out = t3["carried_out"][formats.TOTAL_COLUMN]
    published = find_published([line.text for line in document.lines])
    if published and row.year:
        due = deadline_for(row.agency, row.year)
        row.published, row.deadline = published.isoformat(), due.isoformat()
        row.late = published > due
    return row


def _review_star(args: tuple[str, bytes, int | None]) -> BatchRow:
    return review_one(*args)


def cross_year(rows: list[BatchRow]) -> None:
    """Flag 本年结转下年 of year N ≠ 上年结转 of year N+1 for the same agency."""
    by_key = {(r.agency, r.year): r for r in rows if r.agency and r.year}
    for (agency, year), row in by_key.items():
        nxt = by_key.get((agency, (year or 0) + 1))
        if nxt is None or row.carried_out is None or nxt.carried_in is None:
            continue
        if row.carried_out != nxt.carried_in:
            message = (
                f"{year}年“结转下年度继续办理”为{row.carried_out}，"
                f"{nxt.year}年“上年结转”为{nxt.carried_in}"
            )
            row.cross_year.append(message)
            nxt.cross_year.append(message)


def review_files(
    items: list[tuple[str, bytes]],
    *,
    year: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[BatchRow]:
    """Review every ``(name, bytes)``; returns the rows sorted by agency and year."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    jobs = [(name, data, year) for name, data in items]
    rows: list[BatchRow] = []
    if workers > 1 and len(jobs) >= 20:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for i, row in enumerate(pool.map(_review_star, jobs, chunksize=8), start=1):
                rows.append(row)
                if progress:
                    progress(i, len(jobs))
    else:
        for i, job in enumerate(jobs, start=1):
            rows.append(_review_star(job))
            if progress:
                progress(i, len(jobs))
    if year is not None:
        rows = [r for r in rows if r.year in (year, year - 1, year + 1)]
    cross_year(rows)
    if year is not None:
        rows = [r for r in rows if r.year == year]
    return sorted(rows, key=lambda r: (r.agency or "", r.year or 0, r.name))


def read_dir(path: Path) -> list[tuple[str, bytes]]:
    """Every report file under ``path`` (by suffix), as ``(relative name, bytes)``."""
    out = []
    for p in sorted(path.rglob("*")):
        if p.is_file() and p.suffix.lower() in SUFFIXES:
            if p.stat().st_size <= MAX_MEMBER_BYTES:
                out.append((str(p.relative_to(path)), p.read_bytes()))
    return out


def read_zip(data: bytes) -> list[tuple[str, bytes]]:
    """The report files of a ZIP, refusing archives that are too many, too large or bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise BatchError("无法打开该压缩包，请上传 ZIP 格式的文件。") from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise BatchError(f"压缩包中的文件超过{MAX_MEMBERS}个，请分批上传。")
        total = 0
        out = []
        for info in members:
            name = _member_name(info)
            if not name.lower().endswith(SUFFIXES) or "__MACOSX" in name:
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                raise BatchError(f"“{name}”超过5 MB，请删去图片后再上传。")
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise BatchError(f"“{name}”的压缩比异常，已拒绝处理。")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise BatchError("压缩包解压后超过200 MB，请分批上传。")
            with archive.open(info) as fh:
                content = fh.read(MAX_MEMBER_BYTES + 1)
            if len(content) > MAX_MEMBER_BYTES:
                raise BatchError(f"“{name}”超过5 MB，请删去图片后再上传。")
            out.append((name, content))
    return out


def _member_name(info: zipfile.ZipInfo) -> str:
    """Decode a member name written in GBK by Chinese Windows tools (no UTF-8 flag)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


XLSX_HEADER = [
    "文件",
    "机关",
    "年度",
    "找到统计表",
    "表格格式",
    "格式符合年度",
    "勾稽关系不符",
    "正文与表格矛盾",
    "跨年度结转不符",
    "发布日期",
    "法定期限",
    "逾期发布",
    "未能确定的单元格",
    "问题数",
]


def _yes(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def table_rows(rows: list[BatchRow]) -> list[list[Any]]:
    """The review as rows of cells (header first) for XLSX/CSV."""
    out: list[list[Any]] = [XLSX_HEADER]
    for r in rows:
        out.append(
            [
                r.name,
                r.agency or "",
                r.year or "",
                _yes(r.found) if not r.error else r.error,
                r.table_format or "",
                _yes(r.format_ok),
                "\n".join(r.failures),
                "\n".join(r.contradictions),
                "\n".join(r.cross_year),
                r.published or "未找到",
                r.deadline or "",
                _yes(r.late),
                r.unread,
                r.problems,
            ]
        )
    return out


def to_xlsx(rows: list[BatchRow]) -> bytes:
    """The review as an XLSX workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "年报评查"
    for row in table_rows(rows):
        ws.append(row)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
