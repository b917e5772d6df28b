"""Every write of the ledger app: importing a historical ledger (台账) and running an import
job (exports and the template: ``exports.py``).

Import rules (docs/decisions/0461-ledger-import.md):

* every row is validated first; while any row is bad nothing is written;
* then all rows are inserted in one transaction with ``bulk_create`` in batches: the
  applications, one requested item each, their timeline entries (登记, and 补正/延期/办结 as the
  ledger records them) and the search outbox rows;
* one audit entry for the whole import, with counts — never one per row, and never personal
  data (证件号码, 联系电话 are neither logged nor audited);
* a 受理编号 from the ledger is kept (unique per agency and year); one in the platform's own
  format (``2024-0012``) claims its serial and raises the year's counter, so later live
  registrations never collide; rows without one get the next serials of the year's counter,
  taken from the same counter as registration (``core.counters``, scope ``REGISTRATION``).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.permissions import require
from gongkai.agencies.models import Agency
from gongkai.applications import deadlines
from gongkai.applications.choices import (
    Channel,
    EventKind,
    Result,
    Status,
)
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    RequestedItem,
)
from gongkai.applications.numbering import REGISTRATION, format_registration_number
from gongkai.applications.services import applicant_key
from gongkai.core.actors import SYSTEM, Actor, user_of
from gongkai.core.audit import record_audit
from gongkai.core.bulkinsert import insert_objects
from gongkai.core.counters import next_value
from gongkai.core.tabular import Table, TableFormatError
from gongkai.ledger.choices import ImportStatus
from gongkai.ledger.models import LedgerImport
from gongkai.ledger.spool import Spool, Tally
from gongkai.ledger.validation import LedgerRow, RowError, Validation, validate_rows
from gongkai.search.services import record_changes
from gongkai.workcalendar import events as ce
from gongkai.workcalendar.calendar import WorkCalendar
from gongkai.workcalendar.clock import compute_deadlines

logger = logging.getLogger(__name__)

#: Rows per INSERT statement batch.
BATCH_SIZE = 2000
#: Working days an extension adds when the ledger only says 是否延期 = 是 (第三十三条: ≤ 20).
LEDGER_EXTENSION_DAYS = 20
IMPORT_NOTE = "台账导入"


# --- import ----------------------------------------------------------------------------------
class Progress:
    """Receives progress reports of an import (the default does nothing)."""

    def reading(self) -> None:
        """The file is being read."""

    def validating(self, total: int) -> None:
        """``total`` rows were read and are being checked."""

    def checked(self, rows: int) -> None:
        """``rows`` rows have been checked."""

    def importing(self) -> None:
        """Every row is valid; writing starts."""

    def written(self, rows: int) -> None:
        """``rows`` rows have been written (inside the import transaction)."""


@dataclass
class ImportOutcome:
    """What an import did: the validation report and, when it passed, the counts written."""

    validation: Validation
    imported: int = 0
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the rows were imported."""
        return self.validation.ok and self.imported > 0


class _TakenNumbers:
    """The (year, 受理编号) and (year, serial) pairs the agency already uses, loaded per year
    on first sight (a streamed ledger's years are not known in advance)."""

    def __init__(self, agency: Agency) -> None:
        self.agency = agency
        self.numbers: set[tuple[int, str]] = set()
        self.serials: set[tuple[int, int]] = set()
        self._loaded: set[int] = set()
        self.by_number = _Lookup(self, self.numbers)
        self.by_serial = _Lookup(self, self.serials)

    def load(self, year: int) -> None:
        if year in self._loaded:
            return
        self._loaded.add(year)
        rows = Application.objects.filter(agency=self.agency, registration_year=year).values_list(
            "registration_number", "registration_serial"
        )
        for number, serial in rows.iterator(chunk_size=5000):
            self.numbers.add((year, number))
            if serial is not None:
                self.serials.add((year, serial))


class _Lookup:
    """``(year, value) in lookup`` — loads the year first."""

    def __init__(self, taken: _TakenNumbers, pairs: set[Any]) -> None:
        self.taken, self.pairs = taken, pairs

    def __contains__(self, key: object) -> bool:
        self.taken.load(key[0])  # type: ignore[index]
        return key in self.pairs


