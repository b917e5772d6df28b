"""The case file integrated with letters, the archive, 第三十五条, recomputation progress and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.choices import ArchiveJobStatus, EventKind, Status
from gongkai.applications.models import Application, CaseArchiveJob, RecomputeRun
from gongkai.applications.tests.conftest import d
from gongkai.applications.tests.factories import make_application
from gongkai.core.models import AuditEvent
from gongkai.letters import services as letters
from gongkai.letters.choices import LetterKind
from gongkai.letters.models import CaseArchive, Letter
from gongkai.letters.storage import read_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Letters and archives go to a per-test directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _client(user):
    c = Client()
    c.force_login(user)
    return c


# --- letters on the timeline -------------------------------------------------------------------


def test_issuing_a_letter_appends_a_case_event(case_in, staff):
    """letter_issue logs LETTER_ISSUED with the number and kind on the case's timeline."""
    app = case_in(Status.AWAITING_CORRECTION)
    letter = letters.letter_issue(
        application=app, kind=LetterKind.CORRECTION, by=staff["handler_a"], issued_on=d(11)
    )
    event = app.events.order_by("-seq").first()
    assert event.kind == EventKind.LETTER_ISSUED
    assert event.on == d(11)
    assert event.payload == {
        "letter": letter.pk,
        "number": letter.number,
        "kind": LetterKind.CORRECTION,
        "template": "correction_notice",
    }
    assert letter.number in event.note
    page = _client(staff["handler_a"]).get(reverse("applications:detail", args=[app.pk]))
    text = page.content.decode()
    assert "制发文书" in text and letter.number in text
    assert reverse("letters:download", args=[letter.pk, "docx"]) in text


