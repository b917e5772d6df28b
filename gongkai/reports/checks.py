"""Arithmetic checks of a report (spec §4.6 and §5), on the JSON shape of :mod:`.schema`.

Hard identities (a published report must satisfy them):

* **H1** per column of table 三: 一 + 二 = 三（七）总计 + 四.
* **H2** per column: （七）总计 = the sum of the outcome rows （一）…（六）.
* **H3** per row: 总计 = the sum of the six applicant columns.
* **H4** per group of table 四: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
* **L1** (2008 table) each total equals the sum of its parts (收到申请数 = four channels, …).

Soft checks (warnings, shown with the figures side by side):

* **S1** this year's 上年结转 = last year's 结转下年度继续办理 (needs last year's report).
* **S2** 2021 table 二: 现行有效件数 ≈ last year's + 本年制发 − 本年废止 (needs last year's).
* **S3** 2019 table 二: 上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (needs last year's).
* **S4** figures are non-negative integers, except amounts (万元) and 本年增/减.
* **S5** blank cells counted as 0 (reported by the parser, which alone sees them).
* **S6** figures stated in the text agree with the tables (see :func:`check_prose_against_tables`).
* **L2/L3** (2008 table) a part cannot exceed its whole; the distinct count of proactively
  disclosed items cannot exceed the sum over channels.

Figures that are missing (null) are skipped; a check that cannot be evaluated is not a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from . import formats
from .schema import table2_format, table3_by_key

Severity = Literal["hard", "soft"]
HARD_CODES = frozenset({"H1", "H2", "H3", "H4", "L1"})


@dataclass
class CheckFailure:
    """One failed identity: which, how serious, the cells and figures involved, and a message."""

    code: str
    severity: Severity
    message: str
    cells: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the failure as JSON-ready data."""
        return asdict(self)

    @property
    def is_hard(self) -> bool:
        """Return whether the failure is of a hard identity."""
        return self.severity == "hard"


_NUMBERING = re.compile(
    r"^(?:其中[：:]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])"
)


def short_label(label: str) -> str:
    """Return a label without its item number and trailing note, e.g. ``收到申请数``."""
    label = _NUMBERING.sub("", label)
    return re.sub(r"[（(][^（()）]*[）)]$", "", label)