def validate_ledger(
    *,
    agency: Agency,
    table: Iterable[dict[str, str]],
    today: dt.date | None = None,
    progress: Progress | None = None,
    on_row: Callable[[LedgerRow], None] | None = None,
) -> Validation:
    """Validate a ledger's rows for ``agency`` (numbers are checked against its records)."""
    today = today or timezone.localdate()
    progress = progress or Progress()
    taken = _TakenNumbers(agency)
    return validate_rows(
        table,
        today=today,
        taken_numbers=taken.by_number,
        taken_serials=taken.by_serial,
        progress=progress.checked,
        header=getattr(table, "header", None),
        on_row=on_row,
    )


def _number_plan(agency: Agency, tally: Tally) -> dict[int, int]:
    """Take, for every year, the serials this import allocates (after the largest one it keeps
    from the ledger, so kept serials are never given out again); return year → the last
    serial in use before them (rows without a 受理编号 take the next ones, in file order)."""
    start: dict[int, int] = {}
    for year in sorted(tally.years):
        first = next_value(
            REGISTRATION,
            agency=agency,
            year=year,
            count=tally.unnumbered[year],
            floor=tally.claimed.get(year, 0),
        )
        start[year] = first - 1
    return start


def _number_rows(rows: list[LedgerRow], last: dict[int, int]) -> None:
    """Give every row without a 受理编号 the next serial of its year (``last`` advances)."""
    for row in rows:
        if not row.registration_number:
            last[row.year] += 1
            row.registration_serial = last[row.year]
            row.registration_number = format_registration_number(row.year, last[row.year])


def _receipt_payload(row: LedgerRow) -> dict[str, Any]:
    """The registration facts: the ledger's 收到日期 is already the 第三十一条 receipt date."""
    day = row.received_on.isoformat()
    return {
        "channel": row.channel,
        "arrived_on": day,
        "signed_for_on": None,
        "confirmed_on": day,
        "source": "ledger",
    }


def _clock_events(row: LedgerRow) -> list[ce.Event]:
    """The clock's view of a ledger row (the same facts as its timeline entries)."""
    events: list[ce.Event] = [
        ce.Received(
            channel=deadlines.CLOCK_CHANNEL[Channel(row.channel)],
            arrived_on=row.received_on,
            confirmed_on=row.received_on,
        )
    ]
    if row.corrected_on is not None:
        events.append(ce.CorrectionRequested(on=row.received_on, period_ends_on=row.corrected_on))
        events.append(ce.CorrectionReceived(on=row.corrected_on))
    if row.extended:
        events.append(
            ce.ExtensionApproved(on=row.corrected_on or row.received_on, days=LEDGER_EXTENSION_DAYS)
        )
    if row.replied_on is not None:
        events.append(ce.Replied(on=row.replied_on))
    return events


def build_application(
    row: LedgerRow, agency: Agency, by: Actor, today: dt.date, calendar: WorkCalendar
) -> Application:
    """Build (unsaved) the Application of a valid ledger row."""
    concluded = row.result is not None
    app = Application(
        agency=agency,
        registration_year=row.year,
        registration_serial=row.registration_serial,
        registration_number=row.registration_number,
        channel=row.channel,
        arrived_on=row.received_on,
        confirmed_on=row.received_on,
        received_on=row.received_on,
        applicant_type=row.applicant_type,
        applicant_name=row.applicant_name,
        id_document_type=row.id_document_type,
        id_number=row.id_number,
        credit_code=row.credit_code,
        phone=row.phone,
        applicant_key=applicant_key(
            applicant_type=row.applicant_type,
            id_number=row.id_number,
            credit_code=row.credit_code,
            name=row.applicant_name,
        ),
        description=row.description,
        status=Status.CLOSED if concluded else Status.HANDLING,
        proposed_result=row.result or "",
        result=row.result,
        replied_on=row.replied_on,
        closed_on=row.replied_on if concluded else None,
        filed_on=row.replied_on if concluded else None,
        corrected_on=row.corrected_on,
        correction_requested_on=row.received_on if row.corrected_on else None,
        correction_period_ends_on=row.corrected_on,
        extension_days=LEDGER_EXTENSION_DAYS if row.extended else 0,
        extension_reason=IMPORT_NOTE if row.extended else "",
        created_by=user_of(by),
    )
    if not concluded:
        # Open cases enter the work queues with their deadlines; concluded ones need none.
        result = compute_deadlines(_clock_events(row), calendar, today=today, explain=False)
        deadlines.apply_result(app, result)
    return app


