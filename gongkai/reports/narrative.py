"""Draft the prose sections 一, 五 and 六 from the figures, as real reports write them.

The platform writes the factual sentences — totals, year-on-year changes and shares in the
style of published reports ("全年共收到政府信息公开申请3721件，同比增长126.47%……予以公开1298件，
占34.88%") — and leaves marked gaps (【请填写：……】) for what only the office knows. Officers
then edit the prose; the tables are never edited here. Pure functions: no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from gongkai.reports import formats
from gongkai.reports.schema import table3_by_key

#: Marks a gap the office must fill in; publication is refused while one is left.
GAP_OPEN = "【请填写："
GAP_CLOSE = "】"


def gap(text: str) -> str:
    """Return a marked gap for the office to fill in."""
    return f"{GAP_OPEN}{text}{GAP_CLOSE}"


def has_gaps(narrative: Mapping[str, str]) -> bool:
    """True if any section still holds a marked gap."""
    return any(GAP_OPEN in (text or "") for text in narrative.values())


def percent(part: float, whole: float) -> str:
    """Return ``part`` as a share of ``whole`` with two decimals, e.g. ``34.88%``."""
    if not whole:
        return "0%"
    return f"{Decimal(100 * part / whole).quantize(Decimal('0.01'))}%"


def change(current: float, previous: float | None, previous_year: int) -> str:
    """Return the year-on-year change phrase, e.g. ``同比增长126.47%（2024年1643件）``."""
    if previous is None:
        return ""
    if not previous:
        return f"，上年（{previous_year}年）为0件" if current else "，与上年持平"
    if current == previous:
        return f"，与上年持平（{previous_year}年{fmt(previous)}件）"
    word = "增长" if current > previous else "下降"
    rate = Decimal(abs(current - previous) * 100 / previous).quantize(Decimal("0.01"))
    return f"，同比{word}{rate}%（{previous_year}年{fmt(previous)}件）"


def fmt(value: Any) -> str:
    """Format a figure (integers without decimals)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _total(table: Mapping[str, list[Any]], key: str) -> int | float:
    values = table.get(key)
    return (values[formats.TOTAL_COLUMN] or 0) if values else 0


def _group_total(table: Mapping[str, list[Any]], prefix: str) -> int | float:
    return sum(_total(table, k) for k in table if k.startswith(prefix) and k != "r7_total")


def _subject(report: Mapping[str, Any]) -> str:
    return "本级政府及所属部门、下级政府" if report.get("scope") == "汇总" else "本机关"


def section_one(report: Mapping[str, Any], previous: Mapping[str, Any] | None) -> str:
    """Draft 一、总体情况: the five sub-sections, with figures where the platform has them."""
    year = report.get("year")
    t3 = table3_by_key(report)
    prev3 = table3_by_key(previous) if previous and previous.get("table3") else {}
    prev_new = _total(prev3, "new") if prev3 else _previous_2008(previous, "received")
    t2 = report.get("table2") or {}

    def t2v(row: str, col: str) -> str:
        return fmt((t2.get(row) or {}).get(col) or 0)

    lines = ["（一）主动公开"]
    if report.get("table2_format", report.get("format")) == 2021 and t2:
        lines.append(
            f"{year}年，{_subject(report)}本年制发规章{t2v('regulations', 'issued')}件、"
            f"行政规范性文件{t2v('normative_documents', 'issued')}件，废止规章{t2v('regulations', 'repealed')}件、"
            f"行政规范性文件{t2v('normative_documents', 'repealed')}件，现行有效规章{t2v('regulations', 'in_force')}件、"
            f"行政规范性文件{t2v('normative_documents', 'in_force')}件；本年作出行政许可决定{t2v('licensing', 'decisions')}件、"
            f"行政处罚决定{t2v('penalties', 'decisions')}件、行政强制决定{t2v('coercion', 'decisions')}件；"
            f"收取行政事业性收费{t2v('fees', 'amount')}万元。"
        )
    overview = (report.get("figures") or {}).get("overview") or {}
    lines.extend(engagement_sentences(overview))
    lines.append(gap("主动公开工作的主要做法，如重点领域信息公开、政策解读、回应关切等"))
    lines.append("（二）依申请公开")
    new = _total(t3, "new")
    total = _total(t3, "r7_total")
    persons = (t3.get("new") or [0])[0] or 0
    sentence = f"全年共收到政府信息公开申请{fmt(new)}件{change(new, prev_new, (year or 0) - 1)}"
    sentence += f"；其中自然人申请{fmt(persons)}件，占{percent(persons, new)}；"
    sentence += f"法人或其他组织申请{fmt(new - persons)}件，占{percent(new - persons, new)}。"
    sentence += f"上年结转{fmt(_total(t3, 'carried_in'))}件。"
    parts = [
        ("予以公开", _total(t3, "r1_open")),
        ("部分公开", _total(t3, "r2_partial")),
        ("不予公开", _group_total(t3, "r3")),
        ("无法提供", _group_total(t3, "r4")),
        ("不予处理", _group_total(t3, "r5")),
        ("其他处理", _group_total(t3, "r6")),
    ]
    sentence += f"全年办结{fmt(total)}件，其中" + "，".join(
        f"{name}{fmt(n)}件，占{percent(n, total)}" for name, n in parts
    )
    sentence += f"。结转下年度继续办理{fmt(_total(t3, 'carried_out'))}件。"
    lines.append(sentence)
    fees = (report.get("figures") or {}).get("fees") or {}
    if fees:
        lines.append(f"全年收取信息处理费{fees.get('amount_yuan', '0.00')}元。")
    lines.append("（三）政府信息管理")
    lines.append(gap("政府信息管理工作情况，如公开属性源头认定、保密审查、规范性文件清理等"))
    lines.append("（四）政府信息公开平台建设")
    lines.extend(gazette_sentences(overview, year))
    lines.append(gap("政府网站、政务新媒体、政府公报、查阅点等平台建设情况"))
    lines.append("（五）监督保障")
    t4 = report.get("table4") or {}
    reviews = (t4.get("行政复议") or [0] * 5)[4]
    suits = sum((t4.get(g) or [0] * 5)[4] for g in ("未经复议直接起诉", "复议后起诉"))
    corrected = sum((t4.get(g) or [0] * 5)[1] for g in formats.TABLE4_GROUPS)
    lines.append(
        f"本年度因政府信息公开被申请行政复议{fmt(reviews)}件、被提起行政诉讼{fmt(suits)}件，"
        f"其中结果纠正{fmt(corrected)}件。"
    )
    lines.append(gap("工作考核、社会评议和责任追究结果情况，培训和监督检查情况"))
    return "\n".join(lines)


