"""The official annual-report tables: one definition for the builder, the parser and the checks.

Pure Python, no database. Everything here follows ``shared/spec/legal-spec.md`` §4 (the unified
formats of 国办公开办函〔2019〕60号 and 〔2021〕30号) and §5 (the 2008-era statistics table).
Labels are reproduced character for character; keys are the stable English names used in the
JSON report (``docs/report-json-schema.md``).

Three formats exist:

* ``2021`` — 30号, for the 2021 reports onward: table 二 with 6 rows / 9 cells, table 三 with
  25 data rows (（六）其他处理 split into three sub-rows), table 四 with 15 cells.
* ``2019`` — 60号 (试行), for the 2019 and 2020 reports: table 二 with 8 rows (adds
  其他对外管理服务事项 and 政府集中采购), table 三 with 23 rows, table 四 unchanged.
* ``2008`` — the statistics table (政府信息公开情况统计表) that accompanied reports until
  the 2018 reports: one column of figures with units.

Table 二 and table 三 are detected independently by the parser: a 2023 report may still use
the 2019 table 二 (spec §4.0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

FormatYear = Literal[2021, 2019, 2008]
FORMATS: Final[tuple[int, ...]] = (2021, 2019, 2008)


def format_for_year(year: int) -> int:
    """Return the format a report for ``year`` must use (spec §4.0)."""
    if year >= 2021:
        return 2021
    if year >= 2019:
        return 2019
    return 2008


# --------------------------------------------------------------------------------------------
# Section headings (spec §4.1)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One of the six numbered sections of a report."""

    number: str
    heading: str
    variants: tuple[str, ...] = ()


SECTIONS: Final[tuple[Section, ...]] = (
    Section("一", "一、总体情况"),
    Section("二", "二、主动公开政府信息情况"),
    Section("三", "三、收到和处理政府信息公开申请情况"),
    Section(
        "四",
        "四、政府信息公开行政复议、行政诉讼情况",
        ("四、政府信息公开行政复议和行政诉讼情况", "四、政府信息公开行政复议及行政诉讼情况"),
    ),
    Section(
        "五",
        "五、存在的主要问题及改进情况",
        ("五、政府信息公开工作存在的主要问题及改进情况", "五、存在问题及改进情况"),
    ),
    Section("六", "六、其他需要报告的事项"),
)

# --------------------------------------------------------------------------------------------
# Table 二 — 主动公开政府信息情况 (spec §4.2)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table2Column:
    """A numeric column of a table-二 block."""

    key: str
    label: str
    decimal: bool = False  # amounts (万元) may be decimal; counts are integers
    signed: bool = False  # 本年增/减 may be negative


