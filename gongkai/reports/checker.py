"""年报体检: read an uploaded or pasted report and lay out what was found for a person.

:func:`check_upload` / :func:`check_text` parse in memory (nothing is stored) and return a
:class:`Checked`: the parse JSON and a display structure — the tables in the official layout
(:mod:`gongkai.reports.builders.layout`, labels from :mod:`gongkai.reports.formats`) where every
figure cell carries its value, the anchor of its source line and the numbers of the failed
identities it takes part in; the source lines; the failed checks; what was not found; and the
figures stated in the prose.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

from gongkai.core.archives import CHECKER_LIMITS, ArchiveError, check_archive, open_archive
from gongkai.reports.builders.layout import grids
from gongkai.reports.parsing import ParseResult, parse_document
from gongkai.reports.parsing.sources import Document, read_document

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
#: Slack for the multipart envelope when refusing a request by its Content-Length alone.
ENVELOPE_BYTES = 256 * 1024

KIND_LABELS = {
    "text": _("纯文本"),
    "html": _("网页（HTML）"),
    "docx": _("Word文档（DOCX）"),
    "pdf": _("PDF文档"),
}
TABLE_TITLES = {
    "二": _("二、主动公开政府信息情况"),
    "三": _("三、收到和处理政府信息公开申请情况"),
    "四": _("四、政府信息公开行政复议、行政诉讼情况"),
    "统计表": _("政府信息公开情况统计表"),
}
TOO_LARGE = _("文件超过5 MB，无法体检。请压缩或删去图片后再上传，或粘贴报告正文。")
UNSUPPORTED = _("无法识别该文件的类型。请上传纯文本、网页（HTML）、Word文档（DOCX）或PDF文档。")
UNREADABLE = _("无法读取该文件的内容（文件可能已损坏、加密或是扫描件）。请改为粘贴报告正文。")
EMPTY = _("请上传报告文件，或粘贴报告正文。")
BOTH = _("请只上传文件或只粘贴正文，不要同时提交。")


class CheckerError(Exception):
    """An input that cannot be checked: a machine code and a Chinese message."""

    def __init__(self, code: str, message: Any, status: int = 400) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.status = status


@dataclass
class Checked:
    """The result of one check: the parse JSON and what the page shows."""

    result: ParseResult
    kind: str
    data: dict[str, Any]
    tables: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    prose: list[dict[str, Any]] = field(default_factory=list)
    agency_anchor: str | None = None
    year_anchor: str | None = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def tables_found(self) -> bool:
        """Return whether any statistics table was recognised (else there is nothing checked)."""
        report = self.result.report()
        return any(report.get(k) for k in ("table2", "table3", "table4", "table2008"))

    @property
    def unread_cells(self) -> int:
        """Count table cells that could not be read with certainty (ambiguous or missing)."""
        cells = self.data.get("cells") or {}
        unread = sum(1 for c in cells.values() if c.get("status") in ("ambiguous", "missing"))
        nulls = sum(
            1 for row in self.data.get("table3") or [] for v in row.get("values") or [] if v is None
        )
        return max(unread, nulls)

    @property
    def hard_count(self) -> int:
        return sum(1 for c in self.checks if c["hard"])


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep an uploaded file in memory up to :data:`MAX_BYTES`; skip it (and say so) beyond.

    Installed as the only handler, so an upload never touches the disk.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.too_large = False
        self._buffer = io.BytesIO()
        self._size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > MAX_BYTES:
            self.too_large = True
            self._buffer = io.BytesIO()
            raise SkipFile
        self._buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            self._buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


def install_upload_handler(request: Any) -> MemoryOnlyUploadHandler:
    """Make ``request`` keep uploads in memory only (call before reading POST/FILES)."""
    handler = MemoryOnlyUploadHandler(request)
    request.upload_handlers = [handler]
    return handler


def too_large_request(request: Any) -> bool:
    """True when the request body is too large to hold an acceptable upload."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_BYTES + ENVELOPE_BYTES


def sniff(data: bytes) -> str | None:
    """Return the kind of an upload judged by its content: pdf, docx, text (or HTML) or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with open_archive(data, limits=CHECKER_LIMITS) as z:
                return "docx" if "word/document.xml" in z else None
        except ArchiveError:
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    head = data[:8192]
    if b"\x00" in head:
        return None
    if sum(1 for b in head if b < 9 or 13 < b < 32) > len(head) // 100 + 2:
        return None
    return "text"


def check_upload(data: bytes, filename: str | None = None) -> Checked:
    """Check an uploaded file (bytes); its type is judged by content, not by its name."""
    if len(data) > MAX_BYTES:
        raise CheckerError("too_large", TOO_LARGE, 413)
    if not data.strip():
        raise CheckerError("invalid", EMPTY)
    if data.startswith(b"PK\x03\x04"):
        try:  # the bounded reader first: the parser unpacks no more than this allows
            check_archive(data, limits=CHECKER_LIMITS)
        except ArchiveError as exc:
            code = "too_large" if exc.code in {"too_large", "ratio"} else "invalid"
            raise CheckerError(code, exc.message, 413 if code == "too_large" else 400) from None
    kind = sniff(data)
    if kind is None:
        raise CheckerError("invalid", UNSUPPORTED)
    # The content decides: a name is only passed to the reader to match the sniffed kind.
    name = {"pdf": "upload.pdf", "docx": "upload.docx"}.get(kind)
    return _check(data, name)


def check_text(text: str) -> Checked:
    """Check pasted text (plain text or HTML source)."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise CheckerError("too_large", TOO_LARGE, 413)
    if not text.strip():
        raise CheckerError("invalid", EMPTY)
    return _check(text, None)


