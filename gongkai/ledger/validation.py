"""Validate every row of a ledger before anything is written (pure Python, no database).

``validate_rows`` turns the header-keyed rows of a table into ``LedgerRow`` objects and a list
of ``RowError`` — each with the spreadsheet row number (the header is row 1) and a Chinese
reason. The caller imports only when the error list is empty.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field

from gongkai.agencies.credit_code import credit_code_error, normalise_credit_code
from gongkai.applications.choices import ApplicantType, IdDocumentType
from gongkai.applications.identity import id_number_error, normalise_id_number
from gongkai.ledger import columns as c

#: Field lengths of the Application model the ledger writes into.
MAX_LENGTHS = {c.APPLICANT: 200, c.NUMBER: 40, c.ID_NUMBER: 40, c.PHONE: 40}
#: Errors kept in detail (the count is always exact).
MAX_ERRORS = 2000


@dataclass(frozen=True)
class RowError:
    """One problem of one row (``row`` 1 = the header row; 0 = the file as a whole)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        column = f"【{self.column}】" if self.column else ""
        return f"{where}{column}：{self.message}"

    def as_dict(self) -> dict[str, object]:
        """JSON form, for the import job's stored report."""
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class LedgerRow:
    """One valid ledger row, ready to become an Application."""

    row: int
    received_on: dt.date
    channel: str
    applicant_type: str
    applicant_name: str
    description: str
    result: str | None
    replied_on: dt.date | None
    registration_number: str = ""
    registration_serial: int | None = None
    id_document_type: str = ""
    id_number: str = ""
    credit_code: str = ""
    phone: str = ""
    extended: bool = False
    corrected_on: dt.date | None = None

    @property
    def year(self) -> int:
        """The registration year (the year of the receipt date, as for live registrations)."""
        return self.received_on.year


