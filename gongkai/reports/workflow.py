"""The workflow of an annual report's working copy, in one table, run by the workflow kernel.

编制中 (the handler computes the figures, enters the cells the platform cannot know, edits the
prose) → 待审核 (the 审核人) → 待审批 (the 负责人 approves: the figures and the prose are frozen
into a version and published) → 已发布. A correction (更正) reopens the working copy. Reports
imported or submitted from outside the platform do not go through these steps (a guard).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import require
from gongkai.core.actors import Actor, user_of
from gongkai.core.workflow import Step, StepRefused, Transition, Workflow
from gongkai.reports.choices import ReportStatus
from gongkai.reports.models import AnnualReport, ReportEvent

S = ReportStatus


class ReportError(StepRefused):
    """A step is not allowed now, or the report fails a check that blocks it."""


def _computed(report: AnnualReport) -> str | None:
    """Imported and submitted reports are not compiled on the platform."""
    return None if report.is_computed else "导入或报送的报告不经编制流程。"


def _correctable(report: AnnualReport) -> str | None:
    return None if report.is_computed else "导入或报送的报告请重新导入。"


def _compiling(name: str, label: Any, source: str, target: str | None, action: str) -> Transition:
    """A step of the compilation on the platform (refused for imported reports)."""
    return Transition(name, label, frozenset({source}), target, action=action, guard=_computed)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("create", _("创建"), frozenset(), S.DRAFT, action="report.start"),
        _compiling("edit", _("编制"), S.DRAFT, None, "report.draft"),
        _compiling("refresh", _("重新统计"), S.DRAFT, None, "report.compute"),
        _compiling("submit", _("提交审核"), S.DRAFT, S.IN_REVIEW, "report.draft"),
        _compiling("review_pass", _("审核通过"), S.IN_REVIEW, S.IN_APPROVAL, "report.review"),
        _compiling("review_return", _("审核退回"), S.IN_REVIEW, S.DRAFT, "report.review"),
        _compiling("approve", _("批准发布"), S.IN_APPROVAL, S.PUBLISHED, "report.approve"),
        _compiling("approval_return", _("退回修改"), S.IN_APPROVAL, S.DRAFT, "report.approve"),
        Transition(
            "correct",
            _("更正"),
            frozenset({S.PUBLISHED}),
            S.DRAFT,
            action="report.correct",
            guard=_correctable,
        ),
    ]
}


def person(by: Actor) -> str:
    """How the report's history and hand-entered cells name the actor."""
    return str(by)


def record_report_event(report: AnnualReport, kind: str, *, by: Actor, note: str = "") -> Any:
    """Append an entry to the report's history."""
    return ReportEvent.objects.create(
        report=report, kind=kind, actor=user_of(by), actor_repr=person(by)[:200], note=note
    )


def _record(step: Step, kind: str, note: str = "") -> Any:
    return record_report_event(step.obj, kind, by=step.by, note=note)


def describe(report: AnnualReport) -> str:
    """How audit entries name a report: ``某局2025年度报告（本机关）``."""
    return f"{report.agency.name}{report.year}年度报告（{report.get_scope_display()}）"


WORKFLOW = Workflow(
    model=AnnualReport,
    transitions=TRANSITIONS.values(),
    check=require,
    record_event=_record,
    audit_prefix="report",
    describe=describe,
    refusal=ReportError,
)
