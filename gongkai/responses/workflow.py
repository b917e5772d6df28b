"""Every state change of a response document, in one table, run by the workflow kernel.

A document may be added, planned (marks), rendered and removed only while its case is being
worked on (``applications.workflow.WORKING``): once the reply is submitted for review the
documents are frozen, so the reviewer and the head see exactly what goes out, and the head's
approval covers those files. A case returned to the handler opens them again.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import require
from gongkai.applications.workflow import WORKING
from gongkai.core.actors import SYSTEM
from gongkai.core.workflow import Transition, Workflow
from gongkai.responses.choices import ACTIVE_DOCUMENT_STATUSES, PLANNABLE_STATUSES
from gongkai.responses.choices import DocumentStatus as D
from gongkai.responses.models import ResponseDocument

HANDLE = "application.handle"
WORKER = frozenset({SYSTEM})


def case_open(application: Any) -> bool:
    """True while the case's documents may change (the case is being worked on)."""
    return application.status in WORKING


def case_open_for_documents(document: ResponseDocument) -> str | None:
    """Refusal while the case is not being worked on (submitted, approved or concluded)."""
    if not case_open(document.application):
        return str(_("案件已提交审核或已办结，答复材料已锁定；如需修改，须先退回经办人。"))
    return None


TRANSITIONS = [
    Transition(
        "attach",
        _("添加答复材料"),
        frozenset(),
        choices=frozenset({D.CONVERTING, D.DRAFT}),
        action=HANDLE,
        guard=case_open_for_documents,
    ),
    Transition(
        "convert",
        _("转换为PDF"),
        frozenset({D.CONVERTING}),
        choices=frozenset({D.DRAFT, D.FAILED}),
        action=HANDLE,
        actors=WORKER,
    ),
    Transition(
        "plan",
        _("区分处理标记"),
        PLANNABLE_STATUSES,
        target=D.DRAFT,
        action=HANDLE,
        guard=case_open_for_documents,
    ),
    Transition(
        "render",
        _("生成提供文件"),
        PLANNABLE_STATUSES,
        choices=frozenset({D.READY, D.DRAFT}),
        action=HANDLE,
        actors=WORKER,
        guard=case_open_for_documents,
    ),
    Transition(
        "remove",
        _("移除答复材料"),
        ACTIVE_DOCUMENT_STATUSES,
        target=D.REMOVED,
        action=HANDLE,
        guard=case_open_for_documents,
    ),
]


def _no_event(step: Any, kind: str, **details: Any) -> None:
    """Documents keep no event model of their own: the audit trail holds every step."""
    return None


WORKFLOW = Workflow(
    model=ResponseDocument,
    transitions=TRANSITIONS,
    check=require,
    record_event=_no_event,
    audit_prefix="response",
    describe=lambda d: f"{d.application.registration_number} {d.name}",
    audit_fields=("status", "output_sha256", "pages"),
    related=("agency", "application"),
)
