"""Platform plumbing: the console script, settings defaults and the demo city."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command

from gongkai.accounts.choices import Role
from gongkai.accounts.models import StaffMembership
from gongkai.agencies.credit_code import credit_code_error
from gongkai.agencies.models import Agency
from gongkai.core.audit import verify_chain
from gongkai.settings import base


def test_console_script_runs_management_commands():
    """`gongkai <command>` works with default settings and no environment variables."""
    out = subprocess.run(
        [sys.executable, "-m", "gongkai", "check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )
    assert out.returncode == 0, out.stderr
    assert "no issues" in out.stdout


def test_settings_defaults():
    """Chinese, Shanghai time and a secret key are the defaults."""
    assert base.LANGUAGE_CODE == "zh-hans"
    assert base.TIME_ZONE == "Asia/Shanghai"
    assert len(base.SECRET_KEY) >= 40


@pytest.mark.django_db
def test_demo_city_is_realistic(capsys):
    """`gongkai demo` builds ~100 agencies with valid codes and staff in every role."""
    call_command("demo")
    out = capsys.readouterr().out
    assert "admin" in out and "auditor" in out
    assert 90 <= Agency.objects.count() <= 120
    assert all(
        credit_code_error(c) is None for c in Agency.objects.values_list("credit_code", flat=True)
    )
    assert set(StaffMembership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Agency.objects.filter(is_disclosure_office=True).count() == 6
    assert verify_chain().ok
    call_command("demo")  # a second run changes nothing
    assert "未生成" in capsys.readouterr().out
