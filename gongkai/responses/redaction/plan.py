"""The redaction plan as data: marks, their JSON form, and the 区分处理说明 they give."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pypdfium2 as pdfium
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.responses.choices import REASON_ARTICLES, MarkSource, RedactionReason
from gongkai.responses.pdfchars import Box


class RedactionError(ValueError):
    """The PDF or the plan cannot be processed (the message is for people)."""


def open_pdf(pdf: bytes) -> pdfium.PdfDocument:
    """Open ``pdf`` with PDFium; RedactionError (for people) when it cannot be read."""
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise RedactionError(_("无法读取该 PDF 文件（文件损坏或已加密）。")) from exc


@dataclass(frozen=True)
class Mark:
    """One redaction mark: a box on a page, withheld for one legal reason.

    ``page`` is 0-based; ``box`` is ``(left, bottom, right, top)`` in PDF points in the page's
    unrotated user space (as PDFium reports character boxes). Marks made for one occurrence
    (a match running over two lines gives two boxes) share a ``group`` and count once.
    ``label`` says what the mark covers, for people: the searched string, or the masked
    finding of the personal-data scan (never the clear value).
    """

    page: int
    box: Box
    reason: str
    author: str = ""
    source: str = MarkSource.BOX
    group: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        if self.reason not in RedactionReason.values:
            raise RedactionError(_("区分处理理由无效：%(reason)s") % {"reason": self.reason})
        if self.source not in MarkSource.values:
            raise RedactionError(_("遮盖来源无效：%(source)s") % {"source": self.source})
        if not isinstance(self.page, int) or self.page < 0:
            raise RedactionError(_("页码无效。"))
        if len(self.box) != 4 or not all(math.isfinite(float(v)) for v in self.box):
            raise RedactionError(_("遮盖区域无效。"))
        left, bottom, right, top = (float(v) for v in self.box)
        box = (min(left, right), min(bottom, top), max(left, right), max(bottom, top))
        if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
            raise RedactionError(_("遮盖区域的宽度和高度都必须大于零。"))
        object.__setattr__(self, "box", box)

    @property
    def occurrence(self) -> str:
        """The identity of what this mark withholds (its group, or the mark itself)."""
        return self.group or f"{self.page}:{self.box}"

    def to_dict(self) -> dict[str, Any]:
        """The mark as JSON-ready data."""
        data = asdict(self)
        data["box"] = [round(v, 3) for v in self.box]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mark:
        """Read a mark written by ``to_dict`` (raises RedactionError on bad data)."""
        try:
            return cls(
                page=int(data["page"]),
                box=tuple(float(v) for v in data["box"]),  # type: ignore[arg-type]
                reason=str(data["reason"]),
                author=str(data.get("author", "")),
                source=str(data.get("source", MarkSource.BOX)),
                group=str(data.get("group", "")),
                label=str(data.get("label", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, RedactionError):
                raise
            raise RedactionError(_("遮盖数据无效。")) from exc


def plan_to_data(marks: Iterable[Mark]) -> list[dict[str, Any]]:
    """The plan as JSON-ready data (a list of marks)."""
    return [m.to_dict() for m in marks]


def plan_from_data(data: Iterable[dict[str, Any]]) -> list[Mark]:
    """Read a plan written by ``plan_to_data``."""
    return [Mark.from_dict(item) for item in data]


def merge(plan: Sequence[Mark], new: Iterable[Mark]) -> list[Mark]:
    """``plan`` plus the marks of ``new`` it does not already hold (same page, box and reason)."""
    have = {(m.page, m.box, m.reason) for m in plan}
    out = list(plan)
    for mark in new:
        key = (mark.page, mark.box, mark.reason)
        if key not in have:
            have.add(key)
            out.append(mark)
    return out


def view_to_pdf(view_box: Box, *, cropbox: Box, rotation: int, scale: float = 1.0) -> Box:
    """Turn a box drawn on a page image into a mark box in PDF points.

    ``view_box`` is ``(x0, y0, x1, y1)`` in pixels of an image of the page as displayed
    (``rotation`` applied, origin top left) rendered at ``scale`` pixels per point.
    """
    return _map_box(view_box, cropbox=cropbox, rotation=rotation, scale=scale, to_view=False)


def pdf_to_view(box: Box, *, cropbox: Box, rotation: int, scale: float = 1.0) -> Box:
    """Turn a mark box in PDF points into ``(x0, y0, x1, y1)`` pixels of the displayed page."""
    return _map_box(box, cropbox=cropbox, rotation=rotation, scale=scale, to_view=True)


def _map_box(box: Box, *, cropbox: Box, rotation: int, scale: float, to_view: bool) -> Box:
    left, bottom, right, top = cropbox
    width, height = right - left, top - bottom
    rot = rotation % 360
    if rot not in (0, 90, 180, 270):
        raise RedactionError(_("页面旋转角度无效。"))

    def forward(x: float, y: float) -> tuple[float, float]:  # PDF point -> view pixel
        u, v = x - left, y - bottom
        if rot == 0:
            vx, vy = u, height - v
        elif rot == 90:
            vx, vy = v, u
        elif rot == 180:
            vx, vy = width - u, v
        else:
            vx, vy = height - v, width - u
        return vx * scale, vy * scale

    def backward(px: float, py: float) -> tuple[float, float]:  # view pixel -> PDF point
        vx, vy = px / scale, py / scale
        if rot == 0:
            u, v = vx, height - vy
        elif rot == 90:
            u, v = vy, vx
        elif rot == 180:
            u, v = width - vx, vy
        else:
            u, v = width - vy, height - vx
        return u + left, v + bottom

    convert = forward if to_view else backward
    (x0, y0), (x1, y1) = convert(box[0], box[1]), convert(box[2], box[3])
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


@dataclass(frozen=True)
class ReasonCount:
    """How many places (occurrences) were withheld for one legal reason, and on which pages."""

    reason: str
    count: int
    pages: tuple[int, ...] = field(default=())  # 1-based, for people

    @property
    def label(self) -> str:
        """The reason's label (with its article)."""
        return str(RedactionReason(self.reason).label)

    @property
    def article(self) -> str:
        """The article of the Regulations the reason rests on."""
        return REASON_ARTICLES[self.reason]


