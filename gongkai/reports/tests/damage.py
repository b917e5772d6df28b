"""Damaged exports with known truth: the platform's own table layout broken the ways real texts are.

:func:`damaged_text` renders a report's tables 三 and 四 from the platform's layout
(:mod:`gongkai.reports.builders.layout`, the grids every export prints), then damages the text
the ways published reports are damaged: ``|`` rows with trailing empty cells, labels lost (pushed
into the prose above) and tables split into fragments; whitespace rows with numbers before their
labels, the vertical merged label split one character per line, page footers and repeated
headers inside the table, and a 总计 column left blank; crawled text with every cell run
together (sometimes with a space between cells). :func:`score` compares a parse with the truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from gongkai.reports import formats
from gongkai.reports.builders.layout import table3_grid, table4_grid

SEPARATED = ("pipe", "spaces")
RUN_TOGETHER = ("run",)
KINDS = (*SEPARATED, *RUN_TOGETHER)


@dataclass
class Damage:
    """What was done to one text."""

    kind: str
    blank_total: bool = False
    dropped_labels: list[str] = field(default_factory=list)


def _rows(report: dict[str, Any]) -> list[tuple[str, list[int]]]:
    """The data rows of table 三 as the layout prints them: label text (merged cells only in
    their first row) and the seven figures."""
    grid = table3_grid(report)
    out = []
    for row in grid.rows[grid.header_rows :]:
        labels = "".join(c.text for c in row if not c.is_number)
        values = [int(c.value) for c in row if c.is_number]
        out.append((labels, values))
    return out


def _table4(report: dict[str, Any]) -> list[int]:
    grid = table4_grid(report)
    return [int(c.value) for c in grid.rows[-1] if c.is_number]


HEADER = (
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况\n"
    "自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
)
HEADER4 = (
    "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n"
    "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n"
)
TAIL = "五、存在的主要问题及改进情况\n本年度工作仍有不足，将进一步改进。\n"


def _title(report: dict[str, Any]) -> str:
    agency = report["agency"]["name"]
    return (
        f"{agency}{report['year']}年政府信息公开工作年度报告\n一、总体情况\n本年度工作有序开展。\n"
    )


def _pipe(rng: random.Random, rows: list[tuple[str, list[int]]], dmg: Damage) -> list[str]:
    lines = []
    for label, values in rows:
        cells = [str(v) for v in values]
        if dmg.blank_total:
            cells[-1] = ""
        if rng.random() < 0.25:
            cells.append("")  # a trailing empty cell
        if rng.random() < 0.2 and label:
            dmg.dropped_labels.append(label)
            lines.append(label[:6])  # the label pushed into the text above
            lines.append("")
            lines.append("| " + " | ".join(cells) + " |")
            lines.append("|" + "---|" * len(cells))
            continue
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
        if rng.random() < 0.1:
            lines += ["", "|---|---|"]  # a fragment boundary
    return lines


def _spaces(rng: random.Random, rows: list[tuple[str, list[int]]], dmg: Damage) -> list[str]:
    before = rng.random() < 0.5  # numbers printed before their labels
    vertical = list("三、本年度办理结果")
    lines = []
    for i, (label, values) in enumerate(rows):
        cells = [str(v) for v in values]
        if dmg.blank_total:
            cells = cells[:-1]
        label = label.replace("三、本年度办理结果", "")
        lines.append(" ".join(cells) + " " + label if before else label + " " + " ".join(cells))
        if 2 <= i and vertical and rng.random() < 0.6:
            lines.append(vertical.pop(0))
        if rng.random() < 0.05:
            lines.append(f"第 {rng.randint(2, 9)} 页 共 {rng.randint(10, 20)} 页")
        if rng.random() < 0.03:
            lines.append("自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计")
    return lines


def _run(rng: random.Random, rows: list[tuple[str, list[int]]], dmg: Damage) -> list[str]:
    parts = []
    for label, values in rows:
        cells = [str(v) for v in values]
        glue = "".join(c + (" " if rng.random() < 0.1 else "") for c in cells)
        parts.append(label + glue.rstrip())
    return ["".join(parts)]


def damaged_text(report: dict[str, Any], rng: random.Random, kind: str) -> tuple[str, Damage]:
    """Render the report's tables and damage them as ``kind``; return the text and the damage."""
    dmg = Damage(kind, blank_total=kind != "run" and rng.random() < 0.15)
    rows = _rows(report)
    body = {"pipe": _pipe, "spaces": _spaces, "run": _run}[kind](rng, rows, dmg)
    t4 = [str(v) for v in _table4(report)]
    if kind == "run":
        table4 = "".join(t4)
        text = _title(report) + HEADER.replace("\n", "") + body[0] + HEADER4.replace("\n", "")
        return text + table4 + TAIL, dmg
    table4 = ("| " + " | ".join(t4) + " |") if kind == "pipe" else " ".join(t4)
    text = _title(report) + HEADER + "\n".join(body) + "\n" + HEADER4 + table4 + "\n" + TAIL
    return text, dmg


@dataclass
class Score:
    """Cells recovered, ambiguous (truth among candidates), missing, and wrong certain values."""

    recovered: int = 0
    ambiguous: int = 0
    missing: int = 0
    wrong: int = 0

    @property
    def total(self) -> int:
        """Return the number of cells scored."""
        return self.recovered + self.ambiguous + self.missing + self.wrong

    def add(self, other: Score) -> None:
        """Add another score to this one."""
        self.recovered += other.recovered
        self.ambiguous += other.ambiguous
        self.missing += other.missing
        self.wrong += other.wrong


def score(report: dict[str, Any], cells: dict[str, dict[str, Any]]) -> Score:
    """Compare every cell of tables 三 and 四 with the truth."""
    out = Score()
    truth = {}
    for row in report["table3"]:
        for c, v in enumerate(row["values"]):
            truth[f"table3.{row['key']}.{c}"] = v
    for group in formats.TABLE4_GROUPS:
        for c, v in enumerate(report["table4"][group]):
            truth[f"table4.{group}.{c}"] = v
    for path, value in truth.items():
        cell = cells.get(path) or {"status": "missing"}
        status = cell["status"]
        if status in ("read", "derived") or (status == "blank" and value == 0):
            if (cell.get("value") or 0) == value:
                out.recovered += 1
            else:
                out.wrong += 1
        elif status == "blank":
            out.wrong += 1
        elif status == "ambiguous" and value in cell.get("candidates", []):
            out.ambiguous += 1
        elif status == "ambiguous":
            out.wrong += 1
        else:
            out.missing += 1
    return out
