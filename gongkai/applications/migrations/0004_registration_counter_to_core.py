"""Move the 受理编号 counters into the one counter (``core.Counter``, scope ``applications.registration``).

The current values are copied; the reverse copies them back before the old table returns.
"""

from django.db import migrations

SCOPE = "applications.registration"


def to_core(apps, schema_editor):
    old = apps.get_model("applications", "RegistrationCounter")
    counter = apps.get_model("core", "Counter")
    counter.objects.bulk_create(
        counter(scope=SCOPE, agency_id=row.agency_id, year=row.year, last_value=row.last_serial)
        for row in old.objects.all()
    )


def from_core(apps, schema_editor):
    old = apps.get_model("applications", "RegistrationCounter")
    counter = apps.get_model("core", "Counter")
    rows = counter.objects.filter(scope=SCOPE, agency__isnull=False)
    old.objects.bulk_create(
        old(agency_id=row.agency_id, year=row.year, last_serial=row.last_value) for row in rows
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_counter"),
        ("applications", "0003_archive_jobs_and_recompute_runs"),
    ]

    operations = [
        migrations.RunPython(to_core, from_core),
        migrations.DeleteModel(
            name="RegistrationCounter",
        ),
    ]
