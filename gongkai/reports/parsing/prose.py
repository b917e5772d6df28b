"""Figures stated in the running text, each with the sentence it came from, and their identities.

Reports that lost their tables (seed 004) or that predate them (seed 000) still state the
application figures in prose: "全市共受理政府信息依申请公开3721件……其中自然人2870件，法人或其他
组织847件。予以公开1298件，占34.88%……结转下年度继续办理5件". Each number with a unit is given
the kind named by the nearest preceding keyword, provided the words between them are only
"application words" (申请, 政府信息, 公开, 共 …), so "答复前征求市法制局意见8件" is *not* a reply
count. Figures are grouped by scope (全市, 市府办 …) within a section, and these identities run
on each group:

* **P1** applicant types (自然人 + 法人或其他组织, or the five types) = received (or received +
  carried in);
* **P2** outcomes (+ carried forward) = received + carried in;
* **P3** a stated share ("占34.88%") = figure ÷ received;
* **P4** closed = closed on time + closed after extension.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from ..checks import CheckFailure, fmt_num
from .normalize import nfkc, to_json_number
from .sources import Line

_APP_UNITS = ("件", "份", "宗", "个", "条", "次")
_CASE_UNITS = ("件", "起", "宗", "个", "次")
_ITEM_UNITS = ("条", "件", "篇", "份", "项", "个")
_MONEY_UNITS = ("元", "万元")

# kind, Chinese name, keyword pattern, accepted units, needs an application context
KINDS: tuple[tuple[str, str, str, tuple[str, ...], bool], ...] = (
    ("received", "收到申请", r"新收|收到|受理|接收|接到", _APP_UNITS, True),
    ("carried_in", "上年结转", r"上一?年度?结转", _APP_UNITS, True),
    ("carried_out", "结转下年度", r"结转(?:至|到)?下一?年度?", _APP_UNITS, True),
    ("closed", "办结", r"办结", _APP_UNITS, True),
    ("closed_on_time", "按时办结", r"按[时期]办结", _APP_UNITS, True),
    ("closed_extended", "延期办结", r"延期办结", _APP_UNITS, True),
    ("replies", "答复", r"答复", _APP_UNITS, True),
    ("applicants_natural", "自然人", r"自然人", _APP_UNITS, True),
    ("applicants_legal", "法人或其他组织", r"法人(?:或|和|及)其他组织", _APP_UNITS, True),
    ("applicants_commercial", "商业企业", r"商业企业", _APP_UNITS, True),
    ("applicants_research", "科研机构", r"科研机构", _APP_UNITS, True),
    ("applicants_public_interest", "社会公益组织", r"社会公益组织", _APP_UNITS, True),
    ("applicants_legal_services", "法律服务机构", r"法律服务机构", _APP_UNITS, True),
    ("result_open", "予以公开", r"予以公开|同意公开(?:答复)?", _APP_UNITS, True),
    ("result_partial", "部分公开", r"(?:同意)?部分公开(?:答复)?", _APP_UNITS, True),
    ("result_refused", "不予公开", r"(?:不予公开|不同意公开)(?:答复)?", _APP_UNITS, True),
    ("result_unable", "无法提供", r"无法提供", _APP_UNITS, True),
    ("result_not_handled", "不予处理", r"不予处理", _APP_UNITS, True),
    ("result_other", "其他处理", r"其他(?:处理)?", _APP_UNITS, True),
    (
        "result_not_this_agency",
        "不属于本机关公开",
        r"不属于本(?:行政)?机关|非本(?:行政)?机关",
        _APP_UNITS,
        True,
    ),
    ("result_not_exist", "信息不存在", r"信息不存在", _APP_UNITS, True),
    ("reviews", "行政复议", r"行政复议", _CASE_UNITS, False),
    ("lawsuits", "行政诉讼", r"行政诉讼", _CASE_UNITS, False),
    ("proactive_items", "主动公开信息", r"主动公开", _ITEM_UNITS, False),
    ("fees", "收取费用", r"收取|收费|信息处理费", _MONEY_UNITS, False),
)
KIND_LABELS = {k[0]: k[1] for k in KINDS}
_KEYWORDS = [(kind, re.compile(pat)) for kind, _, pat, _, _ in KINDS]
_UNITS = {k[0]: k[3] for k in KINDS}
_NEEDS_APP = {k[0] for k in KINDS if k[4]}
RESULT_KINDS = (
    "result_open",
    "result_partial",
    "result_refused",
    "result_unable",
    "result_not_handled",
    "result_other",
    "result_not_this_agency",
    "result_not_exist",
)
APPLICANT_SUBTYPES = (
    "applicants_commercial",
    "applicants_research",
    "applicants_public_interest",
    "applicants_legal_services",
)
_GAP = re.compile(
    r"^(?:政府|政务|信息|依|申请|公开|的|了|共|计|合|总|各类|类|数量|为|达|有|全部|答复|继续|办理|"
    r"案件|事项|件数|等|情况|提出|在内|各项|相关|费用|任何|其中|包括|含|已|均|依法)*$"
)
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万元|元|件|份|宗|起|个|条|篇|项|次)")
_SHARE = re.compile(r"^\s*[，,]?\s*占(?:比)?[^\d，,。；]{0,10}?(\d+(?:\.\d+)?)\s*[%％]")
_SENTENCE = re.compile(r"[^。；;！!？?]+[。；;！!？?]?")
_SCOPE = re.compile(
    r"(全(?:省|市|县|区|州|盟|旗|镇|乡)(?:各级(?:行政机关|政府)?)?|[市县区]本级|本机关|本单位|本部门|"
    r"本局|本委|我(?:市|县|区|局|委|办|厅|镇|乡)|[市县区]府办|[\u4e00-\u9fa5]{1,8}?(?:办公室|办公厅))"
)
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
_NEGATED = {
    "reviews": re.compile(r"(?:未|没有|无)(?:发生|收到|出现|产生|接到)?[^。；\d]{0,40}?行政复议"),
    "lawsuits": re.compile(r"(?:未|没有|无)(?:发生|收到|出现|产生|接到)?[^。；\d]{0,40}?行政诉讼"),
    "fees": re.compile(r"(?:未|没有|不|无|免)[^。；\d]{0,20}?(?:收取|收费)[^。；\d]{0,30}?费"),
}


@dataclass
class ProseFigure:
    """A figure stated in the text."""

    kind: str
    label: str
    value: int | float
    unit: str
    sentence: str
    source: dict[str, Any]
    scope: str | None = None
    share: float | None = None
    stated: str = "number"  # "number", or "negation" for "未发生……行政复议" (= 0)
    group: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the figure as JSON-ready data."""
        return asdict(self)


