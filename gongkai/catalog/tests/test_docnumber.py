"""文号 parsing and normalisation, on real 文号 (a sample of the shared CSVs, in fixtures/)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gongkai.catalog.docnumber import normalise, parse

SAMPLE = Path(__file__).with_name("fixtures") / "doc_numbers_sample.csv"


def _sample() -> list[str]:
    with SAMPLE.open(encoding="utf-8") as fh:
        next(fh)  # provenance line
        return [row["doc_number"] for row in csv.DictReader(fh)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("茂府办函[2016]65号", "茂府办函〔2016〕65号"),
        ("茂府办函(2016)65号", "茂府办函〔2016〕65号"),
        ("茂府办函（2016）65号", "茂府办函〔2016〕65号"),
        ("茂府办函［2016］65号", "茂府办函〔2016〕65号"),
        ("茂府办函【2016】65号", "茂府办函〔2016〕65号"),
        ("茂府办函2016 65号", "茂府办函〔2016〕65号"),
        ("茂府办函〔２０１６〕６５号", "茂府办函〔2016〕65号"),
        ("发文字号：渝府办发〔 2022 〕96 号", "渝府办发〔2022〕96号"),
        ("\u200b渝府办发〔2019〕103号", "渝府办发〔2019〕103号"),
        ("渝府发〔2000〕48号〔〕", "渝府发〔2000〕48号"),
        ("豫政 〔2023〕27号", "豫政〔2023〕27号"),
        ("重庆市人民政府令第 359 号", "重庆市人民政府令第359号"),
        ("国家税务总局公告2015年第41号", "国家税务总局公告2015年第41号"),
        ("无", ""),
        ("", ""),
    ],
)
def test_normalise_writes_the_standard_form(raw, expected):
    """Brackets, spaces, labels and invisible characters become the GB/T 9704 form."""
    assert normalise(raw) == expected


def test_parse_gives_prefix_year_and_serial():
    """A standard 文号 splits into 机关代字, year and serial; orders and 公告 keep their form."""
    p = parse("茂府办函(2016)65号")
    assert (p.prefix, p.year, p.serial, p.form) == ("茂府办函", 2016, 65, "standard")
    order = parse("省政府令 第219号")
    assert (order.form, order.serial, order.year) == ("order", 219, None)
    yearly = parse("税务总局公告2020年第25号")
    assert (yearly.form, yearly.year, yearly.serial) == ("yearly", 2020, 25)
    assert parse("") is None


def test_every_real_doc_number_parses_and_normalises_idempotently():
    """Every 文号 in the real sample parses without error; normalising twice changes nothing."""
    values = _sample()
    assert len(values) > 300
    standard = 0
    for raw in values:
        once = normalise(raw)
        assert normalise(once) == once, raw
        parsed = parse(raw)
        if raw.strip():
            assert parsed is not None, raw
            standard += parsed.form == "standard"
            if parsed.form == "standard":
                assert f"〔{parsed.year}〕" in parsed.text
    assert standard > 250