def build_events(app: Application, row: LedgerRow, actor: Any) -> list[ApplicationEvent]:
    """The timeline entries of an imported case (append-only, like any other case)."""
    actor = actor if getattr(actor, "pk", None) else None
    out = [
        ApplicationEvent(
            application=app,
            seq=1,
            kind=EventKind.REGISTERED,
            on=row.received_on,
            actor=actor,
            payload=_receipt_payload(row),
            note=IMPORT_NOTE,
        )
    ]
    if row.corrected_on is not None:
        out.append(
            ApplicationEvent(
                application=app,
                seq=len(out) + 1,
                kind=EventKind.CORRECTION_REQUESTED,
                on=row.received_on,
                actor=actor,
                payload={"period_ends_on": row.corrected_on.isoformat(), "source": "ledger"},
                note=IMPORT_NOTE,
            )
        )
        out.append(
            ApplicationEvent(
                application=app,
                seq=len(out) + 1,
                kind=EventKind.CORRECTION_RECEIVED,
                on=row.corrected_on,
                actor=actor,
                payload={"source": "ledger"},
                note=IMPORT_NOTE,
            )
        )
    if row.extended:
        out.append(
            ApplicationEvent(
                application=app,
                seq=len(out) + 1,
                kind=EventKind.EXTENSION_APPROVED,
                on=row.corrected_on or row.received_on,
                actor=actor,
                payload={"days": LEDGER_EXTENSION_DAYS, "reason": IMPORT_NOTE, "source": "ledger"},
                note=IMPORT_NOTE,
            )
        )
    if row.result is not None and row.replied_on is not None:
        out.append(
            ApplicationEvent(
                application=app,
                seq=len(out) + 1,
                kind=EventKind.CLOSED,
                on=row.replied_on,
                actor=actor,
                payload={"result": row.result, "source": "ledger"},
                note=IMPORT_NOTE,
            )
        )
    return out


def _insert(
    *,
    by: Actor,
    agency: Agency,
    spool: Spool,
    tally: Tally,
    today: dt.date,
    on_written: Callable[[int], None],
    batch_size: int,
) -> dict[int, int]:
    """Insert the spooled rows (inside the caller's transaction); return year → serials
    allocated. Rows go in with COPY (PostgreSQL) or statements sized to SQLite's variable
    limit (``gongkai.core.bulkinsert``), one batch in memory at a time."""
    last = _number_plan(agency, tally)
    calendar = deadlines.get_calendar()
    written = 0
    for chunk in spool.batches(batch_size):
        _number_rows(chunk, last)
        apps = [build_application(r, agency, by, today, calendar) for r in chunk]
        insert_objects(apps)
        insert_objects(
            [
                RequestedItem(
                    application=a, position=1, description=r.description, decision=r.result or ""
                )
                for a, r in zip(apps, chunk, strict=True)
            ],
            returning_ids=False,
        )
        insert_objects(
            [e for a, r in zip(apps, chunk, strict=True) for e in build_events(a, r, by)],
            returning_ids=False,
        )
        record_changes("applications", [a.pk for a in apps])
        written += len(chunk)
        on_written(written)
    return {year: n for year, n in tally.unnumbered.items() if n}


def _summary(tally: Tally, allocated: dict[int, int], validation: Validation) -> dict:
    """Counts for the audit entry and the job page (no personal data)."""
    results = tally.results
    return {
        "rows": tally.rows,
        "concluded": tally.rows - results.get("open", 0),
        "open": results.get("open", 0),
        "by_year": {str(y): n for y, n in sorted(tally.years.items())},
        "by_result": {k: results[k] for k in [*Result.values, "open"] if results.get(k)},
        "numbers_allocated": sum(allocated.values()),
        "numbers_kept": tally.rows - sum(allocated.values()),
        "masked_values_dropped": validation.masked_dropped,
        "blank_rows": validation.blank_rows,
    }


