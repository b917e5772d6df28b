"""Readers: turn plain text, HTML, DOCX or a text PDF into lines of text and a token stream.

The table readers work on one *token stream* whatever the input was:

* ``text`` — a label or any other words (a table cell, or a whitespace-separated piece of a line),
* ``num`` — a cell that is a number,
* ``empty`` — a cell that is visibly empty (an empty table cell, ``| |``, ``—``),
* ``unit`` — a unit cell of the 2008 table (条, 件, 万元 …),
* ``break`` — the end of a real table row (only where rows are known: HTML and DOCX tables,
  and text lines written as ``| a | b | c |``).

Every token carries its *source*: the line number (text, HTML, PDF), the table/row/column
(HTML and DOCX tables, 1-based) and the page (PDF). The prose reader works on the lines.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from .normalize import UNITS, collapse, is_blank_value, parse_number, squash  # noqa: F401

TokenKind = Literal["text", "num", "empty", "unit", "break"]
Kind = Literal["text", "html", "docx", "pdf"]


@dataclass
class Token:
    """One cell or word of the source, with where it came from."""

    kind: TokenKind
    text: str
    source: dict[str, Any]
    value: Decimal | None = None


@dataclass
class Line:
    """A line of running text with its location."""

    text: str
    source: dict[str, Any]


@dataclass
class Document:
    """What a reader produced: the kind of input, its lines and its token stream."""

    kind: Kind
    lines: list[Line] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    def add_line(self, text: str, source: dict[str, Any]) -> None:
        """Append a line of running text and tokenise it."""
        text = text.replace("\x00", "")
        if text.strip():
            self.lines.append(Line(text.strip(), source))
        self.tokens.extend(tokenize_line(text, source))

    def add_grid(self, grid: list[list[Cell | None]], table_no: int) -> None:
        """Append a table: its cells become tokens (merged continuations are skipped)."""
        for r, row in enumerate(grid, start=1):
            texts = []
            for c, cell in enumerate(row, start=1):
                if cell is None:  # continuation of a merged cell
                    continue
                src: dict[str, Any] = {"table": table_no, "row": r, "col": c}
                if cell.line is not None:
                    src["line"] = cell.line
                self.tokens.append(cell_token(cell.text, src))
                texts.append(cell.text)
            self.tokens.append(Token("break", "", {"table": table_no, "row": r}))
            joined = " ".join(t for t in texts if t.strip())
            if joined.strip():
                self.lines.append(Line(joined, {"table": table_no, "row": r}))


@dataclass
class Cell:
    """A table cell's text and, for HTML, its source line."""

    text: str
    line: int | None = None


def cell_token(text: str, source: dict[str, Any]) -> Token:
    """Classify one cell's text as a number, an empty cell, a unit or text."""
    clean = collapse(text)
    if re.fullmatch(r"\d[\d\s,，]*(?:\.\d+)?", clean):
        clean = re.sub(r"[\s,，]", "", clean)
    value = parse_number(clean)
    if value is not None:
        return Token("num", clean, source, value)
    if is_blank_value(clean):
        return Token("empty", clean, source)
    if squash(clean) in UNITS:
        return Token("unit", clean, source)
    return Token("text", clean, source)


_MD_RULE = re.compile(r"^[\s|:\-—=+]*$")


def tokenize_line(text: str, source: dict[str, Any]) -> list[Token]:
    """Split a text line into tokens: ``|`` separates cells, whitespace separates words."""
    stripped = text.strip()
    if not stripped:
        return []
    if "|" in stripped or "｜" in stripped:
        stripped = stripped.replace("｜", "|")
        if _MD_RULE.match(stripped) and "-" in stripped:
            return []  # a markdown rule line such as |---|---|
        if stripped.replace(" ", "") == "|":
            return [Token("empty", "", dict(source))]  # a lone "|": an empty cell (or row start)
        pieces = stripped.split("|")
        starts, ends = stripped.startswith("|"), stripped.endswith("|")
        if starts:
            pieces = pieces[1:]
        if ends:
            pieces = pieces[:-1]
        tokens: list[Token] = []
        for piece in pieces:
            if not piece.strip():
                tokens.append(Token("empty", "", dict(source)))
            else:
                tokens.extend(_words(piece, source))
        if starts and ends and len(pieces) >= 2:
            tokens.append(Token("break", "", dict(source)))
        return tokens
    return _words(stripped, source)


def _words(piece: str, source: dict[str, Any]) -> list[Token]:
    parts = re.split(r"[\s\u3000]+", piece.strip())
    return [cell_token(p, dict(source)) for p in parts if p]


# --------------------------------------------------------------------------------------------
# Input detection and readers
# --------------------------------------------------------------------------------------------


def detect_kind(data: bytes, filename: str | None) -> Kind:
    """Guess the input kind from magic bytes, then the file name, then the content."""
    name = (filename or "").lower()
    if data[:5] == b"%PDF-" or name.endswith(".pdf"):
        return "pdf"
    if data[:2] == b"PK" or name.endswith(".docx"):
        return "docx"
    if name.endswith((".html", ".htm", ".shtml", ".xhtml")):
        return "html"
    head = data[:4096].lower()
    if b"<html" in head or b"<table" in head or b"<!doctype html" in head or b"<body" in head:
        return "html"
    return "text"