def test_letter_and_its_event_commit_together(case_in, staff, monkeypatch):
    """If logging on the case fails, no letter is issued and no number is used."""
    app = case_in(Status.HANDLING)

    def broken(**kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr(letters, "application_record_letter", broken)
    with pytest.raises(ValidationError):
        letters.letter_issue(application=app, kind=LetterKind.REPLY, by=staff["handler_a"])
    assert not Letter.objects.exists()
    assert not app.events.filter(kind=EventKind.LETTER_ISSUED).exists()


def test_recording_a_letter_needs_the_issue_role(case_in, staff):
    """The reviewer cannot log letters (letter.issue is for handler and head)."""
    app = case_in(Status.HANDLING)
    letter = letters.letter_issue(application=app, kind=LetterKind.REPLY, by=staff["handler_a"])
    with pytest.raises(PermissionDenied):
        s.application_record_letter(by=staff["reviewer_a"], application=app, letter=letter)


# --- archive on closing ------------------------------------------------------------------------


def test_closing_builds_the_archive_in_the_background(
    case_in, staff, django_capture_on_commit_callbacks
):
    """application_close queues a job; the task builds the sealed ZIP; the case page shows it."""
    app = case_in(Status.REPLIED)
    letters.letter_issue(application=app, kind=LetterKind.REPLY, by=staff["handler_a"])
    with django_capture_on_commit_callbacks(execute=True):
        s.application_close(by=staff["handler_a"], application=app, on=d(11, 3))
    job = CaseArchiveJob.objects.get(application=app)
    archive = CaseArchive.objects.get(application=app)
    assert job.status == ArchiveJobStatus.DONE and job.finished_at is not None
    assert job.manifest_sha256 == archive.manifest_sha256
    assert job.requested_by == staff["handler_a"]
    names = zipfile.ZipFile(io.BytesIO(read_bytes(archive.file))).namelist()
    assert "timeline.pdf" in names and any(n.startswith("letters/") for n in names)
    page = _client(staff["handler_a"]).get(reverse("applications:detail", args=[app.pk]))
    text = page.content.decode()
    assert "已归档" in text and archive.manifest_sha256 in text


def test_archive_failure_is_shown_on_the_case_page(
    case_in, staff, media_root, django_capture_on_commit_callbacks
):
    """A letter file changed after issue: the job fails with the reason; nothing is archived."""
    app = case_in(Status.REPLIED)
    letter = letters.letter_issue(application=app, kind=LetterKind.REPLY, by=staff["handler_a"])
    (media_root / letter.pdf_file).write_bytes(b"%PDF-1.7 altered")
    with django_capture_on_commit_callbacks(execute=True):
        s.application_close(by=staff["handler_a"], application=app, on=d(11, 3))
    job = CaseArchiveJob.objects.get(application=app)
    assert job.status == ArchiveJobStatus.FAILED
    assert letter.number in job.message and "改动" in job.message
    assert not CaseArchive.objects.exists()
    text = _client(staff["handler_a"]).get(reverse("applications:detail", args=[app.pk]))
    assert "归档失败" in text.content.decode()


def test_archive_job_runs_once(case_in, staff, django_capture_on_commit_callbacks):
    """Running a finished job again builds nothing more."""
    app = case_in(Status.REPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        s.application_close(by=staff["handler_a"], application=app, on=d(11, 3))
    job = CaseArchiveJob.objects.get()
    s.archive_job_run(job_id=job.pk)
    assert CaseArchive.objects.count() == 1


# --- 第三十五条 -----------------------------------------------------------------------------


def test_head_sets_a_longer_reasonable_deadline(case_in, staff, today):
    """The head's 第三十五条 decision moves the reply limit, is logged, audited and explained."""
    app = case_in(Status.HANDLING)
    old_due = app.reply_due_on
    today["d"] = d(20)
    app = s.application_set_longer_deadline(
        by=staff["head_a"],
        application=app,
        on=d(20),
        due_on=d(30, 4),
        reason="同一申请人一个月内提出120件申请，申请理由合理",
    )
    app.refresh_from_db()
    assert old_due < d(30, 4) and app.reply_due_on == d(30, 4)
    event = app.events.order_by("-seq").first()
    assert event.kind == EventKind.LONGER_DEADLINE_SET
    assert event.payload["due_on"] == "2026-04-30"
    audit = AuditEvent.objects.filter(action="application.set_longer_deadline").get()
    assert audit.after["reply_due_on"] == "2026-04-30"
    page = _client(staff["head_a"]).get(reverse("applications:detail", args=[app.pk]))
    text = page.content.decode()
    assert "第三十五条" in text and "2026年4月30日" in text


def test_longer_deadline_is_checked(case_in, staff):
    """Reason required; the date must be later than the current limit; only the head decides."""
    app = case_in(Status.HANDLING)
    args = {"application": app, "on": d(20), "due_on": d(30, 4)}
    with pytest.raises(ValidationError):
        s.application_set_longer_deadline(by=staff["head_a"], reason=" ", **args)
    with pytest.raises(ValidationError):
        s.application_set_longer_deadline(
            by=staff["head_a"], application=app, on=d(20), due_on=d(21), reason="数量过大"
        )
    with pytest.raises(ValidationError):  # after the limit has expired
        s.application_set_longer_deadline(
            by=staff["head_a"], application=app, on=d(20, 3), due_on=d(30, 4), reason="数量过大"
        )
    with pytest.raises(PermissionDenied):
        s.application_set_longer_deadline(by=staff["handler_a"], reason="数量过大", **args)
    assert not app.events.filter(kind=EventKind.LONGER_DEADLINE_SET).exists()


def test_longer_deadline_form_on_the_case_page(case_in, staff):
    """The head sees the step on the case page and submits it; the handler is refused."""
    app = case_in(Status.HANDLING)
    url = reverse("applications:step", args=[app.pk, "set_longer_deadline"])
    head = _client(staff["head_a"])
    assert url in head.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert _client(staff["handler_a"]).get(url).status_code == 403
    response = head.post(url, {"on": "2026-02-20", "due_on": "2026-04-30", "reason": "申请过多"})
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).reply_due_on == dt.date(2026, 4, 30)


# --- recomputation progress --------------------------------------------------------------------


def test_calendar_change_records_the_recompute_progress(tree, staff):
    """The signal records a run; the task writes total/done/changed and the finishing time."""
    from gongkai.workcalendar.signals import calendar_changed

    for n in range(3):
        make_application(tree.dept_a, staff["handler_a"], received_on=d(10 + n))
    calendar_changed.send(sender=None, year=2026)
    run = RecomputeRun.objects.get()
    assert run.year == 2026 and "2026年工作日历" in run.reason
    assert (run.total, run.done) == (3, 3) and run.finished and run.percent == 100
    assert run.started_at is not None and run.started_at <= run.finished_at


def test_recompute_progress_page_for_platform_admins_only(tree, staff):
    """Platform admins see the list and the bar (htmx partial while running); others 404."""
    run = RecomputeRun.objects.create(reason="2027年工作日历载入或更正", year=2027, total=200)
    RecomputeRun.objects.filter(pk=run.pk).update(done=50)
    admin = _client(staff["platform_admin"])
    listing = admin.get(reverse("applications:recompute_list")).content.decode()
    assert "2027年工作日历载入或更正" in listing and 'value="25"' in listing
    url = reverse("applications:recompute_detail", args=[run.pk])
    partial = admin.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'hx-trigger="every 1s"' in partial and "25%" in partial
    RecomputeRun.objects.filter(pk=run.pk).update(done=200, finished_at=run.created_at)
    done = admin.get(url).content.decode()
    assert "已完成" in done and "hx-trigger" not in done
    for who in ("handler_a", "admin_a", "auditor"):
        assert _client(staff[who]).get(url).status_code == 404
    year_page = admin.get(reverse("workcalendar:year_detail", args=[2026])).content.decode()
    assert reverse("applications:recompute_list") in year_page


def test_cli_recompute_keeps_its_progress_output_and_records_a_run(tree, staff):
    """``gongkai applications recompute-deadlines`` prints the bar and stores the run."""
    make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
    out = io.StringIO()
    call_command("applications", "recompute-deadlines", "--reason", "每日重算", stdout=out)
    assert "1/1" in out.getvalue() and "已重新计算 1 件" in out.getvalue()
    run = RecomputeRun.objects.get()
    assert run.reason == "每日重算" and run.done == 1 and run.finished


# --- command-line names of the issue -----------------------------------------------------------


def test_cli_verify_archive(case_in, staff, media_root, django_capture_on_commit_callbacks):
    """``gongkai applications verify-archive FILE`` checks the sealed ZIP (OK, then tampered)."""
    app = case_in(Status.REPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        s.application_close(by=staff["handler_a"], application=app, on=d(11, 3))
    path = media_root / CaseArchive.objects.get().file
    out = io.StringIO()
    call_command("applications", "verify-archive", str(path), stdout=out)
    assert out.getvalue().startswith("OK")
    data = bytearray(path.read_bytes())
    src = zipfile.ZipFile(io.BytesIO(bytes(data)))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, body + b" " if info.filename == "timeline.pdf" else body)
    path.write_bytes(rebuilt.getvalue())
    with pytest.raises(CommandError, match="timeline.pdf"):
        call_command("applications", "verify-archive", str(path), stdout=io.StringIO())


def test_cli_import_and_export_delegate_to_the_ledger(tree, staff, tmp_path):
    """``gongkai applications export`` writes a ledger that ``applications import`` reads back."""
    make_application(tree.dept_a, staff["handler_a"], received_on=d(10))
    make_application(tree.dept_a, staff["handler_a"], received_on=d(11))
    target = tmp_path / "ledger.xlsx"
    out = io.StringIO()
    call_command(
        "applications", "export", str(target), "--agency", tree.dept_a.credit_code, stdout=out
    )
    assert "已导出 2 条" in out.getvalue() and target.exists()
    out = io.StringIO()
    call_command(
        "applications", "import", str(target), "--agency", tree.dept_b.credit_code, stdout=out
    )
    assert "已导入 2 条" in out.getvalue()
    assert Application.objects.filter(agency=tree.dept_b).count() == 2