def extract_figures(lines: Sequence[Line]) -> list[ProseFigure]:
    """Return every figure stated in the running text, in order."""
    figures: list[ProseFigure] = []
    section = 0
    scopes: dict[int, str | None] = {}
    group_ids: dict[tuple[int, str | None], int] = {}
    for line in lines:
        text = nfkc(line.text)
        if _HEADING.match(text) and len(text) <= 40:
            section += 1
        scope: str | None = None
        for m in _SENTENCE.finditer(text):
            sentence = m.group(0).strip()
            if not sentence:
                continue
            found = _sentence_figures(sentence, line, scope)
            if found:
                scope = found[0].scope
            for fig in found:
                key = (section, fig.scope)
                fig.group = group_ids.setdefault(key, len(group_ids))
                figures.append(fig)
        scopes[section] = scope
    return figures


def _sentence_figures(sentence: str, line: Line, scope: str | None) -> list[ProseFigure]:
    app_context = "申请" in sentence
    out: list[ProseFigure] = []
    prev_end = 0
    has_results = False
    first_kw = None
    for m in _NUMBER.finditer(sentence):
        segment = sentence[prev_end : m.start()]
        prev_end = m.end()
        best: tuple[int, int, str] | None = None  # (end, length, kind)
        for kind, pattern in _KEYWORDS:
            for km in pattern.finditer(segment):
                cand = (km.end(), km.end() - km.start(), kind)
                if best is None or cand[:2] > best[:2]:
                    best = cand
        if best is None:
            continue
        end, length, kind = best
        if not _GAP.match(segment[end:]):
            continue
        unit = m.group(2)
        if unit not in _UNITS[kind] or (kind in _NEEDS_APP and not app_context):
            continue
        if kind == "result_other" and not has_results:
            continue
        has_results = has_results or kind in RESULT_KINDS
        if first_kw is None:
            first_kw = m.start() - len(segment) + end - length
        share_m = _SHARE.match(sentence[m.end() :])
        value = to_json_number(Decimal(m.group(1))) or 0
        out.append(
            ProseFigure(
                kind,
                KIND_LABELS[kind],
                value,
                unit,
                sentence,
                line.source,
                share=float(share_m.group(1)) if share_m else None,
            )
        )
    for kind, pattern in _NEGATED.items():
        if not any(f.kind == kind for f in out) and pattern.search(sentence):
            out.append(
                ProseFigure(
                    kind, KIND_LABELS[kind], 0, "", sentence, line.source, stated="negation"
                )
            )
    if out:
        head = sentence[: first_kw if first_kw is not None else len(sentence)]
        scopes = _SCOPE.findall(head)
        found_scope = scopes[-1] if scopes else scope
        for fig in out:
            fig.scope = found_scope
    return out