def fmt_num(value: Any) -> str:
    """Format a figure for a message (integers without decimals)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _g(mapping: Mapping[str, Any], key: str) -> Any:
    """Return ``mapping[key]`` or None, typed as Any (figures are checked with :func:`_known`)."""
    return mapping.get(key)


def _known(values: Iterable[Any]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def check_table3(report: Mapping[str, Any]) -> list[CheckFailure]:
    """Run H1, H2 and H3 on table 三."""
    fmt = int(report.get("format") or 2021)
    if fmt == 2008 or not report.get("table3"):
        return []
    t = table3_by_key(report)
    out: list[CheckFailure] = []
    cols = formats.TABLE3_COLUMNS
    outcome_keys = formats.TABLE3_OUTCOME_KEYS[fmt]
    needed = ("new", "carried_in", "r7_total", "carried_out")
    if all(k in t for k in needed):
        for c, col in enumerate(cols):
            a, b, h, d = (t[k][c] for k in needed)
            if not _known((a, b, h, d)):
                continue
            if not _close(a + b, h + d):
                out.append(
                    CheckFailure(
                        "H1",
                        "hard",
                        f"H1 第{c + 1}列（{col}）：一+二={fmt_num(a + b)}，三（七）+四={fmt_num(h + d)}",
                        [f"table3.{k}.{c}" for k in needed],
                        {"一": a, "二": b, "三（七）": h, "四": d},
                    )
                )
    if "r7_total" in t and all(k in t for k in outcome_keys):
        for c, col in enumerate(cols):
            parts = [t[k][c] for k in outcome_keys]
            total = t["r7_total"][c]
            if not _known([*parts, total]):
                continue
            if not _close(sum(parts), total):
                out.append(
                    CheckFailure(
                        "H2",
                        "hard",
                        f"H2 第{c + 1}列（{col}）：（七）总计={fmt_num(total)}，"
                        f"（一）至（六）各项之和={fmt_num(sum(parts))}",
                        [f"table3.r7_total.{c}", *(f"table3.{k}.{c}" for k in outcome_keys)],
                        {"（七）总计": total, "各项之和": sum(parts)},
                    )
                )
    for i, row in enumerate(formats.TABLE3_ROWS[fmt], start=1):
        values = _g(t, row.key)
        if values is None or not _known(values):
            continue
        parts, total = values[: formats.TOTAL_COLUMN], values[formats.TOTAL_COLUMN]
        if not _close(sum(parts), total):
            out.append(
                CheckFailure(
                    "H3",
                    "hard",
                    f"H3 第{i}行（{row.label}）：总计={fmt_num(total)}，各类申请人之和={fmt_num(sum(parts))}",
                    [f"table3.{row.key}.{c}" for c in range(len(cols))],
                    {"总计": total, "各类申请人之和": sum(parts)},
                )
            )
    return out


def check_table4(report: Mapping[str, Any]) -> list[CheckFailure]:
    """Run H4 on table 四."""
    t4 = report.get("table4")
    if not isinstance(t4, Mapping):
        return []
    out = []
    for group in formats.TABLE4_GROUPS:
        values = t4.get(group)
        if not isinstance(values, list) or len(values) != 5 or not _known(values):
            continue
        if not _close(sum(values[:4]), values[4]):
            out.append(
                CheckFailure(
                    "H4",
                    "hard",
                    f"H4 {group}：总计={fmt_num(values[4])}，结果维持+结果纠正+其他结果+尚未审结="
                    f"{fmt_num(sum(values[:4]))}",
                    [f"table4.{group}.{c}" for c in range(5)],
                    dict(zip(formats.TABLE4_COLUMNS, values, strict=True)),
                )
            )
    return out


def check_signs(report: Mapping[str, Any]) -> list[CheckFailure]:
    """Run S4: counts are non-negative integers (amounts may be decimal, 本年增/减 negative)."""
    out: list[CheckFailure] = []

    def bad(where: str, value: Any, decimal: bool = False, signed: bool = False) -> None:
        if not _known([value]):
            return
        if (not signed and value < 0) or (not decimal and not float(value).is_integer()):
            out.append(
                CheckFailure(
                    "S4",
                    "soft",
                    f"S4 {where}={fmt_num(value)}：应为非负整数",
                    [where],
                    {where: value},
                )
            )

    fmt = int(report.get("format") or 2021)
    if fmt == 2008:
        t = report.get("table2008") or {}
        for r8 in formats.TABLE2008_DATA_ROWS:
            bad(f"table2008.{r8.key}", _g(t, r8.key), r8.decimal)
        return out
    t2 = report.get("table2") or {}
    for block in formats.TABLE2[table2_format(report)].blocks:
        for row in block.rows:
            cells = t2.get(row.key) or {}
            for col in block.columns:
                bad(f"table2.{row.key}.{col.key}", cells.get(col.key), col.decimal, col.signed)
    for key, values in table3_by_key(report).items():
        for c, v in enumerate(values):
            bad(f"table3.{key}.{c}", v)
    for group, values in (report.get("table4") or {}).items():
        for c, v in enumerate(values or []):
            bad(f"table4.{group}.{c}", v)
    return out


def check_previous(report: Mapping[str, Any], previous: Mapping[str, Any]) -> list[CheckFailure]:
    """Run the cross-year checks S1, S2 and S3 against last year's report."""
    out: list[CheckFailure] = []
    this, last = table3_by_key(report), table3_by_key(previous)
    if "carried_in" in this and "carried_out" in last:
        for c, col in enumerate(formats.TABLE3_COLUMNS):
            a, b = this["carried_in"][c], last["carried_out"][c]
            if _known((a, b)) and not _close(a, b):
                out.append(
                    CheckFailure(
                        "S1",
                        "soft",
                        f"S1 第{c + 1}列（{col}）：本年“上年结转”={fmt_num(a)}，"
                        f"上年“结转下年度继续办理”={fmt_num(b)}",
                        [f"table3.carried_in.{c}"],
                        {"本年上年结转": a, "上年结转下年度": b},
                    )
                )
    t2, p2 = report.get("table2") or {}, previous.get("table2") or {}
    if table2_format(report) == 2021 and table2_format(previous) == 2021:
        for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
            cur, old = t2.get(key) or {}, p2.get(key) or {}
            vals = (
                _g(cur, "in_force"),
                _g(old, "in_force"),
                _g(cur, "issued"),
                _g(cur, "repealed"),
            )
            if _known(vals):
                expected = vals[1] + vals[2] - vals[3]
                if not _close(vals[0], expected):
                    out.append(
                        CheckFailure(
                            "S2",
                            "soft",
                            f"S2 {label}：现行有效件数={fmt_num(vals[0])}，上年现行有效{fmt_num(vals[1])}"
                            f"+本年制发{fmt_num(vals[2])}−本年废止{fmt_num(vals[3])}={fmt_num(expected)}",
                            [f"table2.{key}.in_force"],
                            {"现行有效件数": vals[0], "推算": expected},
                        )
                    )
    if table2_format(report) == 2019 and table2_format(previous) == 2019:
        for block in formats.TABLE2_2019.blocks:
            if "change" not in {c.key for c in block.columns}:
                continue
            for row in block.rows:
                cur, old = t2.get(row.key) or {}, p2.get(row.key) or {}
                items = (_g(cur, "previous_items"), _g(old, "previous_items"), _g(old, "change"))
                if _known(items) and not _close(items[0], items[1] + items[2]):
                    out.append(
                        CheckFailure(
                            "S3",
                            "soft",
                            f"S3 {row.label}：上一年项目数量={fmt_num(items[0])}，上年报告"
                            f"{fmt_num(items[1])}+本年增/减{fmt_num(items[2])}={fmt_num(items[1] + items[2])}",
                            [f"table2.{row.key}.previous_items"],
                            {"上一年项目数量": items[0], "推算": items[1] + items[2]},
                        )
                    )
    return out