def gazette_sentences(overview: Mapping[str, Any], year: Any) -> list[str]:
    """政府公报 figures from the record: 期数, 印数 and 刊登文件数 (none when no issue)."""
    g = overview.get("gazette") or {}
    if not g.get("issues"):
        return []
    extra = f"（其中增刊、特刊{g['extra_issues']}期）" if g.get("extra_issues") else ""
    copies = f"，共印发{fmt(g['copies'])}册" if g.get("copies") else ""
    return [
        f"{year}年编印《{overview.get('gazette_name') or '政府公报'}》{g['issues']}期{extra}"
        f"{copies}，刊登文件{g['documents']}份，电子版同步在政府网站公报栏目发布。"
    ]


def engagement_sentences(overview: Mapping[str, Any]) -> list[str]:
    """解读, 发布会, 访谈, 征求意见 and 信箱/热线 figures from the record (only those not zero)."""
    e = overview.get("engagement") or {}
    out = []
    parts = []
    if overview.get("interpretations"):
        parts.append(f"发布政策解读{overview['interpretations']}篇")
    if e.get("press_conferences"):
        parts.append(f"召开新闻发布会{e['press_conferences']}场")
    if e.get("interviews"):
        parts.append(f"开展在线访谈{e['interviews']}次")
    if e.get("responses"):
        parts.append(f"回应社会关切{e['responses']}次")
    if parts:
        out.append("全年" + "，".join(parts) + "。")
    if e.get("consultations"):
        sentence = f"就{e['consultations']}件草案公开征求意见，收到并受理意见{e['comments']}条"
        if e.get("comments"):
            sentence += (
                f"，其中采纳{e['adopted']}条、部分采纳{e['partly_adopted']}条、"
                f"未采纳{e['not_adopted']}条"
            )
        sentence += f"；{e['consultations_concluded']}件已公布意见采纳情况。"
        out.append(sentence)
    if e.get("messages"):
        out.append(
            f"政务信箱收到留言{e['messages']}件，已答复{e['messages_replied']}件，"
            f"办结率{percent(e['messages_replied'], e['messages'])}。"
        )
    if e.get("hotline_referred"):
        out.append(
            f"热线转办工单{fmt(e['hotline_referred'])}件，办结{fmt(e['hotline_completed'])}件，"
            f"办结率{percent(e['hotline_completed'], e['hotline_referred'])}。"
        )
    return out


def _previous_2008(previous: Mapping[str, Any] | None, key: str) -> Any:
    if not previous or previous.get("format") != 2008:
        return None
    return (previous.get("table2008") or {}).get(key)


def section_five(report: Mapping[str, Any], previous_narrative: Mapping[str, str] | None) -> str:
    """Draft 五、存在的主要问题及改进情况, quoting last year's problems when the platform has them."""
    year = int(report.get("year") or 0)
    lines = [f"（一）{year - 1}年工作中存在问题的改进情况"]
    last = (previous_narrative or {}).get("五") or ""
    if "（二）" in last:
        problems = last.split("（二）", 1)[1].split("\n", 1)[-1].strip()
        lines.append(f"上年报告指出的问题：{problems}")
    lines.append(gap("上年问题逐项改进的情况"))
    lines.append(f"（二）{year}年工作中存在的主要问题")
    lines.append(gap("本年工作中存在的主要问题及改进措施"))
    return "\n".join(lines)


def section_six(report: Mapping[str, Any]) -> str:
    """Draft 六、其他需要报告的事项: fees from the records, and the three usual items."""
    year = report.get("year")
    fees = (report.get("figures") or {}).get("fees") or {}
    lines = ["（一）收取信息处理费情况"]
    amount = Decimal(str(fees.get("amount_yuan") or "0"))
    if amount:
        lines.append(
            f"{year}年，依据《政府信息公开信息处理费管理办法》收取信息处理费{amount}元，"
            f"涉及{fees.get('cases', 0)}件申请。"
        )
    else:
        lines.append(f"{year}年，未收取政府信息公开信息处理费。")
    lines.append("（二）落实上级年度政务公开工作要点情况")
    lines.append(gap("本年度政务公开工作要点的落实情况"))
    lines.append("（三）人大代表建议和政协提案办理结果公开情况")
    lines.append(gap("人大代表建议和政协提案办理结果公开情况"))
    lines.append("（四）年度政务公开工作创新情况")
    lines.append(gap("政务公开工作创新情况"))
    return "\n".join(lines)


def draft(
    report: Mapping[str, Any],
    previous: Mapping[str, Any] | None = None,
    previous_narrative: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Return the drafted sections ``{"一": …, "五": …, "六": …}``."""
    return {
        "一": section_one(report, previous),
        "五": section_five(report, previous_narrative),
        "六": section_six(report),
    }
