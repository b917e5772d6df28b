"""``gongkai workdays``: outputs and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.models import AuditEvent
from gongkai.workcalendar.tests.year2027 import year_2027

pytestmark = pytest.mark.django_db


def workdays(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def bad(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        workdays(*args)
    return info.value


def test_add_prints_the_date() -> None:
    """`add 2026-02-10 20` prints 2026-03-16 (spec §7.5)."""
    assert workdays("add", "2026-02-10", "20") == "2026-03-16\n"
    assert workdays("add", "2025-09-26", "20") == "2025-10-30\n"


def test_between_prints_the_count() -> None:
    """`between 2026-02-10 2026-03-16` prints 20."""
    assert workdays("between", "2026-02-10", "2026-03-16") == "20\n"
    assert workdays("between", "2026-03-16", "2026-02-10") == "-20\n"


def test_provisional_results_are_marked() -> None:
    """A result reaching into a year without official data ends with （暂定）."""
    # 2027-01-01 (元旦) is a statutory holiday even before the 2027 notice (decision 1608).
    assert workdays("add", "2026-12-10", "20") == "2027-01-08 （暂定）\n"
    assert workdays("between", "2026-12-10", "2027-01-08") == "20 （暂定）\n"
    assert workdays("between", "2026-12-10", "2027-01-07") == "19 （暂定）\n"


def test_show_lists_the_year_with_its_source() -> None:
    """`show 2026` lists the source, the days off by holiday and the weekend working days."""
    text = workdays("show", "2026")
    for line in (
        "2026年节假日安排",
        "来源：国务院办公厅关于2026年部分节假日安排的通知",
        "文号：未确认",
        "发布日期：2025-11-04",
        "网址：https://www.gov.cn/zhengce/content/202511/content_7047091.htm",
        "  春节 2026-02-15 至 2026-02-23（9天）",
        "  2026-02-14 星期六（春节）",
        "  2026-09-20 星期日（国庆节）",
        "全年工作日：248天",
    ):
        assert line in text.splitlines(), line
    assert "修订：国务院办公厅关于延长2020年春节假期的通知" in workdays("show", "2020")


def test_show_of_a_missing_year_is_an_error() -> None:
    """A year without data is reported (exit code 1), never shown as weekdays-only."""
    error = bad("show", "2027")
    assert error.returncode == 1
    assert "2027年的国务院节假日安排尚未载入" in str(error)


def test_load_makes_2027_final_and_is_audited(tmp_path: Path) -> None:
    """`load FILE` loads the year (audited); 2027 results are no longer provisional."""
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(year_2027(), ensure_ascii=False), encoding="utf-8")
    assert workdays("load", str(path)) == (
        "已载入2027年节假日安排：放假10天，调休上班1天，全年工作日256天。\n"
    )
    assert workdays("add", "2026-12-10", "20") == "2027-01-08\n"
    entry = AuditEvent.objects.get(action="calendar_year.load")
    assert entry.actor is None
    assert entry.actor_repr == "系统"


def test_load_attributes_the_user(tmp_path: Path, staff: dict[str, object]) -> None:
    """`--by USER` records who loaded the year."""
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(year_2027(), ensure_ascii=False), encoding="utf-8")
    workdays("load", str(path), "--by", "platform_admin")
    assert AuditEvent.objects.get(action="calendar_year.load").actor == staff["platform_admin"]
    assert bad("load", str(path), "--by", "nobody").returncode == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-02-30", "20"), "日期“2026-02-30”无效，应为YYYY-MM-DD格式"),
        (("add", "2026/02/10", "20"), "日期“2026/02/10”无效"),
        (("add", "2026-02-10", "-1"), "工作日数不能为负数：-1"),
        (("add", "2026-02-10", "twenty"), "工作日数“twenty”无效，应为非负整数"),
        (("between", "2026-02-10", "tomorrow"), "日期“tomorrow”无效"),
        (("show", "26"), "年份“26”无效"),
        (("add", "2026-02-10"), "缺少参数：n"),
        (("add", "2026-02-10", "3", "4"), "多余的参数：4"),
        (("subtract", "2026-02-10", "3"), "未知的子命令“subtract”"),
        (("add", "2099-12-30", "5"), "超出日历范围"),
    ],
)
def test_bad_input_exits_with_code_2(args: tuple[str, ...], message: str) -> None:
    """Malformed dates, negative counts, wrong arguments: one Chinese line, exit code 2."""
    error = bad(*args)
    assert error.returncode == 2
    assert message in str(error)
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "不是有效的JSON（第1行）"),
        ("[]", "内容应为一个JSON对象"),
        ('{"year": 2027}', "缺少字段：source、holidays、weekend_workdays"),
    ],
)
def test_bad_files_exit_with_code_2(tmp_path: Path, content: str, message: str) -> None:
    """A file that is not a valid year file is bad input too, and nothing is stored."""
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    error = bad("load", str(path))
    assert error.returncode == 2
    assert message in str(error)
    assert not AuditEvent.objects.filter(action="calendar_year.load").exists()
    assert bad("load", str(tmp_path / "missing.json")).returncode == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "2026-02-10", "-3"], "工作日数不能为负数：-3"),
        (["frobnicate"], "未知的子命令“frobnicate”"),
    ],
)
def test_console_script_prints_one_line_and_exits_2(args: list[str], message: str) -> None:
    """Through the real console entry point: one line on stderr, exit status 2."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings.test"}
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "workdays", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
