"""Seed the calendar tables with the official schedules shipped in data/official/ (2019–2026).

Reversible: unapplying deletes those years (and their days). Later corrections and new years go
through ``gongkai workdays load`` or the office page, both audited.
"""

from typing import Any

from django.db import migrations
from django.utils import timezone

from gongkai.workcalendar.schedule import official_schedules, source_to_dict

SHIPPED_YEARS = range(2019, 2027)


def load_official_years(apps: Any, schema_editor: Any) -> None:
    calendar_year = apps.get_model("workcalendar", "CalendarYear")
    calendar_day = apps.get_model("workcalendar", "CalendarDay")
    now = timezone.now()
    for schedule in official_schedules():
        if (
            schedule.year not in SHIPPED_YEARS
            or calendar_year.objects.filter(year=schedule.year).exists()
        ):
            continue
        row = calendar_year.objects.create(
            year=schedule.year,
            source_title=schedule.source.title,
            source_url=schedule.source.url,
            source_issued_on=schedule.source.issued_on,
            source_doc_number=schedule.source.doc_number or "",
            amendments=[source_to_dict(a) for a in schedule.amendments],
            loaded_at=now,
        )
        calendar_day.objects.bulk_create(
            [
                *(
                    calendar_day(calendar_year=row, date=day, kind="HOLIDAY", holiday=name)
                    for day, name in schedule.days_off()
                ),
                *(
                    calendar_day(
                        calendar_year=row, date=w.date, kind="WEEKEND_WORKDAY", holiday=w.holiday
                    )
                    for w in schedule.weekend_workdays
                ),
            ]
        )


def unload_official_years(apps: Any, schema_editor: Any) -> None:
    apps.get_model("workcalendar", "CalendarYear").objects.filter(year__in=SHIPPED_YEARS).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_calendar_tables")]

    operations = [migrations.RunPython(load_official_years, unload_official_years)]
