"""The official table definitions match the spec (§4, §5)."""

from __future__ import annotations

from gongkai.reports import formats


def test_table3_has_25_rows_in_2021_and_23_in_2019() -> None:
    """Table 三 has 25 data rows (2021) and 23 (2019), 7 columns each."""
    assert len(formats.TABLE3_ROWS[2021]) == 25
    assert len(formats.TABLE3_ROWS[2019]) == 23
    assert len(formats.TABLE3_ROWS[2021]) * len(formats.TABLE3_COLUMNS) == 175
    assert formats.TABLE3_COLUMNS == (
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    )


def test_table3_keys_follow_the_spec_in_order() -> None:
    """Keys are the spec's suggested keys, in the official order."""
    keys = [r.key for r in formats.TABLE3_ROWS[2021]]
    assert keys[:4] == ["new", "carried_in", "r1_open", "r2_partial"]
    assert keys[4:12] == [f"r3_{i}" for i in range(1, 9)]
    assert keys[12:15] == ["r4_1", "r4_2", "r4_3"]
    assert keys[15:20] == [f"r5_{i}" for i in range(1, 6)]
    assert keys[20:] == ["r6_1", "r6_2", "r6_3", "r7_total", "carried_out"]
    assert [r.key for r in formats.TABLE3_ROWS[2019]][20] == "r6"


def test_table3_labels_are_exact() -> None:
    """A sample of labels reproduced character for character."""
    rows = {r.key: r for r in formats.TABLE3_ROWS[2021]}
    assert rows["new"].label == "一、本年新收政府信息公开申请数量"
    assert rows["r2_partial"].label == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert rows["r3_3"].label == "3.危及“三安全一稳定”"
    assert rows["r6_1"].label == "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert rows["r6_1"].level2 == "（六）其他处理"
    assert rows["r7_total"].full_label == "三、本年度办理结果 / （七）总计"
    assert rows["carried_out"].label == "四、结转下年度继续办理"
    assert formats.table3_row(2019, "r6").label == "（六）其他处理"


def test_table2_variants() -> None:
    """2021 table 二 has 6 rows / 10 cells (spec §4.2.1 says 9 but enumerates 3+3+1+1+1+1); 2019 adds 其他对外管理服务事项 and 政府集中采购."""
    assert len(formats.TABLE2_2021.cells()) == 10
    assert formats.TABLE2_2021.row_keys() == [
        "regulations",
        "normative_documents",
        "licensing",
        "penalties",
        "coercion",
        "fees",
    ]
    assert "procurement" in formats.TABLE2_2019.row_keys()
    assert "other_services" in formats.TABLE2_2019.row_keys()
    assert [c.label for c in formats.TABLE2_2021.blocks[0].columns] == [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert formats.TABLE2_2021.blocks[3].columns[0].label == "本年收费金额（单位：万元）"


def test_table4_groups_and_columns() -> None:
    """Table 四 is three groups of five."""
    assert formats.TABLE4_GROUPS == ("行政复议", "未经复议直接起诉", "复议后起诉")
    assert formats.TABLE4_COLUMNS == ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def test_2008_table_rows_have_units_and_unique_keys() -> None:
    """Every 2008 data row has a unit; keys are unique; sums refer to real rows."""
    keys = [r.key for r in formats.TABLE2008_ROWS]
    assert len(keys) == len(set(keys))
    assert all(r.unit for r in formats.TABLE2008_DATA_ROWS)
    assert len(formats.TABLE2008_DATA_ROWS) == 58
    for total, parts in formats.TABLE2008_SUMS:
        assert total in formats.TABLE2008_BY_KEY
        assert all(p in formats.TABLE2008_BY_KEY for p in parts)


def test_format_for_year() -> None:
    """2021 format from 2021, 2019 format for 2019–2020, the 2008 table before."""
    assert formats.format_for_year(2025) == 2021
    assert formats.format_for_year(2021) == 2021
    assert formats.format_for_year(2020) == 2019
    assert formats.format_for_year(2019) == 2019
    assert formats.format_for_year(2018) == 2008
