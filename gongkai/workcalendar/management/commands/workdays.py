"""``gongkai workdays``: working-day arithmetic on the platform's calendar, and loading a year.

    gongkai workdays add 2026-02-10 20        → 2026-03-16
    gongkai workdays between 2026-02-10 2026-03-16   → 20
    gongkai workdays show 2026                → that year's days off, weekend working days, source
    gongkai workdays load FILE [--by USER]    → load (or correct) a year from its JSON file, audited

Results that rely on a year without official data end with （暂定）. Bad input (a malformed
date, a negative count, a bad file, wrong arguments) gets a one-line Chinese message and exit
code 2.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any, NoReturn

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.workcalendar.calendar import CalendarRangeError, DayKind
from gongkai.workcalendar.choices import CalendarDayKind
from gongkai.workcalendar.schedule import ScheduleError, parse_iso_date, read_year_file
from gongkai.workcalendar.selectors import get_calendar, year_row
from gongkai.workcalendar.services import calendar_year_load
from gongkai.workcalendar.wording import cn_weekday

BAD_INPUT = 2


def _argparse_message(message: str) -> str:
    """Put argparse's English error into Chinese (the common cases; others pass through)."""
    if m := re.match(r"the following arguments are required: (.+)", message):
        return _("缺少参数：%(names)s") % {"names": m.group(1)}
    if m := re.match(r"argument [^:]+: invalid choice: '([^']*)'", message):
        return _("未知的子命令“%(name)s”，可用：add、between、show、load") % {"name": m.group(1)}
    if m := re.match(r"unrecognized arguments: (.+)", message):
        return _("多余的参数：%(args)s") % {"args": m.group(1)}
    return message


class _Parser(CommandParser):
    """Argument errors as one Chinese line and exit code 2 (argparse's usage text is English)."""

    def error(self, message: str) -> NoReturn:
        text = _("参数有误：%(detail)s（用法：gongkai workdays add|between|show|load …）") % {
            "detail": _argparse_message(message)
        }
        if self.called_from_command_line:
            sys.stderr.write(text + "\n")
            sys.exit(BAD_INPUT)
        raise CommandError(text, returncode=BAD_INPUT)


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _date(value: str) -> dt.date:
    day = parse_iso_date(value)
    if day is None:
        raise _bad(_("日期“%(value)s”无效，应为YYYY-MM-DD格式，例如2026-02-10") % {"value": value})
    return day