def check_table2008(report: Mapping[str, Any]) -> list[CheckFailure]:
    """Run the implied sums (L1) and bounds (L2, L3) of the 2008 statistics table."""
    t = report.get("table2008")
    if not isinstance(t, Mapping):
        return []
    out: list[CheckFailure] = []
    by_key = formats.TABLE2008_BY_KEY

    def short(key: str) -> str:
        return short_label(by_key[key].label)

    for total_key, part_keys in formats.TABLE2008_SUMS:
        total, parts = _g(t, total_key), [_g(t, k) for k in part_keys]
        if not _known([total, *parts]):
            continue
        if not _close(total, sum(parts)):
            out.append(
                CheckFailure(
                    "L1",
                    "hard",
                    f"L1 {short(total_key)}={fmt_num(total)}，其分项之和="
                    + "+".join(fmt_num(p) for p in parts)
                    + f"={fmt_num(sum(parts))}",
                    [f"table2008.{k}" for k in (total_key, *part_keys)],
                    {short(k): _g(t, k) for k in (total_key, *part_keys)},
                )
            )
    for part_key, whole_key in formats.TABLE2008_BOUNDS:
        part, whole = _g(t, part_key), _g(t, whole_key)
        if _known((part, whole)) and part > whole:
            out.append(
                CheckFailure(
                    "L2",
                    "soft",
                    f"L2 {short(part_key)}={fmt_num(part)}，大于{short(whole_key)}={fmt_num(whole)}",
                    [f"table2008.{part_key}", f"table2008.{whole_key}"],
                    {short(part_key): part, short(whole_key): whole},
                )
            )
    items, channels = _g(t, "proactive_items"), [_g(t, k) for k in formats.TABLE2008_CHANNELS]
    if _known([items, *channels]) and items > sum(channels):
        out.append(
            CheckFailure(
                "L3",
                "soft",
                f"L3 主动公开政府信息数（相同信息计1条）={fmt_num(items)}，大于各渠道公开数之和"
                + "+".join(fmt_num(c) for c in channels)
                + f"={fmt_num(sum(channels))}",
                [
                    "table2008.proactive_items",
                    *(f"table2008.{k}" for k in formats.TABLE2008_CHANNELS),
                ],
                {"主动公开政府信息数": items, "各渠道之和": sum(channels)},
            )
        )
    return out