def summarize(marks: Iterable[Mark]) -> list[ReasonCount]:
    """Count the withheld places per legal reason (a group of marks counts once)."""
    places: dict[str, set[str]] = defaultdict(set)
    pages: dict[str, set[int]] = defaultdict(set)
    for mark in marks:
        places[mark.reason].add(mark.occurrence)
        pages[mark.reason].add(mark.page + 1)
    return [
        ReasonCount(reason, len(places[reason]), tuple(sorted(pages[reason])))
        for reason in RedactionReason.values
        if reason in places
    ]


def occurrence_count(marks: Iterable[Mark]) -> int:
    """The number of withheld places ("区分处理，N 处")."""
    return sum(item.count for item in summarize(marks))


#: How a reason reads inside the 区分处理说明 where its label does not read as a predicate.
STATEMENT_WORDING: dict[str, Any] = {
    RedactionReason.LAW_PROHIBITED: gettext_lazy("属于法律、行政法规禁止公开的信息"),
    RedactionReason.SAFETY_STABILITY: gettext_lazy(
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定"
    ),
}


def statement_lines(marks: Iterable[Mark]) -> list[str]:
    """One sentence per legal reason for the 区分处理说明 of the reply letter."""
    lines = []
    for item in summarize(marks):
        pages = "、".join(f"第{p}页" for p in item.pages)
        wording = STATEMENT_WORDING.get(item.reason) or item.label.split("（", 1)[0]
        lines.append(
            _(
                "%(pages)s共%(count)d处内容%(wording)s，依据《中华人民共和国政府信息公开条例》"
                "%(article)s的规定不予公开。"
            )
            % {"pages": pages, "count": item.count, "wording": wording, "article": item.article}
        )
    return lines
