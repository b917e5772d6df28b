"""The large-import path: rows stream from the file and wait in a spool, so memory does not
grow with the ledger; the fast insert writes exactly what ``bulk_create`` wrote."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from gongkai.applications.models import Application, ApplicationEvent, RequestedItem
from gongkai.applications.tests.factories import make_id_number
from gongkai.core.actors import SYSTEM
from gongkai.core.bulkinsert import insert_objects
from gongkai.ledger import columns as c
from gongkai.ledger import services
from gongkai.ledger.tests.conftest import HEADER, TODAY, row
from gongkai.search.models import IndexChange

pytestmark = pytest.mark.django_db

RESULTS = ["予以公开", "（二）部分公开", "本机关不掌握相关政府信息", "信访举报投诉类申请", ""]


def _ledger(path: Path, n: int, *, numbered_from: int = 0) -> Path:
    """``n`` valid rows (every fifth still open, some extended, some with numbers)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    start = dt.date(2024, 1, 2)
    for i in range(n):
        received = start + dt.timedelta(days=i % 600)
        result = RESULTS[i % len(RESULTS)]
        open_case = not result
        if open_case:
            received = TODAY - dt.timedelta(days=3 + i % 5)
        ws.append(
            row(
                **{
                    c.NUMBER: f"旧{numbered_from + i}" if i % 3 == 0 else "",
                    c.RECEIVED_ON: received,
                    c.APPLICANT: f"申请人{i}",
                    c.DESCRIPTION: f"请公开第{i}号文件" + "及附件" * (i % 7),
                    c.RESULT: result,
                    c.REPLIED_ON: "" if open_case else received + dt.timedelta(days=5),
                    c.ID_NUMBER: make_id_number(i % 97 + 1),
                    c.EXTENDED: "是" if i % 10 == 0 else "否",
                    c.CORRECTED_ON: received + dt.timedelta(days=1) if i % 20 == 1 else "",
                }
            )
        )
    wb.save(path)
    return path


def _import_peak(agency: Any, path: Path) -> tuple[int, int]:
    """Rows imported and the peak of Python memory allocated while importing them."""
    tracemalloc.start()
    try:
        outcome = services.ledger_import_rows(
            by=SYSTEM, agency=agency, table=services.read_ledger(path), today=TODAY, batch_size=200
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcome.ok, [str(e) for e in outcome.validation.errors[:5]]
    return outcome.imported, peak


def test_memory_does_not_grow_with_the_ledger(tree, tmp_path, today):
    """Four times the rows, about the same peak: only a batch is ever held."""
    small = _ledger(tmp_path / "small.xlsx", 600)
    large = _ledger(tmp_path / "large.xlsx", 2400, numbered_from=10_000)
    n_small, peak_small = _import_peak(tree.dept_a, small)
    n_large, peak_large = _import_peak(tree.dept_b, large)
    assert (n_small, n_large) == (600, 2400)
    assert peak_large < peak_small * 1.6, (peak_small, peak_large)
    assert Application.objects.filter(agency=tree.dept_b).count() == 2400
    expected = sum(  # 登记, 办结, 延期, 补正告知 + 收到补正 as the rows say
        1 + bool(RESULTS[i % 5]) + (i % 10 == 0) + 2 * (i % 20 == 1) for i in range(2400)
    )
    assert ApplicationEvent.objects.filter(application__agency=tree.dept_b).count() == expected
    outbox = IndexChange.objects.filter(index="applications")
    assert outbox.count() == 3000 and outbox.values("object_id").distinct().count() == 3000


def test_serials_follow_the_file_order_across_batches(tree, tmp_path, today):
    path = _ledger(tmp_path / "l.xlsx", 450)
    outcome = services.ledger_import_rows(
        by=SYSTEM, agency=tree.dept_a, table=services.read_ledger(path), today=TODAY, batch_size=40
    )
    assert outcome.ok
    apps = Application.objects.filter(agency=tree.dept_a).order_by("pk")
    platform = [a for a in apps if a.registration_serial is not None]
    for year in {a.registration_year for a in platform}:
        serials = [a.registration_serial for a in platform if a.registration_year == year]
        assert serials == list(range(1, len(serials) + 1))
    assert outcome.summary["numbers_allocated"] == len(platform) == 300
    assert outcome.summary["numbers_kept"] == 150


def _fields(model: Any) -> list[str]:
    skip = {"id", "application", "registration_number"}
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in skip
        and not getattr(f, "auto_now_add", False)
        and not getattr(f, "auto_now", False)
    ]


def test_fast_insert_writes_what_bulk_create_writes(tree, tmp_path, today):
    """Same values read back (encrypted fields decrypt, lookup hashes and JSON alike)."""
    path = _ledger(tmp_path / "l.xlsx", 60)
    validation = services.validate_ledger(agency=tree.dept_a, table=services.read_ledger(path))
    assert validation.ok
    from gongkai.applications import deadlines

    calendar = deadlines.get_calendar()
    built = {}
    for agency in (tree.dept_a, tree.dept_b):
        apps, items, events = [], [], []
        for r in validation.rows:
            r.registration_number = f"{agency.pk}-{r.row}"
            app = services.build_application(r, agency, None, TODAY, calendar)
            apps.append(app)
        built[agency.pk] = (apps, items, events)
    a_apps = built[tree.dept_a.pk][0]
    b_apps = built[tree.dept_b.pk][0]
    Application.objects.bulk_create(a_apps)
    insert_objects(b_apps)
    assert all(a.pk for a in b_apps) and len({a.pk for a in b_apps}) == len(b_apps)
    for agency, apps in ((tree.dept_a, a_apps), (tree.dept_b, b_apps)):
        RequestedItem.objects.bulk_create(
            [RequestedItem(application=a, position=1, description=a.description) for a in apps]
        ) if agency == tree.dept_a else insert_objects(
            [RequestedItem(application=a, position=1, description=a.description) for a in apps],
            returning_ids=False,
        )
        events = [
            e
            for a, r in zip(apps, validation.rows, strict=True)
            for e in services.build_events(a, r, None)
        ]
        if agency == tree.dept_a:
            ApplicationEvent.objects.bulk_create(events)
        else:
            insert_objects(events, returning_ids=False)

    def rows(model: Any, **where: Any) -> list[tuple]:
        fields = _fields(model)
        order = "registration_serial" if model is Application else "pk"
        objs = model.objects.filter(**where).order_by(order, "pk")
        return [tuple(getattr(o, f) for f in fields if f != "agency_id") for o in objs]

    assert rows(Application, agency=tree.dept_a) == rows(Application, agency=tree.dept_b)
    for model in (RequestedItem, ApplicationEvent):
        a = rows(model, application__agency=tree.dept_a)
        b = rows(model, application__agency=tree.dept_b)
        assert a == b and len(a) >= 60
    first = Application.objects.filter(agency=tree.dept_b).order_by("pk").first()
    assert first.id_number and first.id_number_hash  # decrypted again; hash filled by pre_save
    assert Application.objects.filter(
        id_number_hash__in=Application._meta.get_field("id_number_hash").hashes_for(
            first.id_number
        ),
        agency=tree.dept_b,
    ).exists()