def run_checks(
    report: Mapping[str, Any], previous: Mapping[str, Any] | None = None
) -> list[CheckFailure]:
    """Run every table check on ``report`` (and the cross-year ones if ``previous`` is given)."""
    out = [*check_table3(report), *check_table4(report), *check_table2008(report)]
    out += check_signs(report)
    if previous is not None:
        out += check_previous(report, previous)
    return out


def has_hard_failure(failures: Sequence[CheckFailure]) -> bool:
    """Return whether any failure is of a hard identity."""
    return any(f.is_hard for f in failures)


# --------------------------------------------------------------------------------------------
# S6: the text against the tables
# --------------------------------------------------------------------------------------------

# Prose figure kind → (where the same figure sits in a table, Chinese name).
_PROSE_TO_TABLE3: dict[str, tuple[str, str]] = {
    "received": ("new", "本年新收政府信息公开申请数量"),
    "carried_in": ("carried_in", "上年结转政府信息公开申请数量"),
    "carried_out": ("carried_out", "结转下年度继续办理"),
    "result_open": ("r1_open", "予以公开"),
    "result_partial": ("r2_partial", "部分公开"),
}
_PROSE_TO_2008: dict[str, str] = {
    "received": "received",
    "closed": "closed",
    "closed_on_time": "closed_on_time",
    "closed_extended": "closed_extended",
    "replies": "replies",
    "result_open": "reply_open",
    "result_partial": "reply_partial",
    "result_refused": "reply_refused",
    "result_not_this_agency": "reply_not_this_agency",
    "result_not_exist": "reply_not_exist",
    "reviews": "reviews",
    "lawsuits": "lawsuits",
    "proactive_items": "proactive_items",
}


def check_prose_against_tables(
    figures: Sequence[Mapping[str, Any]], report: Mapping[str, Any]
) -> list[CheckFailure]:
    """Run S6: each kind of figure stated in the text should appear in the tables.

    A kind is flagged only when none of its stated values equals the table's figure (reports
    often state the same kind for several scopes, e.g. the office and the whole city).
    """
    by_kind: dict[str, list[Mapping[str, Any]]] = {}
    for fig in figures:
        by_kind.setdefault(str(fig["kind"]), []).append(fig)
    out: list[CheckFailure] = []
    fmt = report.get("format")
    for kind, figs in by_kind.items():
        table_value: Any
        if fmt == 2008:
            key = _PROSE_TO_2008.get(kind)
            table_value = (report.get("table2008") or {}).get(key) if key else None
            cell, name = f"table2008.{key}", formats.TABLE2008_BY_KEY[key].label if key else ""
        else:
            mapped = _PROSE_TO_TABLE3.get(kind)
            values = table3_by_key(report).get(mapped[0]) if mapped else None
            table_value = values[formats.TOTAL_COLUMN] if values else None
            cell = f"table3.{mapped[0]}.{formats.TOTAL_COLUMN}" if mapped else ""
            name = mapped[1] if mapped else ""
        if not _known([table_value]):
            continue
        stated = [f["value"] for f in figs]
        if any(_known([v]) and _close(v, table_value) for v in stated):
            continue
        first = figs[0]
        out.append(
            CheckFailure(
                "S6",
                "soft",
                f"S6 正文称{first.get('label', kind)}{'、'.join(fmt_num(v) for v in stated)}，"
                f"表格中“{name}”为{fmt_num(table_value)}",
                [cell],
                {"正文": stated, "表格": table_value, "句子": first.get("sentence")},
            )
        )
    return out
