"""`gongkai check --deploy` adds the platform's own production checks."""

from __future__ import annotations

import pytest

from gongkai.core.checks import check_database_and_calendar, check_production_settings


def test_secret_key_must_come_from_the_environment(monkeypatch, settings):
    """Without SECRET_KEY in the environment (or with DEBUG on) the check fails."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings.DEBUG = True
    ids = {m.id for m in check_production_settings()}
    assert ids == {"gongkai.E001", "gongkai.E002"}
    monkeypatch.setenv("SECRET_KEY", "k" * 60)
    settings.DEBUG = False
    assert check_production_settings() == []


@pytest.mark.django_db
def test_calendar_must_cover_this_year_and_next():
    """A year without official data is reported until its notice is loaded."""
    import datetime as dt

    from django.utils import timezone

    from gongkai.workcalendar.selectors import known_years
    from gongkai.workcalendar.services import calendar_year_load

    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        if year in known_years():
            continue
        messages = check_database_and_calendar()
        assert [m.id for m in messages] == ["gongkai.W003"]
        assert str(year) in messages[0].msg
        calendar_year_load(
            data={
                "year": year,
                "source": {
                    "title": f"关于{year}年部分节假日安排的通知",
                    "url": "https://www.gov.cn/zhengce/content/example.htm",
                    "issued_on": None,
                    "doc_number": None,
                },
                "holidays": [{"name": "元旦", "off": [dt.date(year, 1, 1).isoformat()]}],
                "weekend_workdays": [],
            },
            by=None,
        )
    assert check_database_and_calendar() == []
