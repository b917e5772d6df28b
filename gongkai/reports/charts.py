"""The report's four charts: one data definition, drawn by ECharts in the browser and by
matplotlib (with a CJK font) as PNG for the PDF and the DOCX. Each chart has a text
alternative that states its numbers.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongkai.reports import formats
from gongkai.reports.schema import table3_by_key

CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
RESULT_GROUPS = (
    ("r1", "予以公开"),
    ("r2", "部分公开"),
    ("r3", "不予公开"),
    ("r4", "无法提供"),
    ("r5", "不予处理"),
    ("r6", "其他处理"),
)


@dataclass
class Series:
    """One series of a chart."""

    name: str
    values: list[float]


@dataclass
class Chart:
    """A chart: key, title, kind (bar, pie, line), categories, series and a text alternative."""

    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[Series] = field(default_factory=list)
    unit: str = "件"

    @property
    def alt(self) -> str:
        """The text alternative: every number of the chart in words."""
        parts = []
        for s in self.series:
            pairs = "，".join(
                f"{c}{_fmt(v)}{self.unit}" for c, v in zip(self.categories, s.values, strict=True)
            )
            parts.append(f"{s.name}：{pairs}" if len(self.series) > 1 else pairs)
        return f"{self.title}。" + "；".join(parts) + "。"

    def to_json(self) -> dict[str, Any]:
        """Return the chart as JSON data (for the ECharts page script)."""
        data = asdict(self)
        data["alt"] = self.alt
        return data


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def build_charts(report: Mapping[str, Any]) -> list[Chart]:
    """Return the four charts of a report (2008-format reports: the trend only)."""
    figures = report.get("figures") or {}
    year = report.get("year")
    charts: list[Chart] = []
    if report.get("table3"):
        t3 = table3_by_key(report)
        values = [
            float(
                sum(
                    (v or [0] * 7)[formats.TOTAL_COLUMN] or 0
                    for k, v in t3.items()
                    if k.startswith(prefix) and k != "r7_total"
                )
            )
            for prefix, _ in RESULT_GROUPS
        ]
        charts.append(
            Chart(
                "results",
                f"{year}年政府信息公开申请办理结果",
                "bar",
                [n for _, n in RESULT_GROUPS],
                [Series("办理结果", values)],
            )
        )
        new = t3.get("new") or [0] * 7
        charts.append(
            Chart(
                "applicants",
                f"{year}年新收申请的申请人类型",
                "pie",
                list(formats.TABLE3_COLUMNS[:6]),
                [Series("申请人", [float(v or 0) for v in new[:6]])],
            )
        )
    if figures.get("monthly_intake"):
        charts.append(
            Chart(
                "monthly",
                f"{year}年各月新收申请",
                "bar",
                [f"{m}月" for m in range(1, 13)],
                [Series("新收申请", [float(v) for v in figures["monthly_intake"]])],
            )
        )
    trend = figures.get("trend") or []
    if trend:
        charts.append(
            Chart(
                "trend",
                "近五年申请数量",
                "line",
                [f"{t['year']}年" for t in trend],
                [
                    Series("新收申请", [float(t.get("new") or 0) for t in trend]),
                    Series("办结申请", [float(t.get("handled") or 0) for t in trend]),
                ],
            )
        )
    return charts


def _font_path() -> str | None:
    for path in CJK_FONTS:
        if Path(path).exists():
            return path
    return None


@lru_cache(maxsize=1)
def _font() -> Any:
    """The CJK font's properties, registered with matplotlib once per process."""
    from matplotlib import font_manager

    path = _font_path()
    if not path:
        return None
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path)


#: Seconds a drawn chart stays in the cache (a report version's charts never change).
PNG_CACHE_SECONDS = 7 * 24 * 3600


def chart_png(chart: Chart, **size: Any) -> bytes:
    """``render_png`` once per chart content: the PNG is kept in the cache under a hash of
    everything drawn (title, kind, categories, series, size), so a report version's charts
    are drawn once and every later export of it (any format, any process sharing the cache)
    reuses them."""
    from django.core.cache import cache

    raw = json.dumps([chart.to_json(), size], ensure_ascii=False, sort_keys=True)
    key = "reportchart:2:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()
    png = cache.get(key)
    if png is None:
        png = render_png(chart, **size)
        cache.set(key, png, PNG_CACHE_SECONDS)
    return bytes(png)


#: Margins of every chart as fractions of the figure (left, right, bottom, top) — fixed, so a
#: chart is drawn once instead of measured by ``tight_layout`` and drawn again.
MARGINS = {"pie": (0.02, 0.98, 0.02, 0.88), "other": (0.1, 0.98, 0.1, 0.88)}
COLOURS = ("#8c1c13", "#1f4e79", "#c58b1a", "#4f7942", "#6b4c9a", "#7a7a7a")


def render_png(
    chart: Chart, *, width_in: float = 6.0, height_in: float = 3.2, dpi: int = 150
) -> bytes:
    """Draw ``chart`` as an opaque (RGB) PNG with matplotlib's Agg canvas and a CJK font.

    No pyplot: a bare ``Figure`` on its own canvas has no global state to manage or close.
    The margins are fixed and the image is drawn once; it is saved without an alpha channel,
    which the PDF would otherwise split into a separate mask image.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    prop = _font()
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    left, right, bottom, top = MARGINS["pie" if chart.kind == "pie" else "other"]
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
    ax = fig.add_subplot()
    _draw(ax, chart, prop)
    ax.set_title(chart.title, fontproperties=prop, fontsize=10)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _draw(ax: Any, chart: Chart, prop: Any) -> None:
    if chart.kind == "pie":
        values = chart.series[0].values
        shown = [(c, v) for c, v in zip(chart.categories, values, strict=True) if v]
        if shown:
            ax.pie(
                [v for _, v in shown],
                labels=[f"{c} {_fmt(v)}" for c, v in shown],
                colors=COLOURS[: len(shown)],
                textprops={"fontproperties": prop, "fontsize": 8},
            )
        else:
            ax.text(0.5, 0.5, "无", ha="center", fontproperties=prop)
        ax.axis("equal")
        return
    if chart.kind == "line":
        for i, s in enumerate(chart.series):
            ax.plot(chart.categories, s.values, marker="o", color=COLOURS[i], label=s.name)
            for x, y in zip(chart.categories, s.values, strict=True):
                ax.annotate(
                    _fmt(y),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 4),
                    ha="center",
                    fontsize=7,
                )
        ax.legend(prop=prop, fontsize=8)
    else:
        values = chart.series[0].values
        bars = ax.bar(chart.categories, values, color=COLOURS[0])
        for bar, v in zip(bars, values, strict=True):
            ax.annotate(
                _fmt(v),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=7,
            )
    for label in ax.get_xticklabels():
        label.set_fontproperties(prop)
        label.set_fontsize(8)
    ax.spines[["top", "right"]].set_visible(False)
