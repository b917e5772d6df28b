"""The 年报体检 verdict of each published version (decision 2004), filled for the versions
already published (checked against the unit's published version of the year before, 本机关
scope preferred, as the scorecard reads them)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from gongkai.reports.compute import report_checks


def fill(apps: Any, schema_editor: Any) -> None:
    report_model = apps.get_model("reports", "AnnualReport")
    version_model = apps.get_model("reports", "ReportVersion")
    verdict_model = apps.get_model("reports", "VersionVerdict")
    published: dict[tuple[int, int], int] = {}
    rows = (
        report_model.objects.filter(published_version__isnull=False)
        .order_by("-scope")  # OWN before CONSOLIDATED
        .values_list("agency_id", "year", "published_version_id")
    )
    for agency_id, year, version_id in rows:
        published.setdefault((agency_id, year), version_id)
    for version in version_model.objects.select_related("report").iterator():
        report = version.report
        before = published.get((report.agency_id, report.year - 1))
        previous = version_model.objects.get(pk=before).data if before is not None else None
        failures = report_checks(version.data, previous)
        verdict_model.objects.create(
            version=version,
            checks=[[f.is_hard, f.message] for f in failures],
            checked_against=before,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="VersionVerdict",
            fields=[
                (
                    "version",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="verdict",
                        serialize=False,
                        to="reports.reportversion",
                    ),
                ),
                ("checks", models.JSONField(default=list, verbose_name="体检结果")),
                ("checked_against", models.IntegerField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
