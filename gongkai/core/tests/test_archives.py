"""The bounded archive reader, and every path that opens a DOCX/XLSX/ZIP going through it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from gongkai.core import archives
from gongkai.core.archives import ArchiveError, Limits, check_archive, open_archive
from gongkai.core.testing.zipbomb import docx_bomb, zip_bomb

SMALL = Limits(
    max_members=10, max_member_bytes=3_000_000, max_total_bytes=5_000_000, max_ratio=10**6
)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_an_ordinary_archive_reads_back():
    data = _zip({"a.xml": b"<a>" + "中文".encode() * 1000 + b"</a>", "b.txt": b"x"})
    assert check_archive(data) == ["a.xml", "b.txt"]
    with open_archive(data) as archive:
        assert "a.xml" in archive and "c" not in archive
        assert archive.read("a.xml").endswith(b"</a>")


@pytest.mark.parametrize(
    ("members", "code"),
    [
        ({"big": 4_000_000}, "too_large"),  # one member over the member limit
        ({"a": 2_000_000, "b": 2_000_000, "c": 2_000_000}, "too_large"),  # the total
    ],
)
def test_directory_limits(members, code):
    with pytest.raises(ArchiveError) as err:
        open_archive(zip_bomb(members), limits=SMALL)
    assert err.value.code == code and "过大" in err.value.message


def test_ratio_limit_refuses_a_bomb_under_the_size_limits():
    data = zip_bomb({"word/document.xml": 2_000_000}, honest_crc=True)
    with pytest.raises(ArchiveError) as err:
        check_archive(data)
    assert err.value.code == "ratio" and "压缩炸弹" in err.value.message


def test_too_many_members():
    data = _zip({f"f{i}": b"x" for i in range(11)})
    with pytest.raises(ArchiveError) as err:
        open_archive(data, limits=SMALL)
    assert err.value.code == "too_large"


def test_a_header_that_lies_about_the_size_is_refused_and_never_unpacks_more():
    # The directory says 1,000 bytes; the stream holds 3 MB of zeros.
    data = zip_bomb({"x": 3_000_000}, declared={"x": 1000}, honest_crc=True)
    with pytest.raises(ArchiveError) as err:
        check_archive(data)
    assert err.value.code == "damaged"
    with open_archive(data) as archive, pytest.raises(ArchiveError):
        archive.read("x")


def test_read_caps_the_member_even_below_the_directory_limits():
    data = _zip({"a": bytes(100_000)})
    with open_archive(data) as archive, pytest.raises(ArchiveError):
        archive.read("a", max_bytes=10_000)


@pytest.mark.parametrize("data", [b"PK\x03\x04 not a zip", b"", b"%PDF-1.4"])
def test_damaged_input(data):
    with pytest.raises(ArchiveError) as err:
        check_archive(data)
    assert err.value.code == "damaged" and "损坏" in err.value.message


def test_every_caller_refuses_a_bomb(tmp_path):
    """The catalogue attachment, the response document, the report XLSX import, table imports
    and sealed-archive verification all go through the bounded reader."""
    from gongkai.catalog.attachments import AttachmentError, check_file
    from gongkai.core.tabular import TableFormatError, iter_xlsx_rows
    from gongkai.letters.archive import verify_zip
    from gongkai.reports.builders.exports import XlsxReadError, read_xlsx
    from gongkai.responses.inspect import ResponseFileError, inspect_file

    bomb = docx_bomb(300_000_000)
    with pytest.raises(AttachmentError):
        check_file("a.docx", bomb, max_bytes=10_000_000)
    with pytest.raises(ResponseFileError):
        inspect_file(bomb, "a.docx")
    with pytest.raises(XlsxReadError):
        read_xlsx(bomb)
    path = tmp_path / "t.xlsx"
    path.write_bytes(zip_bomb({"xl/worksheets/sheet1.xml": 3_000_000_000}))
    with pytest.raises(TableFormatError):
        list(iter_xlsx_rows(path))
    assert not verify_zip(zip_bomb({"manifest.json": 1_000_000_000})).ok
    assert isinstance(ResponseFileError("x"), ValidationError)


def test_limits_are_named_for_their_callers():
    assert archives.CHECKER_LIMITS.max_total_bytes < archives.DEFAULT_LIMITS.max_total_bytes
    assert archives.TABLE_LIMITS.max_ratio == archives.DEFAULT_LIMITS.max_ratio