def ledger_import_rows(
    *,
    by: Actor,
    agency: Agency,
    table: Iterable[dict[str, str]],
    today: dt.date | None = None,
    progress: Progress | None = None,
    job: LedgerImport | None = None,
    source: str = "",
    batch_size: int = BATCH_SIZE,
) -> ImportOutcome:
    """Validate all rows, then (only if none is bad) import them in one transaction.

    ``table`` is a list of header-keyed rows or a streamed ``Table`` (read once; the valid
    rows wait in a temporary file, so memory does not grow with the file). ``by`` is the
    officer (checked against ``ledger.import``) or ``SYSTEM`` for the command line. Returns the
    outcome; a rejected import writes nothing at all (not even an audit entry).
    """
    role = require(by, "ledger.import", agency, allow={SYSTEM})
    today = today or timezone.localdate()
    progress = progress or Progress()
    spool, tally = Spool(), Tally()
    try:
        try:
            if isinstance(table, Table):
                total = table.count()
            elif not isinstance(table, Sized):
                table = list(table)
                total = len(table)
            else:
                total = len(table)
            progress.validating(total)

            def keep(row: LedgerRow) -> None:
                spool.add(row)
                tally.add(row)

            validation = validate_ledger(
                agency=agency, table=table, today=today, progress=progress, on_row=keep
            )
        except TableFormatError as exc:
            validation = Validation()
            validation.add(RowError(0, "", str(exc)))
        if not validation.ok:
            return ImportOutcome(validation)
        progress.importing()
        with transaction.atomic():
            allocated = _insert(
                by=by,
                agency=agency,
                spool=spool,
                tally=tally,
                today=today,
                on_written=progress.written,
                batch_size=batch_size,
            )
            summary = _summary(tally, allocated, validation)
            record_audit(
                action="ledger.import",
                actor=by,
                target=job,
                agency=agency,
                role=role,
                after={**summary, "source": source or (job.filename if job else "")},
                target_repr=f"台账导入 {agency.name}" if job is None else None,
            )
    finally:
        spool.close()
    return ImportOutcome(validation, imported=tally.rows, summary=summary)


def read_ledger(path: Path | str) -> Table:
    """Open a ledger file (XLSX or CSV) as a stream of rows.

    Raises TableFormatError when the file cannot be read at all; a file that breaks further
    in raises it while its rows are read (``ledger_import_rows`` reports both the same way).
    """
    return Table(path)


