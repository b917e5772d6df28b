"""Move the 索引号 counters into the one counter (``core.Counter``, scope ``catalog.index``).

The current values are copied; the reverse copies them back before the old table returns.
"""

from django.db import migrations

SCOPE = "catalog.index"


def to_core(apps, schema_editor):
    old = apps.get_model("catalog", "IndexCounter")
    counter = apps.get_model("core", "Counter")
    counter.objects.bulk_create(
        counter(scope=SCOPE, agency_id=row.agency_id, year=row.year, last_value=row.last_serial)
        for row in old.objects.all()
    )


def from_core(apps, schema_editor):
    old = apps.get_model("catalog", "IndexCounter")
    counter = apps.get_model("core", "Counter")
    rows = counter.objects.filter(scope=SCOPE, agency__isnull=False)
    old.objects.bulk_create(
        old(agency_id=row.agency_id, year=row.year, last_serial=row.last_value) for row in rows
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_counter"),
        ("catalog", "0004_category_top_names_unique"),
    ]

    operations = [
        migrations.RunPython(to_core, from_core),
        migrations.DeleteModel(
            name="IndexCounter",
        ),
    ]
