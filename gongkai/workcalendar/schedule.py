"""One year's official holiday schedule: the JSON file format, its parser and validator.

A year file records what the State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知)
sets for that calendar year: the days off (放假) grouped by holiday and the weekend days that
become working days (调休上班). Every date in a file lies in the file's year; a holiday block
that crosses a year boundary is split, each part going to the file of the year it lies in,
under the holiday's name. The format is documented in ``docs/workcalendar.md``.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "OFFICIAL_DATA_DIR",
    "WEEKDAY_NAMES",
    "HolidayBlock",
    "ScheduleError",
    "SourceNotice",
    "WeekendWorkday",
    "YearSchedule",
    "load_schedule_file",
    "official_schedules",
    "parse_iso_date",
    "parse_schedule",
    "read_year_file",
    "schedule_to_dict",
    "schedule_to_json",
    "source_to_dict",
]

OFFICIAL_DATA_DIR = Path(__file__).resolve().parent / "data" / "official"
MIN_YEAR = 2000
MAX_YEAR = 2099

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOP_KEYS = frozenset({"year", "source", "amendments", "holidays", "weekend_workdays"})
_SOURCE_KEYS = frozenset({"title", "url", "issued_on", "doc_number"})
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class ScheduleError(ValueError):
    """A year file is malformed or contradicts itself; ``problems`` lists every issue in Chinese."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("；".join(self.problems))


@dataclass(frozen=True, slots=True)
class SourceNotice:
    """The notice a year's schedule comes from (or a later notice amending it)."""

    title: str
    url: str
    issued_on: dt.date | None
    doc_number: str | None  # None while the document number is unconfirmed


@dataclass(frozen=True, slots=True)
class HolidayBlock:
    """The days off of one holiday (放假), weekend days inside the block included."""

    name: str
    off: tuple[dt.date, ...]


@dataclass(frozen=True, slots=True)
class WeekendWorkday:
    """A Saturday or Sunday declared a working day (调休上班) for the named holiday."""

    date: dt.date
    holiday: str


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """The validated official schedule of one calendar year."""

    year: int
    source: SourceNotice
    holidays: tuple[HolidayBlock, ...]
    weekend_workdays: tuple[WeekendWorkday, ...]
    amendments: tuple[SourceNotice, ...] = ()

    def days_off(self) -> tuple[tuple[dt.date, str], ...]:
        """Return every day off with its holiday name, in date order."""
        return tuple(sorted((day, block.name) for block in self.holidays for day in block.off))