@dataclass(frozen=True)
class Table2Row:
    """A data row of table 二 (one kind of information, e.g. 规章)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()  # other wordings seen in published reports


@dataclass(frozen=True)
class Table2Block:
    """A block of table 二: its caption row (第二十条第（X）项), header and data rows."""

    caption: str
    columns: tuple[Table2Column, ...]
    rows: tuple[Table2Row, ...]
    first_header: str = "信息内容"


@dataclass(frozen=True)
class Table2Format:
    """Table 二 of one format."""

    format: int
    blocks: tuple[Table2Block, ...]

    def cells(self) -> list[tuple[Table2Block, Table2Row, Table2Column]]:
        """Return every numeric cell in reading order."""
        return [(b, r, c) for b in self.blocks for r in b.rows for c in b.columns]

    def row_keys(self) -> list[str]:
        """Return the data-row keys in order."""
        return [r.key for b in self.blocks for r in b.rows]

    def block_for(self, row_key: str) -> Table2Block:
        """Return the block a row belongs to."""
        for block in self.blocks:
            if any(r.key == row_key for r in block.rows):
                return block
        raise KeyError(row_key)


_DECISIONS_2021 = (Table2Column("decisions", "本年处理决定数量"),)

TABLE2_2021: Final = Table2Format(
    2021,
    (
        Table2Block(
            "第二十条第（一）项",
            (
                Table2Column("issued", "本年制发件数"),
                Table2Column("repealed", "本年废止件数"),
                Table2Column("in_force", "现行有效件数"),
            ),
            (
                Table2Row("regulations", "规章"),
                Table2Row("normative_documents", "行政规范性文件", ("规范性文件",)),
            ),
        ),
        Table2Block("第二十条第（五）项", _DECISIONS_2021, (Table2Row("licensing", "行政许可"),)),
        Table2Block(
            "第二十条第（六）项",
            _DECISIONS_2021,
            (Table2Row("penalties", "行政处罚"), Table2Row("coercion", "行政强制")),
        ),
        Table2Block(
            "第二十条第（八）项",
            (Table2Column("amount", "本年收费金额（单位：万元）", decimal=True),),
            (Table2Row("fees", "行政事业性收费"),),
        ),
    ),
)

_ITEMS_2019 = (
    Table2Column("previous_items", "上一年项目数量"),
    Table2Column("change", "本年增/减", signed=True),
    Table2Column("decisions", "处理决定数量"),
)

TABLE2_2019: Final = Table2Format(
    2019,
    (
        Table2Block(
            "第二十条第（一）项",
            (
                Table2Column("made", "本年新制作数量"),
                Table2Column("published", "本年新公开数量"),
                Table2Column("total_published", "对外公开总数量"),
            ),
            (
                Table2Row("regulations", "规章"),
                Table2Row("normative_documents", "规范性文件", ("行政规范性文件",)),
            ),
        ),
        Table2Block(
            "第二十条第（五）项",
            _ITEMS_2019,
            (
                Table2Row("licensing", "行政许可"),
                Table2Row("other_services", "其他对外管理服务事项"),
            ),
        ),
        Table2Block(
            "第二十条第（六）项",
            _ITEMS_2019,
            (Table2Row("penalties", "行政处罚"), Table2Row("coercion", "行政强制")),
        ),
        Table2Block(
            "第二十条第（八）项",
            _ITEMS_2019[:2],
            (Table2Row("fees", "行政事业性收费"),),
        ),
        Table2Block(
            "第二十条第（九）项",
            (
                Table2Column("items", "采购项目数量"),
                Table2Column("amount", "采购总金额", decimal=True),
            ),
            (Table2Row("procurement", "政府集中采购"),),
        ),
    ),
)

TABLE2: Final[dict[int, Table2Format]] = {2021: TABLE2_2021, 2019: TABLE2_2019}

# Header words that only one variant of table 二 uses (for detection).
TABLE2_MARKERS: Final[dict[int, tuple[str, ...]]] = {
    2021: ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
    2019: (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "采购总金额",
        "政府集中采购",
        "其他对外管理服务事项",
    ),
}

# --------------------------------------------------------------------------------------------
# Table 三 — 收到和处理政府信息公开申请情况 (spec §4.3)
# --------------------------------------------------------------------------------------------

TABLE3_NOTE: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_APPLICANTS: Final = "申请人情况"
TABLE3_LEGAL_PERSONS: Final = "法人或其他组织"
TABLE3_COLUMNS: Final[tuple[str, ...]] = (
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)
TABLE3_COLUMN_KEYS: Final[tuple[str, ...]] = (
    "natural_persons",
    "commercial",
    "research",
    "public_interest",
    "legal_services",
    "other",
    "total",
)
TOTAL_COLUMN: Final = 6


@dataclass(frozen=True)
class Table3Row:
    """A data row of table 三 with its three label levels (empty string: no such level)."""

    key: str
    level1: str
    level2: str = ""
    level3: str = ""
    # Distinctive fragments that identify the row in published text (after normalisation).
    stems: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """Return the most specific label (what the row's own label cell says)."""
        return self.level3 or self.level2 or self.level1

    @property
    def full_label(self) -> str:
        """Return the label path, e.g. ``三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密``."""
        return " / ".join(p for p in (self.level1, self.level2, self.level3) if p)


_L3 = "三、本年度办理结果"
_OPEN = "（一）予以公开"
_PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
_REFUSED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOT_HANDLED = "（五）不予处理"
_OTHER = "（六）其他处理"

_TABLE3_HEAD: Final = (
    Table3Row("new", "一、本年新收政府信息公开申请数量", stems=("本年新收",)),
    Table3Row("carried_in", "二、上年结转政府信息公开申请数量", stems=("上年结转",)),
    Table3Row("r1_open", _L3, _OPEN, stems=("予以公开",)),
    Table3Row("r2_partial", _L3, _PARTIAL, stems=("部分公开",)),
    Table3Row("r3_1", _L3, _REFUSED, "1.属于国家秘密", stems=("国家秘密",)),
    Table3Row("r3_2", _L3, _REFUSED, "2.其他法律行政法规禁止公开", stems=("法律行政法规禁止",)),
    Table3Row("r3_3", _L3, _REFUSED, "3.危及“三安全一稳定”", stems=("三安全一稳定",)),
    Table3Row("r3_4", _L3, _REFUSED, "4.保护第三方合法权益", stems=("第三方合法权益",)),
    Table3Row("r3_5", _L3, _REFUSED, "5.属于三类内部事务信息", stems=("三类内部事务",)),
    Table3Row("r3_6", _L3, _REFUSED, "6.属于四类过程性信息", stems=("四类过程性",)),
    Table3Row("r3_7", _L3, _REFUSED, "7.属于行政执法案卷", stems=("行政执法案卷",)),
    Table3Row("r3_8", _L3, _REFUSED, "8.属于行政查询事项", stems=("行政查询事项",)),
    Table3Row("r4_1", _L3, _UNABLE, "1.本机关不掌握相关政府信息", stems=("不掌握相关政府信息",)),
    Table3Row("r4_2", _L3, _UNABLE, "2.没有现成信息需要另行制作", stems=("没有现成信息",)),
    Table3Row("r4_3", _L3, _UNABLE, "3.补正后申请内容仍不明确", stems=("补正后申请内容",)),
    Table3Row("r5_1", _L3, _NOT_HANDLED, "1.信访举报投诉类申请", stems=("信访举报投诉",)),
    Table3Row("r5_2", _L3, _NOT_HANDLED, "2.重复申请", stems=("重复申请",)),
    Table3Row("r5_3", _L3, _NOT_HANDLED, "3.要求提供公开出版物", stems=("公开出版物",)),
    Table3Row("r5_4", _L3, _NOT_HANDLED, "4.无正当理由大量反复申请", stems=("大量反复申请",)),
    Table3Row(
        "r5_5",
        _L3,
        _NOT_HANDLED,
        "5.要求行政机关确认或重新出具已获取信息",
        stems=("确认或重新出具",),
    ),
)
_TABLE3_TAIL: Final = (
    Table3Row("r7_total", _L3, "（七）总计", stems=("总计",)),
    Table3Row("carried_out", "四、结转下年度继续办理", stems=("结转下年度",)),
)

TABLE3_ROWS_2021: Final[tuple[Table3Row, ...]] = (
    *_TABLE3_HEAD,
    Table3Row(
        "r6_1",
        _L3,
        _OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        stems=("逾期不补正",),
    ),
    Table3Row(
        "r6_2",
        _L3,
        _OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        stems=("缴纳费用",),
    ),
    Table3Row("r6_3", _L3, _OTHER, "3.其他", stems=("其他",)),
    *_TABLE3_TAIL,
)
TABLE3_ROWS_2019: Final[tuple[Table3Row, ...]] = (
    *_TABLE3_HEAD,
    Table3Row("r6", _L3, _OTHER, stems=("其他处理",)),
    *_TABLE3_TAIL,
)
TABLE3_ROWS: Final[dict[int, tuple[Table3Row, ...]]] = {
    2021: TABLE3_ROWS_2021,
    2019: TABLE3_ROWS_2019,
}
# Rows whose sum is （七）总计 (identity H2).
TABLE3_OUTCOME_KEYS: Final[dict[int, tuple[str, ...]]] = {
    fmt: tuple(r.key for r in rows if r.key.startswith("r") and r.key != "r7_total")
    for fmt, rows in TABLE3_ROWS.items()
}


def table3_row(fmt: int, key: str) -> Table3Row:
    """Return the table-三 row ``key`` of format ``fmt``."""
    for row in TABLE3_ROWS[fmt]:
        if row.key == key:
            return row
    raise KeyError(key)


# --------------------------------------------------------------------------------------------
# Table 四 — 政府信息公开行政复议、行政诉讼情况 (spec §4.4)
# --------------------------------------------------------------------------------------------

TABLE4_GROUPS: Final[tuple[str, ...]] = ("行政复议", "未经复议直接起诉", "复议后起诉")
TABLE4_LITIGATION: Final = "行政诉讼"
TABLE4_COLUMNS: Final[tuple[str, ...]] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
TABLE4_HEADER_WORDS: Final[frozenset[str]] = frozenset(
    (*TABLE4_GROUPS, TABLE4_LITIGATION, *TABLE4_COLUMNS)
)

# --------------------------------------------------------------------------------------------
# The 2008-era statistics table (spec §5)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row2008:
    """A row of the 2008-era statistics table. ``unit`` is empty for heading rows."""

    key: str
    label: str
    unit: str
    stems: tuple[str, ...]
    decimal: bool = False

    @property
    def is_heading(self) -> bool:
        """Return whether the row is a heading without a figure."""
        return not self.unit


def _r(key: str, label: str, unit: str, *stems: str, decimal: bool = False) -> Row2008:
    return Row2008(key, label, unit, stems, decimal)


TABLE2008_TITLE: Final = "政府信息公开情况统计表"
TABLE2008_HEADER: Final[tuple[str, ...]] = ("统计指标", "单位", "统计数")
TABLE2008_ROWS: Final[tuple[Row2008, ...]] = (
    _r("h_proactive", "一、主动公开情况", "", "主动公开情况"),
    _r(
        "proactive_items",
        "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）",
        "条",
        "主动公开政府信息数",
    ),
    _r("proactive_normative", "其中：主动公开规范性文件数", "条", "主动公开规范性文件数"),
    _r("normative_issued", "制发规范性文件总数", "件", "制发规范性文件总数"),
    _r("h_channels", "（二）通过不同渠道和方式公开政府信息的情况", "", "公开政府信息的情况"),
    _r("channel_gazette", "1.政府公报公开政府信息数", "条", "政府公报公开"),
    _r("channel_website", "2.政府网站公开政府信息数", "条", "政府网站公开"),
    _r("channel_weibo", "3.政务微博公开政府信息数", "条", "政务微博公开"),
    _r("channel_weixin", "4.政务微信公开政府信息数", "条", "政务微信公开"),
    _r("channel_other", "5.其他方式公开政府信息数", "条", "其他方式公开"),
    _r("h_response", "二、回应解读情况", "", "回应解读情况"),
    _r(
        "response_hotspots",
        "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）",
        "次",
        "回应公众关注热点",
    ),
    _r("h_response_channels", "（二）通过不同渠道和方式回应解读的情况", "", "回应解读的情况"),
    _r("press_conferences", "1.参加或举办新闻发布会总次数", "次", "新闻发布会总次数"),
    _r(
        "press_conferences_leaders",
        "其中：主要负责同志参加新闻发布会次数",
        "次",
        "主要负责同志参加新闻发布会",
    ),
    _r("online_interviews", "2.政府网站在线访谈次数", "次", "政府网站在线访谈次数"),
    _r(
        "online_interviews_leaders",
        "其中：主要负责同志参加政府网站在线访谈次数",
        "次",
        "主要负责同志参加政府网站在线访谈",
    ),
    _r("interpretations", "3.政策解读稿件发布数", "篇", "政策解读稿件"),
    _r("weibo_weixin_responses", "4.微博微信回应事件数", "次", "微博微信回应"),
    _r("other_responses", "5.其他方式回应事件数", "次", "其他方式回应"),
    _r("h_applications", "三、依申请公开情况", "", "依申请公开情况"),
    _r("received", "（一）收到申请数", "件", "收到申请数"),
    _r("received_in_person", "1.当面申请数", "件", "当面申请数"),
    _r("received_fax", "2.传真申请数", "件", "传真申请数"),
    _r("received_online", "3.网络申请数", "件", "网络申请数"),
    _r("received_letter", "4.信函申请数", "件", "信函申请数"),
    _r("closed", "（二）申请办结数", "件", "申请办结数"),
    _r("closed_on_time", "1.按时办结数", "件", "按时办结数"),
    _r("closed_extended", "2.延期办结数", "件", "延期办结数"),
    _r("replies", "（三）申请答复数", "件", "申请答复数"),
    _r("reply_already_public", "1.属于已主动公开范围数", "件", "已主动公开范围"),
    _r("reply_open", "2.同意公开答复数", "件", "同意公开答复数"),
    _r("reply_partial", "3.同意部分公开答复数", "件", "同意部分公开答复数"),
    _r("reply_refused", "4.不同意公开答复数", "件", "不同意公开答复数"),
    _r("refused_state_secret", "其中：涉及国家秘密", "件", "涉及国家秘密"),
    _r("refused_commercial_secret", "涉及商业秘密", "件", "涉及商业秘密"),
    _r("refused_privacy", "涉及个人隐私", "件", "涉及个人隐私"),
    _r(
        "refused_security",
        "危及国家安全、公共安全、经济安全和社会稳定",
        "件",
        "危及国家安全",
    ),
    _r("refused_not_government_info", "不是《条例》所指政府信息", "件", "所指政府信息"),
    _r("refused_other_law", "法律法规规定的其他情形", "件", "法律法规规定的其他情形"),
    _r("reply_not_this_agency", "5.不属于本行政机关公开数", "件", "不属于本行政机关"),
    _r("reply_not_exist", "6.申请信息不存在数", "件", "申请信息不存在"),
    _r("reply_correction", "7.告知作出更改补充数", "件", "告知作出更改补充"),
    _r("reply_other_channel", "8.告知通过其他途径办理数", "件", "告知通过其他途径"),
    _r("reviews", "四、行政复议数量", "件", "行政复议数量"),
    _r("reviews_upheld", "（一）维持具体行政行为数", "件", "维持具体行政行为数"),
    _r("reviews_corrected", "（二）被依法纠错数", "件", "被依法纠错数"),
    _r("reviews_other", "（三）其他情形数", "件", "其他情形数"),
    _r("lawsuits", "五、行政诉讼数量", "件", "行政诉讼数量"),
    _r(
        "lawsuits_upheld",
        "（一）维持具体行政行为或者驳回原告诉讼请求数",
        "件",
        "驳回原告诉讼请求",
    ),
    _r("lawsuits_corrected", "（二）被依法纠错数", "件", "被依法纠错数"),
    _r("lawsuits_other", "（三）其他情形数", "件", "其他情形数"),
    _r("complaints", "六、举报投诉数量", "件", "举报投诉数量"),
    _r("fees", "七、依申请公开信息收取的费用", "万元", "收取的费用", decimal=True),
    _r("h_organisation", "八、机构建设和保障经费情况", "", "机构建设和保障经费"),
    _r("special_bodies", "（一）政府信息公开工作专门机构数", "个", "专门机构数"),
    _r("reading_points", "（二）设置政府信息公开查阅点数", "个", "查阅点数"),
    _r("staff", "（三）从事政府信息公开工作人员数", "人", "工作人员数"),
    _r(
        "staff_full_time",
        "1.专职人员数（不包括政府公报及政府网站工作人员数）",
        "人",
        "专职人员数",
    ),
    _r("staff_part_time", "2.兼职人员数", "人", "兼职人员数"),
    _r(
        "special_funds",
        "（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
        "万元",
        "专项经费",
        decimal=True,
    ),
    _r("h_meetings", "九、政府信息公开会议和培训情况", "", "会议和培训情况"),
    _r("meetings", "（一）召开政府信息公开工作会议或专题会议数", "次", "专题会议数"),
    _r("training_sessions", "（二）举办各类培训班数", "次", "培训班数"),
    _r("trainees", "（三）接受培训人员数", "人次", "接受培训人员数"),
)
TABLE2008_DATA_ROWS: Final[tuple[Row2008, ...]] = tuple(
    r for r in TABLE2008_ROWS if not r.is_heading
)
TABLE2008_BY_KEY: Final[dict[str, Row2008]] = {r.key: r for r in TABLE2008_ROWS}

# Implied sums of the 2008 table (spec §5, interpretation): total = sum of parts.
TABLE2008_SUMS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "received",
        ("received_in_person", "received_fax", "received_online", "received_letter"),
    ),
    ("closed", ("closed_on_time", "closed_extended")),
    (
        "replies",
        (
            "reply_already_public",
            "reply_open",
            "reply_partial",
            "reply_refused",
            "reply_not_this_agency",
            "reply_not_exist",
            "reply_correction",
            "reply_other_channel",
        ),
    ),
    (
        "reply_refused",
        (
            "refused_state_secret",
            "refused_commercial_secret",
            "refused_privacy",
            "refused_security",
            "refused_not_government_info",
            "refused_other_law",
        ),
    ),
    ("reviews", ("reviews_upheld", "reviews_corrected", "reviews_other")),
    ("lawsuits", ("lawsuits_upheld", "lawsuits_corrected", "lawsuits_other")),
    ("staff", ("staff_full_time", "staff_part_time")),
)
# Soft bounds of the 2008 table: the part cannot exceed the whole.
TABLE2008_BOUNDS: Final[tuple[tuple[str, str], ...]] = (
    ("proactive_normative", "proactive_items"),
    ("press_conferences_leaders", "press_conferences"),
    ("online_interviews_leaders", "online_interviews"),
)
# "Different channels count one item once": the distinct total cannot exceed the channel sum.
TABLE2008_CHANNELS: Final[tuple[str, ...]] = (
    "channel_gazette",
    "channel_website",
    "channel_weibo",
    "channel_weixin",
    "channel_other",
)
