"""The sealed case archive: build for a closed case, verify, detect tampering."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.models import AuditEvent
from gongkai.letters import services
from gongkai.letters.archive import verify_zip
from gongkai.letters.choices import LetterKind
from gongkai.letters.tests.factories import make_case, make_closed_case
from gongkai.letters.tests.helpers import pdf_text


@pytest.fixture
def archived(tree, staff, media_root):
    """A closed case with a correction notice and a reply, archived."""
    handler = staff["handler_a"]
    app = make_closed_case(tree.dept_a, by=handler)
    services.letter_issue(
        application=app,
        kind=LetterKind.CORRECTION,
        by=handler,
        facts={"correction_content": "请明确文号"},
    )
    services.letter_issue(application=app, kind=LetterKind.REPLY, by=handler)
    archive = services.archive_build(application=app, by=handler)
    return archive, media_root / archive.file


def _rewrite(path, member, change):
    """Rewrite the ZIP with ``member``'s bytes changed (valid CRC: only the hash can tell)."""
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == member else data)
    path.write_bytes(out.getvalue())


@pytest.mark.django_db
def test_archive_contents(archived):
    """The ZIP holds the application, each letter as DOCX and PDF, the timeline, the manifest."""
    archive, path = archived
    names = zipfile.ZipFile(path).namelist()
    assert names[0] == "application.pdf"
    assert names[-3:] == ["timeline.pdf", "manifest.json", "manifest.sha256"]
    letters = [n for n in names if n.startswith("letters/")]
    assert len(letters) == 4 and {n.rsplit(".", 1)[1] for n in letters} == {"docx", "pdf"}
    zf = zipfile.ZipFile(path)
    manifest = json.loads(zf.read("manifest.json"))
    assert [f["path"] for f in manifest["files"]] == names[:-2]
    assert manifest["application"]["result"] == "r1_open"
    assert len(manifest["letters"]) == 2
    timeline = pdf_text(zf.read("timeline.pdf"))
    assert "办结" in timeline and "测试市甲局依告〔2026〕2号" in timeline
    assert "2025年本机关行政处罚决定书" in pdf_text(zf.read("application.pdf"))
    assert archive.member_count == len(names) - 2
    assert AuditEvent.objects.filter(action="letter.archive").count() == 1


@pytest.mark.django_db
def test_verify_ok(archived, capsys):
    """An untouched archive verifies, and matches the platform's record."""
    archive, path = archived
    assert verify_zip(path).ok
    call_command("letters", "verify-archive", str(path))
    out = capsys.readouterr().out
    assert out.startswith("OK") and archive.manifest_sha256 in out and "一致" in out


@pytest.mark.django_db
def test_verify_names_a_member_changed_inside(archived):
    """A member changed inside a well-formed ZIP fails its SHA-256 check, by name."""
    _archive, path = archived
    member = next(n for n in zipfile.ZipFile(path).namelist() if n.endswith(".docx"))
    _rewrite(path, member, lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:])
    with pytest.raises(CommandError) as exc:
        call_command("letters", "verify-archive", str(path))
    assert member in str(exc.value) and "SHA-256" in str(exc.value)
    assert exc.value.returncode == 1


@pytest.mark.django_db
def test_verify_names_a_member_with_a_flipped_byte(archived):
    """A byte flipped in the stored data of a member is reported for that member."""
    _archive, path = archived
    zf = zipfile.ZipFile(path)
    info = zf.getinfo("timeline.pdf")
    raw = bytearray(path.read_bytes())
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[offset + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    check = verify_zip(path)
    assert not check.ok and check.member == "timeline.pdf"


@pytest.mark.django_db
def test_verify_detects_an_edited_manifest(archived):
    """Changing a hash in the manifest breaks the manifest's own hash."""
    _archive, path = archived

    def edit(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["files"][0]["sha256"] = "0" * 64
        return json.dumps(manifest).encode()

    _rewrite(path, "manifest.json", edit)
    check = verify_zip(path)
    assert not check.ok and check.member == "manifest.json"


@pytest.mark.django_db
def test_only_closed_cases_are_archived(tree, staff):
    """An open case cannot be archived."""
    with pytest.raises(ValidationError):
        services.archive_build(application=make_case(tree.dept_a), by=staff["handler_a"])


@pytest.mark.django_db
def test_archive_refuses_an_altered_letter_file(tree, staff, media_root):
    """A letter file changed on disk after issue stops the archive."""
    app = make_closed_case(tree.dept_a)
    letter = services.letter_issue(application=app, kind=LetterKind.REPLY, by=staff["handler_a"])
    (media_root / letter.pdf_file).write_bytes(b"%PDF-forged")
    with pytest.raises(ValidationError):
        services.archive_build(application=app, by=staff["handler_a"])