def _first(figs: Sequence[ProseFigure], kind: str) -> ProseFigure | None:
    return next((f for f in figs if f.kind == kind and f.stated == "number"), None)


def check_figures(figures: Sequence[ProseFigure]) -> list[CheckFailure]:
    """Run the identities P1–P4 that the stated figures allow, per scope group."""
    groups: dict[int, list[ProseFigure]] = {}
    for fig in figures:
        groups.setdefault(fig.group, []).append(fig)
    out: list[CheckFailure] = []
    for figs in groups.values():
        out += _check_group(figs)
    return out


def _check_group(figs: Sequence[ProseFigure]) -> list[CheckFailure]:
    out: list[CheckFailure] = []
    received, carried_in = _first(figs, "received"), _first(figs, "carried_in")
    scope = figs[0].scope or ""
    where = f"（{scope}）" if scope else ""
    if received is not None:
        r = received.value
        c = carried_in.value if carried_in is not None else None
        targets = [r] if c is None else [r, r + c]
        target_text = f"收到申请{fmt_num(r)}" + (
            f"（加上年结转{fmt_num(c)}为{fmt_num(r + c)}）" if c is not None else ""
        )
        natural = _first(figs, "applicants_natural")
        legal = _first(figs, "applicants_legal")
        subtypes = [f for f in (_first(figs, k) for k in APPLICANT_SUBTYPES) if f is not None]
        parts = [natural, legal] if legal is not None else [natural, *subtypes]
        if natural is not None and len(parts) >= 2:
            total = sum(p.value for p in parts if p is not None)
            if total not in targets:
                text = "+".join(f"{p.label}{fmt_num(p.value)}" for p in parts if p is not None)
                out.append(
                    CheckFailure(
                        "P1",
                        "soft",
                        f"P1 正文{where}申请人类型之和与收到申请数不符：{text}={fmt_num(total)}，{target_text}",
                        [],
                        {
                            "申请人类型之和": total,
                            "收到申请": r,
                            "上年结转": c,
                            "句子": [p.sentence for p in parts if p is not None],
                        },
                    )
                )
        results = [f for f in (_first(figs, k) for k in RESULT_KINDS) if f is not None]
        carried_out = _first(figs, "carried_out")
        if len(results) >= 2:
            handled = sum(f.value for f in results)
            text = "+".join(f"{f.label}{fmt_num(f.value)}" for f in results)
            if carried_out is not None:
                lhs = handled + carried_out.value
                ok = lhs == (r + (c or 0))
                text += f"+结转下年度{fmt_num(carried_out.value)}"
            else:
                lhs = handled
                ok = lhs in targets
            if not ok:
                out.append(
                    CheckFailure(
                        "P2",
                        "soft",
                        f"P2 正文{where}办理结果与收到申请数不符：{text}={fmt_num(lhs)}，{target_text}"
                        + (
                            f"，相差{fmt_num(abs(r + (c or 0) - lhs))}"
                            if carried_out is not None
                            else ""
                        ),
                        [],
                        {
                            "办理结果之和": lhs,
                            "收到申请": r,
                            "上年结转": c,
                            "句子": sorted({f.sentence for f in results}),
                        },
                    )
                )
        for fig in figs:
            if fig.share is None or not targets:
                continue
            ok = any(t and abs(fig.value / t * 100 - fig.share) < 0.0101 for t in targets)
            if not ok:
                actual = fig.value / r * 100 if r else 0
                out.append(
                    CheckFailure(
                        "P3",
                        "soft",
                        f"P3 正文{where}称{fig.label}{fmt_num(fig.value)}占{fmt_num(fig.share)}%，"
                        f"按收到申请{fmt_num(r)}计算为{actual:.2f}%",
                        [],
                        {"所称比例": fig.share, "计算比例": round(actual, 2), "句子": fig.sentence},
                    )
                )
    closed, on_time, extended = (
        _first(figs, k) for k in ("closed", "closed_on_time", "closed_extended")
    )
    if closed is not None and on_time is not None and extended is not None:
        if closed.value != on_time.value + extended.value:
            out.append(
                CheckFailure(
                    "P4",
                    "soft",
                    f"P4 正文{where}办结{fmt_num(closed.value)}，按时办结{fmt_num(on_time.value)}+延期办结"
                    f"{fmt_num(extended.value)}={fmt_num(on_time.value + extended.value)}",
                    [],
                    {
                        "办结": closed.value,
                        "按时+延期": on_time.value + extended.value,
                        "句子": closed.sentence,
                    },
                )
            )
    return out