def _check(source: bytes | str, name: str | None) -> Checked:
    try:
        document = read_document(source, name)
        result = parse_document(document)
    except Exception:  # untrusted files: any reader failure is "unreadable", never a 500
        logger.info("report check: unreadable input", exc_info=True)
        raise CheckerError("invalid", UNREADABLE) from None
    return build(result, document)


# --------------------------------------------------------------------------------------------
# Display structure
# --------------------------------------------------------------------------------------------

_ANCHOR_PARTS = (("page", "p"), ("paragraph", "g"), ("table", "t"), ("row", "r"), ("line", "l"))


def _anchor(src: dict[str, Any], keys: tuple[str, ...] | None = None) -> str | None:
    parts = [
        f"{short}{src[key]}"
        for key, short in _ANCHOR_PARTS
        if key in src and (keys is None or key in keys)
    ]
    return "src-" + "-".join(parts) if parts else None


def _line_label(src: dict[str, Any]) -> str:
    if "page" in src:
        return f"{src['page']}:{src.get('line', '')}"
    if "table" in src:
        return f"T{src['table']}.{src.get('row', '')}"
    if "paragraph" in src:
        return f"¶{src['paragraph']}"
    return str(src.get("line", ""))


def _source_lines(document: Document) -> tuple[list[dict[str, Any]], set[str]]:
    lines, seen = [], set()
    for i, line in enumerate(document.lines):
        anchor = _anchor(line.source) or f"src-n{i}"
        if anchor in seen:
            anchor = f"{anchor}-n{i}"
        seen.add(anchor)
        lines.append(
            {"anchor": anchor, "label": _line_label(line.source), "text": line.text, "cited": False}
        )
    return lines, seen


def _resolve(src: dict[str, Any] | None, anchors: set[str]) -> str | None:
    """Return the anchor of the source line a cell or sentence came from, if shown."""
    if not src:
        return None
    for keys in (
        ("page", "paragraph", "table", "row", "line"),
        ("table", "row"),
        ("page", "line"),
        ("paragraph",),
        ("line",),
    ):
        anchor = _anchor(src, keys)
        if anchor and anchor in anchors:
            return anchor
    return None


def build(result: ParseResult, document: Document) -> Checked:
    """Turn a parse result (and the document it came from) into the page's structure."""
    data = result.to_json()
    lines, anchors = _source_lines(document)
    sources: dict[str, Any] = data.get("sources") or {}

    checks = []
    cell_checks: dict[str, list[int]] = {}
    for number, check in enumerate(data["checks"], start=1):
        hard = check.get("severity") == "hard"
        checks.append({**check, "number": number, "hard": hard, "anchor": f"check-{number}"})
        for name in check.get("cells") or []:
            cell_checks.setdefault(name, []).append(number)

    cited: set[str] = set()
    tables = []
    report = result.report()
    has_tables = any(report.get(k) for k in ("table2", "table3", "table4", "table2008"))
    if report.get("format") and has_tables:
        for key, grid in grids(report).items():
            rows = []
            for row in grid.rows:
                out = []
                for cell in row:
                    item: dict[str, Any] = {
                        "text": cell.text,
                        "rowspan": cell.rowspan,
                        "colspan": cell.colspan,
                        "header": cell.header,
                        "cell": cell.cell,
                    }
                    if cell.cell:
                        numbers = cell_checks.get(cell.cell, [])
                        src = sources.get(cell.cell)
                        anchor = _resolve(src, anchors)
                        item.update(
                            {
                                "number": True,
                                "failed": bool(numbers),
                                "checks": numbers,
                                "anchor": anchor,
                                "missing": cell.value is None,
                                "blank": bool(src and src.get("blank")),
                                "derived": bool(src and src.get("derived")),
                            }
                        )
                        if anchor and numbers:
                            cited.add(anchor)
                    out.append(item)
                rows.append(out)
            tables.append(
                {
                    "key": key,
                    "title": str(TABLE_TITLES.get(key, grid.title)),
                    "rows": rows,
                    "columns": grid.columns,
                    "failed": any(c["failed"] for r in rows for c in r if c.get("number")),
                }
            )

    prose = []
    for fig in data.get("prose_figures") or []:
        anchor = _resolve(fig.get("source"), anchors)
        prose.append({**fig, "anchor": anchor})

    for line in lines:
        line["cited"] = line["anchor"] in cited

    return Checked(
        result=result,
        kind=result.input_kind,
        data=data,
        tables=tables,
        lines=lines,
        checks=checks,
        prose=prose,
        agency_anchor=_resolve(sources.get("agency"), anchors),
        year_anchor=_resolve(sources.get("year"), anchors),
    )
