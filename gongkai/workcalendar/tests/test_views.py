"""The platform admin's calendar pages, and nobody else's."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.workcalendar.models import CalendarYear
from gongkai.workcalendar.tests.year2027 import year_2027

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(staff: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(staff["platform_admin"])
    return client


@pytest.fixture
def late_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 11, 22))


def test_year_list_shows_sources_and_the_missing_year(
    admin_client: Client, late_2026: None
) -> None:
    """The list shows each loaded year with its notice, counts, and warns that 2027 is missing."""
    page = admin_client.get(reverse("workcalendar:year_list")).content.decode()
    assert "国务院办公厅关于2026年部分节假日安排的通知" in page
    assert "国办发明电〔2024〕12号" in page
    assert "<td>248</td>" in page
    assert "2027年的国务院节假日安排尚未载入" in page
    assert "暂定" in page


def test_year_detail_lists_holidays_and_weekend_workdays(admin_client: Client) -> None:
    """One year: source, blocks of days off, weekend working days, working-day count."""
    page = admin_client.get(reverse("workcalendar:year_detail", args=[2026])).content.decode()
    assert "2026年节假日安排" in page
    assert "2026年2月15日 — 2026年2月23日" in page
    assert "2026年2月28日" in page
    assert "<td>248</td>" in page
    assert admin_client.get(reverse("workcalendar:year_detail", args=[2030])).status_code == 404


def test_load_by_pasting_json(admin_client: Client, staff: dict[str, Any], late_2026: None) -> None:
    """Pasting a year file loads it (audited as the admin) and the warning disappears."""
    response = admin_client.post(
        reverse("workcalendar:year_load"),
        {"text": json.dumps(year_2027(), ensure_ascii=False)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workcalendar:year_detail", args=[2027])
    assert CalendarYear.objects.get(year=2027).loaded_by == staff["platform_admin"]
    assert AuditEvent.objects.get(action="calendar_year.load").actor == staff["platform_admin"]
    page = admin_client.get(reverse("workcalendar:year_list")).content.decode()
    assert "尚未载入" not in page


def test_load_by_uploading_a_file(admin_client: Client) -> None:
    """Uploading the file works the same way."""
    upload = SimpleUploadedFile(
        "2027.json", json.dumps(year_2027(), ensure_ascii=False).encode(), "application/json"
    )
    response = admin_client.post(reverse("workcalendar:year_load"), {"file": upload})
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()


def test_invalid_year_file_shows_the_problems(admin_client: Client) -> None:
    """A wrong file is refused with the validator's Chinese messages; nothing is stored."""
    data = year_2027()
    data["weekend_workdays"] = [{"date": "2027-02-15", "holiday": "春节"}]
    response = admin_client.post(
        reverse("workcalendar:year_load"), {"text": json.dumps(data, ensure_ascii=False)}
    )
    assert response.status_code == 200
    assert "只有星期六、星期日才能调为上班日" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    both = admin_client.post(reverse("workcalendar:year_load"), {"text": "{"})
    assert "不是有效的JSON" in both.content.decode()


def test_correcting_starts_from_the_loaded_year(admin_client: Client) -> None:
    """The correction form is prefilled with the year's current file."""
    page = admin_client.get(reverse("workcalendar:year_load") + "?year=2026").content.decode()
    assert "2026-02-15" in page and "content_7047091" in page


@pytest.mark.parametrize("who", ["handler_a", "admin_a", "head_a", "auditor"])
@pytest.mark.parametrize(
    "url",
    [
        ("workcalendar:year_list", None),
        ("workcalendar:year_detail", [2026]),
        ("workcalendar:year_load", None),
    ],
)
def test_only_platform_admins_get_in(staff: dict[str, Any], who: str, url: tuple[str, Any]) -> None:
    """Everyone else gets 404 (GET and POST); nothing is loaded."""
    client = Client()
    client.force_login(staff[who])
    target = reverse(url[0], args=url[1])
    assert client.get(target).status_code == 404
    response = client.post(target, {"text": json.dumps(year_2027(), ensure_ascii=False)})
    assert response.status_code == 404
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_anonymous_is_sent_to_login() -> None:
    """Anonymous visitors are redirected to the login page."""
    response = Client().get(reverse("workcalendar:year_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