class _Problems:
    """Collects validation problems so that one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ScheduleError(self.items)


def _text(value: object, where: str, problems: _Problems, *, required: bool = True) -> str:
    if isinstance(value, str) and (value.strip() or not required):
        return value.strip()
    problems.add(f"{where}应为非空文本")
    return ""


def parse_iso_date(value: str) -> dt.date | None:
    """Return the date written YYYY-MM-DD in ``value``, or None if it is not one."""
    if not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _date(value: object, where: str, problems: _Problems) -> dt.date | None:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        problems.add(f"{where}“{value}”不是YYYY-MM-DD格式的日期")
        return None
    day = parse_iso_date(value)
    if day is None:
        problems.add(f"{where}“{value}”不是有效日期")
    return day


def _source(value: object, where: str, problems: _Problems) -> SourceNotice:
    if not isinstance(value, Mapping):
        problems.add(f"{where}应为包含title、url、issued_on、doc_number的对象")
        return SourceNotice(title="", url="", issued_on=None, doc_number=None)
    extra = sorted(str(k) for k in value if k not in _SOURCE_KEYS)
    if extra:
        problems.add(f"{where}含有不认识的字段：{'、'.join(extra)}")
    title = _text(value.get("title"), f"{where}的标题（title）", problems)
    url = _text(value.get("url"), f"{where}的网址（url）", problems)
    if url and not url.startswith(("http://", "https://")):
        problems.add(f"{where}的网址（url）应以http://或https://开头")
    issued_raw = value.get("issued_on")
    issued_on = None if issued_raw is None else _date(issued_raw, f"{where}的发布日期", problems)
    doc_raw = value.get("doc_number")
    doc_number = None
    if doc_raw is not None:
        doc_number = _text(doc_raw, f"{where}的文号（doc_number，未确认时填null）", problems)
    return SourceNotice(title=title, url=url, issued_on=issued_on, doc_number=doc_number or None)


def parse_schedule(data: object) -> YearSchedule:
    """Validate a decoded year file and return it as a ``YearSchedule``.

    Raise ``ScheduleError`` listing every problem: a date outside the year, a weekend working
    day that is not a Saturday or Sunday, a date listed twice, a missing or unknown field.
    """
    problems = _Problems()
    if not isinstance(data, Mapping):
        raise ScheduleError(["文件内容应为一个JSON对象"])
    extra = sorted(str(k) for k in data if k not in _TOP_KEYS)
    if extra:
        problems.add(f"含有不认识的字段：{'、'.join(extra)}")
    missing = [k for k in ("year", "source", "holidays", "weekend_workdays") if k not in data]
    if missing:
        problems.add(f"缺少字段：{'、'.join(missing)}")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        problems.add(f"年份（year）应为{MIN_YEAR}至{MAX_YEAR}之间的整数")
        raise ScheduleError(problems.items)

    source = _source(data.get("source"), "来源通知（source）", problems)
    amendments: list[SourceNotice] = []
    raw_amendments = data.get("amendments", [])
    if not isinstance(raw_amendments, list):
        problems.add("修订通知（amendments）应为列表")
    else:
        for i, item in enumerate(raw_amendments, start=1):
            amendments.append(_source(item, f"第{i}个修订通知", problems))

    seen: dict[dt.date, str] = {}
    blocks: list[HolidayBlock] = []
    raw_holidays = data.get("holidays")
    if not isinstance(raw_holidays, list) or not raw_holidays:
        problems.add("放假安排（holidays）应为非空列表")
        raw_holidays = []
    for i, item in enumerate(raw_holidays, start=1):
        where = f"第{i}项放假安排"
        if not isinstance(item, Mapping) or set(item) != {"name", "off"}:
            problems.add(f"{where}应为只含name和off两个字段的对象")
            continue
        name = _text(item.get("name"), f"{where}的节日名称", problems)
        raw_off = item.get("off")
        if not isinstance(raw_off, list) or not raw_off:
            problems.add(f"{where}（{name}）的放假日期（off）应为非空列表")
            continue
        days: list[dt.date] = []
        for raw_day in raw_off:
            day = _date(raw_day, f"{name}的放假日期", problems)
            if day is None:
                continue
            if day.year != year:
                problems.add(
                    f"{name}的放假日期{day.isoformat()}不在{year}年内（跨年的放假日期应放入其所在年份的文件）"
                )
            elif day in seen:
                problems.add(f"{day.isoformat()}重复列出（{seen[day]}、{name}）")
            else:
                seen[day] = name
                days.append(day)
        blocks.append(HolidayBlock(name=name, off=tuple(sorted(days))))

    workdays: list[WeekendWorkday] = []
    raw_workdays = data.get("weekend_workdays")
    if not isinstance(raw_workdays, list):
        problems.add("调休上班日（weekend_workdays）应为列表（没有时填[]）")
        raw_workdays = []
    seen_workdays: set[dt.date] = set()
    for i, item in enumerate(raw_workdays, start=1):
        where = f"第{i}个调休上班日"
        if not isinstance(item, Mapping) or set(item) != {"date", "holiday"}:
            problems.add(f"{where}应为只含date和holiday两个字段的对象")
            continue
        day = _date(item.get("date"), f"{where}", problems)
        holiday = _text(item.get("holiday"), f"{where}对应的节日名称", problems)
        if day is None:
            continue
        if day.year != year:
            problems.add(f"调休上班日{day.isoformat()}不在{year}年内")
        elif day.weekday() < 5:
            problems.add(
                f"调休上班日{day.isoformat()}是{WEEKDAY_NAMES[day.weekday()]}，只有星期六、星期日才能调为上班日"
            )
        elif day in seen:
            problems.add(f"{day.isoformat()}既列为放假日期（{seen[day]}）又列为调休上班日")
        elif day in seen_workdays:
            problems.add(f"调休上班日{day.isoformat()}重复列出")
        else:
            seen_workdays.add(day)
            workdays.append(WeekendWorkday(date=day, holiday=holiday))

    problems.raise_if_any()
    return YearSchedule(
        year=year,
        source=source,
        holidays=tuple(blocks),
        weekend_workdays=tuple(sorted(workdays, key=lambda w: w.date)),
        amendments=tuple(amendments),
    )


def source_to_dict(source: SourceNotice) -> dict[str, object]:
    """Return a source notice as it is written in a year file."""
    return {
        "title": source.title,
        "url": source.url,
        "issued_on": source.issued_on.isoformat() if source.issued_on else None,
        "doc_number": source.doc_number,
    }


def _block_to_dict(block: HolidayBlock) -> dict[str, object]:
    return {"name": block.name, "off": [d.isoformat() for d in block.off]}


def _workday_to_dict(workday: WeekendWorkday) -> dict[str, object]:
    return {"date": workday.date.isoformat(), "holiday": workday.holiday}


def schedule_to_dict(schedule: YearSchedule) -> dict[str, object]:
    """Return the year file (JSON-ready dict) for ``schedule``; ``parse_schedule`` reverses it."""
    data: dict[str, object] = {"year": schedule.year, "source": source_to_dict(schedule.source)}
    if schedule.amendments:
        data["amendments"] = [source_to_dict(a) for a in schedule.amendments]
    data["holidays"] = [_block_to_dict(b) for b in schedule.holidays]
    data["weekend_workdays"] = [_workday_to_dict(w) for w in schedule.weekend_workdays]
    return data


def schedule_to_json(schedule: YearSchedule) -> str:
    """Return the year file as text, one holiday block or weekend working day per line.

    This is the layout of the shipped files in ``data/official/``.
    """

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    def rows(values: list[dict[str, object]]) -> list[str]:
        return [f"    {dump(v)}{',' if i < len(values) - 1 else ''}" for i, v in enumerate(values)]

    lines = [
        "{",
        f'  "year": {schedule.year},',
        f'  "source": {dump(source_to_dict(schedule.source))},',
    ]
    if schedule.amendments:
        amendments = [source_to_dict(a) for a in schedule.amendments]
        lines.append(f'  "amendments": {dump(amendments)},')
    lines += ['  "holidays": [', *rows([_block_to_dict(b) for b in schedule.holidays]), "  ],"]
    workdays = [_workday_to_dict(w) for w in schedule.weekend_workdays]
    lines += ['  "weekend_workdays": [', *rows(workdays), "  ]", "}"]
    return "\n".join(lines) + "\n"


def read_year_file(path: Path | str) -> object:
    """Read and decode one year file (UTF-8 JSON), without validating its content."""
    file_path = Path(path)
    try:
        text = file_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScheduleError([f"无法读取文件{file_path}：{exc.strerror or exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise ScheduleError([f"文件{file_path}不是UTF-8编码"]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScheduleError([f"文件{file_path}不是有效的JSON（第{exc.lineno}行）"]) from exc
    return data


def load_schedule_file(path: Path | str) -> YearSchedule:
    """Read, decode and validate one year file."""
    return parse_schedule(read_year_file(path))


def official_schedules() -> tuple[YearSchedule, ...]:
    """Return the schedules shipped with the code (2019 onwards), in year order."""
    paths = sorted(OFFICIAL_DATA_DIR.glob("*.json"))
    return tuple(load_schedule_file(p) for p in paths)