@dataclass
class Validation:
    """The outcome of validating a whole table."""

    rows: list[LedgerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    bad_rows: int = 0
    masked_dropped: int = 0
    blank_rows: int = 0
    valid_rows: int = 0

    @property
    def ok(self) -> bool:
        """True when no row is bad."""
        return self.error_count == 0

    def add(self, error: RowError) -> None:
        """Record one error (the first MAX_ERRORS in detail)."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)


def check_headers(headers: Iterable[str]) -> list[RowError]:
    """Return an error per required column missing from the header row."""
    present = {normalise_header(h) for h in headers}
    return [
        RowError(1, name, "缺少必填列（表头须与模板一致）")
        for name in c.REQUIRED
        if name not in present
    ]


def normalise_header(header: str) -> str:
    """Trim a header and drop a required-marker (``*``) or a ``（必填）`` note."""
    text = c.fold(header).replace("*", "").replace("(必填)", "").replace("(选填)", "")
    return text.strip()


def _identity(applicant_type: str, raw: str, errors: list[tuple[str, str]]) -> c.Identity:
    value = c.fold(raw)
    if not value:
        return c.Identity()
    if c.is_masked(value):
        return c.Identity(masked=True)
    if len(value) > MAX_LENGTHS[c.ID_NUMBER]:
        errors.append((c.ID_NUMBER, "证件号码过长"))
        return c.Identity()
    if applicant_type == ApplicantType.PERSON:
        number = normalise_id_number(value)
        if c.looks_like_id_card(number) or (len(number) == 18 and number[:17].isdigit()):
            error = id_number_error(number)
            if error:
                errors.append((c.ID_NUMBER, error))
                return c.Identity()
            return c.Identity(IdDocumentType.ID_CARD, number)
        return c.Identity(IdDocumentType.OTHER, value)
    code = normalise_credit_code(value)
    error = credit_code_error(code)
    if error:
        errors.append((c.ID_NUMBER, f"法人或其他组织应填写统一社会信用代码：{error}"))
        return c.Identity()
    return c.Identity(credit_code=code)


def validate_row(
    number: int, raw: dict[str, str], *, today: dt.date
) -> tuple[LedgerRow | None, list[tuple[str, str]], bool]:
    """Validate one row; return (row or None, [(column, message)], masked data dropped)."""
    errors: list[tuple[str, str]] = []
    cell = {normalise_header(k): c.clean_text(v) for k, v in raw.items()}

    def parse(column: str, parser: Callable[[str], object], required: bool = False) -> object:
        value = cell.get(column, "")
        if required and not value:
            errors.append((column, "不能为空"))
            return None
        try:
            return parser(value)
        except c.CellError as exc:
            errors.append((column, str(exc)))
            return None

    def date(v: str) -> dt.date | None:
        return c.parse_date(v, today=today)

    received_on = parse(c.RECEIVED_ON, date, required=True)
    channel = parse(c.CHANNEL, c.parse_channel, required=True)
    applicant_type = parse(c.APPLICANT_TYPE, c.parse_applicant_type, required=True)
    name = cell.get(c.APPLICANT, "")
    if not name:
        errors.append((c.APPLICANT, "不能为空"))
    elif len(name) > MAX_LENGTHS[c.APPLICANT]:
        errors.append((c.APPLICANT, f"不能超过{MAX_LENGTHS[c.APPLICANT]}个字"))
    description = cell.get(c.DESCRIPTION, "")
    if not description:
        errors.append((c.DESCRIPTION, "不能为空"))
    result = parse(c.RESULT, c.parse_result)
    replied_on = parse(c.REPLIED_ON, date)
    corrected_on = parse(c.CORRECTED_ON, date)
    extended = parse(c.EXTENDED, c.parse_yes_no)
    phone_masked = parse(c.PHONE, c.parse_phone)
    registration_number = c.fold(cell.get(c.NUMBER, ""))
    if len(registration_number) > MAX_LENGTHS[c.NUMBER]:
        errors.append((c.NUMBER, f"不能超过{MAX_LENGTHS[c.NUMBER]}个字符"))
    identity = (
        _identity(str(applicant_type), cell.get(c.ID_NUMBER, ""), errors)
        if applicant_type
        else c.Identity()
    )

    # Facts that depend on each other.
    if result and not replied_on and not any(col == c.REPLIED_ON for col, _ in errors):
        errors.append((c.REPLIED_ON, "已填写办理结果的，须填写答复日期"))
    if replied_on and not result and not any(col == c.RESULT for col, _ in errors):
        errors.append((c.RESULT, "已填写答复日期的，须填写办理结果（仍在办理的两项都留空）"))
    if isinstance(received_on, dt.date):
        if isinstance(replied_on, dt.date) and replied_on < received_on:
            errors.append((c.REPLIED_ON, "答复日期早于收到日期"))
        if isinstance(corrected_on, dt.date):
            if corrected_on < received_on:
                errors.append((c.CORRECTED_ON, "补正日期早于收到日期"))
            elif isinstance(replied_on, dt.date) and corrected_on > replied_on:
                errors.append((c.CORRECTED_ON, "补正日期晚于答复日期"))

    if errors:
        return None, errors, False
    assert isinstance(received_on, dt.date)  # noqa: S101 - checked above
    phone, phone_was_masked = phone_masked if isinstance(phone_masked, tuple) else ("", False)
    row = LedgerRow(
        row=number,
        received_on=received_on,
        channel=str(channel),
        applicant_type=str(applicant_type),
        applicant_name=name,
        description=description,
        result=str(result) if result else None,
        replied_on=replied_on if isinstance(replied_on, dt.date) else None,
        registration_number=registration_number,
        registration_serial=c.platform_serial(registration_number, received_on.year)
        if registration_number
        else None,
        id_document_type=identity.id_document_type,
        id_number=identity.id_number,
        credit_code=identity.credit_code,
        phone=phone,
        extended=bool(extended),
        corrected_on=corrected_on if isinstance(corrected_on, dt.date) else None,
    )
    return row, [], identity.masked or phone_was_masked


def validate_rows(
    table: Iterable[dict[str, str]],
    *,
    today: dt.date,
    taken_numbers: Container[tuple[int, str]] | None = None,
    taken_serials: Container[tuple[int, int]] | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
    header: Iterable[str] | None = None,
    on_row: Callable[[LedgerRow], None] | None = None,
) -> Validation:
    """Validate every row of ``table`` (header-keyed dicts; the header was row 1).

    ``table`` may be a stream: it is walked once. ``header`` names the columns (taken from the
    first row's keys when not given). ``taken_numbers`` holds the (year, 受理编号) pairs the
    agency already uses and ``taken_serials`` the (year, serial) pairs; a 受理编号 repeated in
    the file or already used is a bad row. Blank rows are skipped (and counted). ``progress``
    is called with the number of rows checked so far. Valid rows go to ``on_row`` when given
    (so a caller can spool them instead of holding them), otherwise into ``Validation.rows``.
    """
    outcome = Validation()
    taken_numbers = taken_numbers if taken_numbers is not None else set()
    taken_serials = taken_serials if taken_serials is not None else set()
    first_seen: dict[tuple[int, str], int] = {}
    serial_seen: dict[tuple[int, int | None], int] = {}  # looked up with None: no match
    rows = iter(table)
    first = next(rows, None)
    if first is not None:
        for error in check_headers(first.keys() if header is None else header):
            outcome.add(error)
        if not outcome.ok:
            return outcome
    keep = on_row or outcome.rows.append
    index = -1
    for index, raw in enumerate(itertools.chain([first] if first is not None else [], rows)):
        number = index + 2
        if progress is not None and index and index % every == 0:
            progress(index)
        if not any((v or "").strip() for v in raw.values()):
            outcome.blank_rows += 1
            continue
        row, errors, masked = validate_row(number, raw, today=today)
        if row is not None and row.registration_number:
            key = (row.year, row.registration_number)
            if key in taken_numbers or (
                row.registration_serial is not None
                and (row.year, row.registration_serial) in taken_serials
            ):
                errors.append((c.NUMBER, f"受理编号“{row.registration_number}”本机关当年已使用"))
            elif key in first_seen or (row.year, row.registration_serial) in serial_seen:
                other = first_seen.get(key) or serial_seen[(row.year, row.registration_serial)]
                errors.append((c.NUMBER, f"受理编号“{row.registration_number}”与第{other}行重复"))
            else:
                first_seen[key] = number
                if row.registration_serial is not None:
                    serial_seen[(row.year, row.registration_serial)] = number
        if errors:
            outcome.bad_rows += 1
            for column, message in errors:
                outcome.add(RowError(number, column, message))
            continue
        assert row is not None  # noqa: S101
        outcome.masked_dropped += int(masked)
        outcome.valid_rows += 1
        keep(row)
    if progress is not None:
        progress(index + 1)
    if not outcome.valid_rows and outcome.ok:
        outcome.add(RowError(0, "", "文件中没有台账数据"))
    return outcome