def _count(value: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", value.strip()):
        raise _bad(_("工作日数“%(value)s”无效，应为非负整数") % {"value": value})
    number = int(value)
    if number < 0:
        raise _bad(_("工作日数不能为负数：%(value)s") % {"value": value})
    return number


def _year(value: str) -> int:
    if not re.fullmatch(r"\d{4}", value.strip()):
        raise _bad(_("年份“%(value)s”无效，应为四位数字，例如2026") % {"value": value})
    return int(value)


class Command(BaseCommand):
    help = "工作日计算与国务院节假日安排的载入（add / between / show / load）"

    def add_arguments(self, parser: CommandParser) -> None:
        # BaseCommand builds a plain CommandParser; give it (and, through parser_class, every
        # subcommand's parser) the one-line Chinese error.
        parser.__class__ = _Parser
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="add|between|show|load", parser_class=_Parser
        )
        add = sub.add_parser("add", help="起算日之后第N个工作日")
        add.add_argument("start")
        add.add_argument("n")
        between = sub.add_parser("between", help="两个日期之间的工作日数（不含起算日，含截止日）")
        between.add_argument("start")
        between.add_argument("end")
        show = sub.add_parser("show", help="列出某年的放假日期与调休上班日及来源")
        show.add_argument("year")
        load = sub.add_parser("load", help="从JSON文件载入（或更正）某年的安排，记入审计日志")
        load.add_argument("file")
        load.add_argument("--by", default="", help="记录为载入人的用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self._add(_date(options["start"]), _count(options["n"]))
        elif action == "between":
            self._between(_date(options["start"]), _date(options["end"]))
        elif action == "show":
            self._show(_year(options["year"]))
        else:
            self._load(options["file"], options["by"])

    def _provisional(self, provisional: bool) -> str:
        return " " + _("（暂定）") if provisional else ""

    def _add(self, start: dt.date, n: int) -> None:
        try:
            result = get_calendar().add_working_days(start, n)
        except CalendarRangeError as exc:
            raise _bad(str(exc)) from exc
        self.stdout.write(result.date.isoformat() + self._provisional(result.provisional))

    def _between(self, start: dt.date, end: dt.date) -> None:
        try:
            count = get_calendar().working_days_between(start, end)
        except CalendarRangeError as exc:
            raise _bad(str(exc)) from exc
        self.stdout.write(str(count.days) + self._provisional(count.provisional))

    def _show(self, year: int) -> None:
        row = year_row(year)
        if row is None:
            raise CommandError(
                _(
                    "%(year)d年的国务院节假日安排尚未载入；该年暂按星期一至星期五为工作日推算（暂定）。"
                )
                % {"year": year}
            )
        calendar = get_calendar()
        write = self.stdout.write
        write(_("%(year)d年节假日安排") % {"year": year})
        write(_("来源：%(title)s") % {"title": row.source_title})
        write(_("文号：%(number)s") % {"number": row.source_doc_number or _("未确认")})
        if row.source_issued_on:
            write(_("发布日期：%(date)s") % {"date": row.source_issued_on.isoformat()})
        write(_("网址：%(url)s") % {"url": row.source_url})
        for amendment in row.amendments:
            write(_("修订：%(title)s %(url)s") % amendment)
        loaded_by = str(row.loaded_by) if row.loaded_by else _("系统")
        write(
            _("载入：%(when)s（%(who)s）")
            % {"when": row.loaded_at.strftime("%Y-%m-%d %H:%M"), "who": loaded_by}
        )
        write(_("放假："))
        for span in calendar.holidays_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)):
            write(
                "  "
                + _("%(name)s %(first)s 至 %(last)s（%(days)d天）")
                % {
                    "name": span.name,
                    "first": span.first.isoformat(),
                    "last": span.last.isoformat(),
                    "days": span.days,
                }
            )
        write(_("调休上班："))
        workdays = [
            o for o in calendar.overrides_in_year(year) if o.kind is DayKind.WEEKEND_WORKDAY
        ]
        for day in workdays:
            write(
                "  "
                + _("%(date)s %(weekday)s（%(name)s）")
                % {
                    "date": day.date.isoformat(),
                    "weekday": cn_weekday(day.date),
                    "name": day.name,
                }
            )
        if not workdays:
            write("  " + _("无"))
        write(_("全年工作日：%(days)d天") % {"days": calendar.working_days_in_year(year).days})

    def _load(self, path: str, username: str) -> None:
        by = None
        if username:
            by = get_user_model().objects.filter(username=username).first()
            if by is None:
                raise _bad(_("用户“%(name)s”不存在") % {"name": username})
        try:
            data = read_year_file(path)
        except ScheduleError as exc:
            raise _bad(str(exc)) from exc
        if not isinstance(data, dict):
            raise _bad(_("文件有误：内容应为一个JSON对象"))
        try:
            row = calendar_year_load(data=data, by=by)
        except ValidationError as exc:
            raise _bad(_("文件有误：%(problems)s") % {"problems": "；".join(exc.messages)}) from exc
        days = row.days.all()
        self.stdout.write(
            _(
                "已载入%(year)d年节假日安排：放假%(off)d天，调休上班%(work)d天，全年工作日%(days)d天。"
            )
            % {
                "year": row.year,
                "off": days.filter(kind=CalendarDayKind.HOLIDAY).count(),
                "work": days.filter(kind=CalendarDayKind.WEEKEND_WORKDAY).count(),
                "days": get_calendar().working_days_in_year(row.year).days,
            }
        )
