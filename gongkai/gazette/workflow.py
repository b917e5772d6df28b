"""The workflow of a gazette issue: compiled (编辑中), then published (已出版, frozen)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import require
from gongkai.core.actors import SYSTEM
from gongkai.core.workflow import StepRefused, Transition, Workflow, event_recorder
from gongkai.gazette.choices import EventKind
from gongkai.gazette.choices import IssueStatus as S
from gongkai.gazette.models import GazetteIssue, IssueEvent

#: The platform itself (the demo city, imports) may take every step.
PLATFORM = frozenset({SYSTEM})


class GazetteError(StepRefused):
    """A step is not allowed now, or its input is wrong (Chinese message)."""


def _has_entries(issue: GazetteIssue) -> str | None:
    return None if issue.entries.exists() else "本期公报还没有刊登任何文件。"


WORKFLOW = Workflow(
    model=GazetteIssue,
    transitions=[
        Transition(
            "create",
            _("新建一期"),
            set(),
            S.DRAFT,
            action="gazette.compile",
            event=EventKind.CREATED,
            actors=PLATFORM,
        ),
        Transition("edit", _("编辑"), {S.DRAFT}, None, action="gazette.compile", actors=PLATFORM),
        Transition(
            "publish",
            _("出版"),
            {S.DRAFT},
            S.PUBLISHED,
            action="gazette.publish",
            guard=_has_entries,
            event=EventKind.PUBLISHED,
            actors=PLATFORM,
        ),
    ],
    check=require,
    record_event=event_recorder(IssueEvent, "issue"),
    audit_prefix="gazette",
    describe=lambda issue: issue.title,
    audit_fields=("status", "number", "total_number", "issue_date", "print_run"),
    refusal=GazetteError,
)