def ledger_import_file(
    *,
    by: Actor,
    agency: Agency,
    path: Path | str,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Import a ledger file; an unreadable file is reported as a file-level error."""
    require(by, "ledger.import", agency, allow={SYSTEM})
    progress = progress or Progress()
    progress.reading()
    try:
        table = read_ledger(path)
    except TableFormatError as exc:
        validation = Validation()
        validation.add(RowError(0, "", str(exc)))
        return ImportOutcome(validation)
    return ledger_import_rows(
        by=by, agency=agency, table=table, today=today, progress=progress, source=Path(path).name
    )


# --- import jobs (background task) -----------------------------------------------------------
def ledger_import_job_create(*, by: Actor, agency: Agency, upload: Any) -> LedgerImport:
    """Store an uploaded ledger and queue its import (the task runs it)."""
    require(by, "ledger.import", agency, allow={SYSTEM})
    name = Path(getattr(upload, "name", "") or "ledger.xlsx").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        raise ValueError(_("请上传 XLSX 或 CSV 格式的台账文件。"))
    job = LedgerImport(agency=agency, filename=name, created_by=user_of(by))
    job.file.save(f"{timezone.now():%Y%m%d%H%M%S}{suffix}", File(upload), save=False)
    job.save()
    return job


class JobProgress(Progress):
    """Writes progress into the job row so the page can poll it.

    Outside the import transaction the row is updated directly. Inside it, the update would
    stay invisible until commit, so on PostgreSQL it goes through a second connection; SQLite
    has a single writer, so there the bar stays at "writing" until the commit.
    """

    def __init__(self, job: LedgerImport, *, every: int = 1000) -> None:
        self.job_id = job.pk
        self.every = every
        self._side: Any = None

    def _update(self, **fields: Any) -> None:
        LedgerImport.objects.filter(pk=self.job_id).update(**fields)

    def reading(self) -> None:
        self._update(status=ImportStatus.READING)

    def validating(self, total: int) -> None:
        self._update(status=ImportStatus.VALIDATING, total_rows=total, checked_rows=0)

    def checked(self, rows: int) -> None:
        self._update(checked_rows=rows)

    def importing(self) -> None:
        self._update(status=ImportStatus.IMPORTING)
        if connection.vendor == "postgresql":
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)

    def written(self, rows: int) -> None:
        if self._side is None:
            return
        table = LedgerImport._meta.db_table
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET imported_rows = %s WHERE id = %s",  # noqa: S608 - own table
                [rows, self.job_id],
            )

    def close(self) -> None:
        """Close the side connection, if one was opened."""
        if self._side is not None:
            self._side.close()
            self._side = None


def _local_copy(job: LedgerImport) -> Path:
    """Copy the stored upload to a local temporary file (storages need not be local)."""
    suffix = Path(job.file.name or "").suffix
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115
    with handle, job.file.open("rb") as source:
        shutil.copyfileobj(source, handle)
    return Path(handle.name)


def ledger_import_job_run(*, job_id: int) -> LedgerImport:
    """Run a queued import job: read, validate, import; store the outcome; delete the upload."""
    job = LedgerImport.objects.select_related("agency", "created_by").get(pk=job_id)
    if job.finished:
        return job
    progress = JobProgress(job)
    local: Path | None = None
    try:
        progress.reading()
        local = _local_copy(job)
        try:
            table = read_ledger(local)
        except TableFormatError as exc:
            outcome = ImportOutcome(Validation())
            outcome.validation.add(RowError(0, "", str(exc)))
        else:
            outcome = ledger_import_rows(
                by=job.created_by or SYSTEM,
                agency=job.agency,
                table=table,
                progress=progress,
                job=job,
            )
    except Exception as exc:
        logger.exception("ledger import %s failed", job_id)
        _finish(
            job,
            ImportStatus.FAILED,
            message=_("导入时发生错误（%(kind)s），未导入任何记录。")
            % {"kind": exc.__class__.__name__},
        )
        raise
    finally:
        progress.close()
        if local is not None:
            local.unlink(missing_ok=True)
    v = outcome.validation
    if outcome.ok:
        _finish(
            job,
            ImportStatus.SUCCEEDED,
            imported_rows=outcome.imported,
            checked_rows=job.total_rows or outcome.imported,
            summary=outcome.summary,
            message=_("已导入 %(n)d 条申请记录。") % {"n": outcome.imported},
        )
    else:
        _finish(
            job,
            ImportStatus.REJECTED,
            bad_rows=v.bad_rows,
            error_count=v.error_count,
            errors=[e.as_dict() for e in v.errors],
            message=_("有 %(n)d 行存在错误，未导入任何记录。请修改后重新上传。")
            % {"n": v.bad_rows or 1},
        )
    job.refresh_from_db()
    return job


def _finish(job: LedgerImport, status: str, **fields: Any) -> None:
    """Store the job's final state and delete the uploaded file (personal data)."""
    LedgerImport.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now(), **fields
    )
    if job.file:
        job.file.delete(save=False)
        LedgerImport.objects.filter(pk=job.pk).update(file="")


def ledger_import_job_start(*, by: Actor, agency: Agency, upload: Any) -> LedgerImport:
    """Create the job and enqueue the background task (run at once by the immediate backend)."""
    # Cycle: ledger.tasks imports these services (its task runs them).
    from gongkai.ledger.tasks import run_ledger_import

    job = ledger_import_job_create(by=by, agency=agency, upload=upload)
    run_ledger_import.enqueue(job.pk)
    job.refresh_from_db()
    return job