def decode(data: bytes) -> str:
    """Decode text in UTF-8 (with or without BOM), UTF-16, or GB18030 (a superset of GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def read_text(text: str) -> Document:
    """Read plain text: each line is running text; tables are recognised from the tokens."""
    doc = Document("text")
    for number, line in enumerate(text.splitlines(), start=1):
        doc.add_line(line, {"line": number})
    return doc


_BLOCK_TAGS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 tr td th table title section article header footer blockquote pre "
    "ul ol dl dt dd center".split()
)


def read_html(text: str) -> Document:
    """Read HTML: tables become grids (rowspan/colspan expanded), the rest lines of text."""
    import lxml.html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    root = lxml.html.document_fromstring(text or "<html></html>")
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    doc = Document("html")
    state: dict[str, Any] = {"buf": [], "line": None, "tables": 0}

    def flush() -> None:
        line = "".join(state["buf"])
        if line.strip():
            doc.add_line(line, {"line": state["line"]})
        state["buf"] = []
        state["line"] = None

    def add_text(s: str | None, line: int | None) -> None:
        if s:
            if state["line"] is None and s.strip():
                state["line"] = line
            state["buf"].append(s)

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table" and not el.xpath(".//table"):
            flush()
            state["tables"] += 1
            doc.add_grid(_html_grid(el), state["tables"])
            return
        if tag in _BLOCK_TAGS:
            flush()
        add_text(el.text, el.sourceline)
        for child in el:
            walk(child)
            if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                flush()
            add_text(child.tail, child.sourceline)
        if tag in _BLOCK_TAGS:
            flush()

    walk(root)
    flush()
    return doc


def _html_cell_text(cell: Any) -> str:
    # Line breaks inside a cell are layout, not content: the pieces are joined.
    return str(cell.text_content())


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), 200))
    except ValueError:
        return 1


def _html_grid(table: Any) -> list[list[Cell | None]]:
    """Expand an HTML table into a grid; merged continuations are None."""
    rows = [tr for tr in table.iter("tr") if _closest_table(tr) is table]
    grid: list[list[Cell | None]] = []
    pending: dict[tuple[int, int], bool] = {}
    for r, tr in enumerate(rows):
        out: list[Cell | None] = []
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while pending.pop((r, c), False):
                out.append(None)
                c += 1
            rs, cs = _span(td.get("rowspan")), _span(td.get("colspan"))
            out.append(Cell(_html_cell_text(td), td.sourceline))
            out.extend([None] * (cs - 1))
            for dr in range(1, rs):
                for k in range(cs):
                    pending[(r + dr, c + k)] = True
            c += cs
        while pending.pop((r, c), False):
            out.append(None)
            c += 1
        grid.append(out)
    return grid


def _closest_table(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> Document:
    """Read DOCX body order: paragraphs as lines, tables as grids (gridSpan/vMerge expanded)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml")
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    body = root.find(f"{_W}body")
    doc = Document("docx")
    if body is None:
        return doc
    paragraph_no = 0
    tables = 0
    for el in body:
        if el.tag == f"{_W}p":
            paragraph_no += 1
            doc.add_line(_docx_text(el), {"paragraph": paragraph_no})
        elif el.tag == f"{_W}tbl":
            tables += 1
            doc.add_grid(_docx_grid(el), tables)
    return doc


def _docx_text(el: Any) -> str:
    parts = []
    for node in el.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
        parts.append((node.text or "") if node.tag == f"{_W}t" else " ")
    return "".join(parts)


def _docx_grid(tbl: Any) -> list[list[Cell | None]]:
    grid: list[list[Cell | None]] = []
    for tr in tbl.findall(f"{_W}tr"):
        out: list[Cell | None] = []
        for tc in tr.findall(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if props is not None:
                gs = props.find(f"{_W}gridSpan")
                if gs is not None:
                    span = _span(gs.get(f"{_W}val"))
                vm = props.find(f"{_W}vMerge")
                if vm is not None and vm.get(f"{_W}val") != "restart":
                    continued = True
            paragraphs = [_docx_text(p) for p in tc.findall(f"{_W}p")]
            out.append(None if continued else Cell("".join(paragraphs)))
            out.extend([None] * (span - 1))
        grid.append(out)
    return grid


def read_pdf(data: bytes) -> Document:
    """Read a text PDF page by page (scanned PDFs have no text and yield nothing)."""
    import pypdf

    doc = Document("pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page_no, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        for line_no, line in enumerate(text.replace("\x00", "").splitlines(), start=1):
            doc.add_line(line, {"page": page_no, "line": line_no})
    return doc


def read_document(source: bytes | str, filename: str | None = None) -> Document:
    """Read any supported input into a :class:`Document`."""
    if isinstance(source, str):
        if detect_kind(source[:4096].encode("utf-8", "ignore"), filename) == "html":
            return read_html(source)
        return read_text(source)
    kind = detect_kind(source, filename)
    if kind == "pdf":
        return read_pdf(source)
    if kind == "docx":
        return read_docx(source)
    text = decode(source)
    if kind == "html":
        return read_html(text)
    return read_text(text)
