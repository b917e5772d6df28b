"""The year-file format: parsing, validation messages, round trip."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.workcalendar.schedule import (
    OFFICIAL_DATA_DIR,
    ScheduleError,
    load_schedule_file,
    official_schedules,
    parse_schedule,
    schedule_to_dict,
    schedule_to_json,
)

VALID: dict[str, Any] = {
    "year": 2027,
    "source": {
        "title": "国务院办公厅关于2027年部分节假日安排的通知",
        "url": "https://www.gov.cn/example",
        "issued_on": "2026-11-01",
        "doc_number": None,
    },
    "holidays": [
        {"name": "元旦", "off": ["2027-01-01", "2027-01-02", "2027-01-03"]},
        {"name": "春节", "off": ["2027-02-06", "2027-02-07", "2027-02-08"]},
    ],
    "weekend_workdays": [{"date": "2027-02-20", "holiday": "春节"}],
}


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data.update(changes)
    return data


def _problems(data: object) -> str:
    with pytest.raises(ScheduleError) as info:
        parse_schedule(data)
    return str(info.value)


def test_a_valid_year_parses() -> None:
    """A well-formed file becomes a YearSchedule with sorted dates."""
    schedule = parse_schedule(VALID)
    assert schedule.year == 2027
    assert schedule.source.issued_on == dt.date(2026, 11, 1)
    assert schedule.source.doc_number is None
    assert [b.name for b in schedule.holidays] == ["元旦", "春节"]
    assert schedule.weekend_workdays[0].date == dt.date(2027, 2, 20)
    assert len(schedule.days_off()) == 6


def test_round_trip_of_every_shipped_file() -> None:
    """schedule_to_dict reproduces each shipped file exactly."""
    for path in sorted(OFFICIAL_DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert schedule_to_dict(parse_schedule(data)) == data, path.name


def test_shipped_files_are_in_the_canonical_layout() -> None:
    """Each shipped file is exactly what schedule_to_json writes (one block per line)."""
    for path in sorted(OFFICIAL_DATA_DIR.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert schedule_to_json(parse_schedule(json.loads(text))) == text, path.name


def test_cross_year_blocks_sit_in_the_year_of_their_dates() -> None:
    """2023-12-30/31 (2024 元旦) are in the 2023 file under 元旦; 2022-12-31 in 2022's."""
    by_year = {s.year: dict(s.days_off()) for s in official_schedules()}
    assert by_year[2023][dt.date(2023, 12, 30)] == "元旦"
    assert by_year[2023][dt.date(2023, 12, 31)] == "元旦"
    assert by_year[2022][dt.date(2022, 12, 31)] == "元旦"


def test_amendment_notices_are_recorded() -> None:
    """The 2019 Labour Day change and the 2020 Spring Festival extension cite their notices."""
    by_year = {s.year: s for s in official_schedules()}
    assert "劳动节" in by_year[2019].amendments[0].title
    assert "延长2020年春节假期" in by_year[2020].amendments[0].title


def test_date_outside_the_year_is_refused() -> None:
    """Every date must lie in the file's year, with a hint about cross-year blocks."""
    data = _with(holidays=[{"name": "元旦", "off": ["2026-12-31", "2027-01-01"]}])
    assert "2026-12-31不在2027年内" in _problems(data)


def test_weekday_workday_is_refused() -> None:
    """A weekend working day must be a Saturday or Sunday."""
    data = _with(weekend_workdays=[{"date": "2027-02-22", "holiday": "春节"}])
    assert "是星期一，只有星期六、星期日才能调为上班日" in _problems(data)


def test_duplicate_dates_are_refused() -> None:
    """A date may appear once: not in two blocks, not both off and working."""
    twice = _with(
        holidays=[
            {"name": "元旦", "off": ["2027-01-01"]},
            {"name": "春节", "off": ["2027-01-01"]},
        ]
    )
    assert "2027-01-01重复列出（元旦、春节）" in _problems(twice)
    both = _with(weekend_workdays=[{"date": "2027-01-02", "holiday": "元旦"}])
    assert "既列为放假日期（元旦）又列为调休上班日" in _problems(both)
    repeated = _with(
        weekend_workdays=[
            {"date": "2027-02-20", "holiday": "春节"},
            {"date": "2027-02-20", "holiday": "春节"},
        ]
    )
    assert "调休上班日2027-02-20重复列出" in _problems(repeated)


def test_malformed_dates_and_fields_are_reported_together() -> None:
    """All problems are listed at once, in Chinese."""
    data = _with(
        holidays=[{"name": "", "off": ["2027/01/01", "2027-02-30"]}],
        source={"title": "", "url": "ftp://x", "issued_on": "soon", "doc_number": None},
        extra=1,
    )
    message = _problems(data)
    for fragment in (
        "不认识的字段：extra",
        "标题（title）应为非空文本",
        "网址（url）应以http://或https://开头",
        "“soon”不是YYYY-MM-DD格式的日期",
        "节日名称应为非空文本",
        "“2027/01/01”不是YYYY-MM-DD格式的日期",
        "“2027-02-30”不是有效日期",
    ):
        assert fragment in message


def test_missing_fields_and_bad_year() -> None:
    """A year outside 2000–2099 or missing keys stop parsing with a clear message."""
    assert "缺少字段：holidays、weekend_workdays" in _problems(
        {"year": 2027, "source": VALID["source"]}
    )
    assert "年份（year）应为2000至2099之间的整数" in _problems(_with(year="2027"))
    assert "年份（year）应为2000至2099之间的整数" in _problems(_with(year=True))
    assert "文件内容应为一个JSON对象" in _problems([1, 2])


def test_load_file_errors(tmp_path: Path) -> None:
    """Unreadable, non-UTF-8 and non-JSON files get one clear message each."""
    with pytest.raises(ScheduleError, match="无法读取文件"):
        load_schedule_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{")
    with pytest.raises(ScheduleError, match="不是有效的JSON（第1行）"):
        load_schedule_file(bad)
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"year": "二〇二七"}'.encode("gbk"))
    with pytest.raises(ScheduleError, match="不是UTF-8编码"):
        load_schedule_file(gbk)
    good = tmp_path / "2027.json"
    good.write_text(json.dumps(VALID, ensure_ascii=False), encoding="utf-8")
    assert load_schedule_file(good).year == 2027
