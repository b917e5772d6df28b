"""区分处理 (《条例》第三十七条): the redaction plan as data, finding what to mark, applying it.

The plan is a list of ``Mark``s — page, box in PDF points, legal reason, author, how it was made
— kept as data beside the *restricted original* (the PDF as received or converted). Nothing is
ever changed in the original: marks are added, edited and undone in the plan, and the provided
file is rendered anew from the original and the plan by ``apply``. Every preview and download
is built from that output only.

Finding marks (by position, never by matching bytes — see ``pdfchars``):
``search_text`` (every occurrence of a string, whitespace ignored), ``search_pattern`` (a
regular expression on the page text), ``search_personal_data`` (the 错敏检测 patterns of the
catalogue's scan: 居民身份证号码, 手机号码, 银行卡号, 电子邮箱), and boxes drawn by hand
(``Mark`` with ``MarkSource.BOX``; ``view_to_pdf`` turns a box drawn on a page image into PDF
points).

``apply`` rasterises only the pages that carry marks, paints every marked box solid black into
the pixels, and rebuilds an invisible searchable text layer on those pages from the characters
outside the marks; pages without marks stay vector. Every page loses annotations (flattened
into the page first, so seals and filled forms stay visible), actions, thumbnails and private
data; the file loses /Info, XMP, outlines, embedded files and scripts. An optional stamp (受理编号
and date) goes on every page.

``verify`` is the approval check: it reports any character still extractable under a mark
(PDFium and pypdf), any text the marks covered in the original still found in the output, image
pixels under a mark that are not uniform, other content under a mark, and anything the file must
not carry. Approval is refused while it reports anything.

``summarize`` / ``statement_lines`` count the marks per legal basis for the 区分处理说明 of the
reply letter and the applicant's page ("区分处理，N 处").
"""

from gongkai.responses.pdfchars import APPLY_TOLERANCE, VERIFY_TOLERANCE
from gongkai.responses.redaction.plan import (
    STATEMENT_WORDING,
    Mark,
    ReasonCount,
    RedactionError,
    merge,
    occurrence_count,
    open_pdf,
    pdf_to_view,
    plan_from_data,
    plan_to_data,
    statement_lines,
    summarize,
    view_to_pdf,
)
from gongkai.responses.redaction.render import DEFAULT_DPI, MAX_PAGE_PIXELS, apply
from gongkai.responses.redaction.search import (
    marks_for_chars,
    read_text,
    search_pattern,
    search_personal_data,
    search_text,
)
from gongkai.responses.redaction.verify import PIXEL_TOLERANCE, Problem, verify

__all__ = [
    "APPLY_TOLERANCE",
    "DEFAULT_DPI",
    "MAX_PAGE_PIXELS",
    "PIXEL_TOLERANCE",
    "STATEMENT_WORDING",
    "VERIFY_TOLERANCE",
    "Mark",
    "Problem",
    "ReasonCount",
    "RedactionError",
    "apply",
    "marks_for_chars",
    "merge",
    "occurrence_count",
    "open_pdf",
    "pdf_to_view",
    "plan_from_data",
    "plan_to_data",
    "read_text",
    "search_pattern",
    "search_personal_data",
    "search_text",
    "statement_lines",
    "summarize",
    "verify",
    "view_to_pdf",
]
