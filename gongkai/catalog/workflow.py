"""The publishing workflow of a catalogue item, in one table, run by the workflow kernel.

草稿 → 保密审查中 → 待负责人审批 → 已发布 / 定时发布 / 已编目（不主动公开） → 已撤回; a published or
catalogued item is revised into a new version. Every step may also be taken by the platform
itself (``SYSTEM``: imports from an old site, the demo city, scheduled publication).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.permissions import require
from gongkai.catalog.choices import ItemStatus, StructuredKind
from gongkai.catalog.models import CatalogItem, ItemEvent
from gongkai.core.actors import SYSTEM, Actor, user_of
from gongkai.core.workflow import Step, StepRefused, Transition, Workflow

S = ItemStatus
#: Statuses from which an item can be withdrawn from the record shown to the public.
WITHDRAWABLE = frozenset({S.PUBLISHED, S.SCHEDULED, S.CATALOGUED})
#: What approval leads to: published now, at a set time, or catalogued without publication.
APPROVED = frozenset({S.PUBLISHED, S.SCHEDULED, S.CATALOGUED})
PLATFORM = frozenset({SYSTEM})


class WorkflowError(StepRefused):
    """The requested step is not allowed in the item's current state."""


def _interpretation_present(item: CatalogItem) -> str | None:
    """A platform may require a 政策解读 before a normative document is approved."""
    if (
        settings.CATALOG_REQUIRE_INTERPRETATION
        and item.structured_kind == StructuredKind.NORMATIVE
        and not item.interpretations.exclude(status=S.WITHDRAWN).exists()
    ):
        return str(_("本平台要求行政规范性文件在审批前附有政策解读。"))
    return None


def _t(name: str, label: Any, sources: frozenset[str] | set[str], **extra: Any) -> Transition:
    return Transition(name, label, frozenset(sources), actors=PLATFORM, **extra)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("create", _("起草"), set(), target=S.DRAFT, action="catalog.draft"),
        _t("edit", _("修改"), {S.DRAFT}, action="catalog.draft"),
        _t("submit", _("提交保密审查"), {S.DRAFT}, target=S.IN_REVIEW, action="catalog.draft"),
        _t(
            "review_pass",
            _("保密审查通过"),
            {S.IN_REVIEW},
            target=S.AWAITING_APPROVAL,
            action="catalog.review",
        ),
        _t("review_return", _("退回修改"), {S.IN_REVIEW}, target=S.DRAFT, action="catalog.review"),
        _t(
            "approve",
            _("同意发布"),
            {S.AWAITING_APPROVAL},
            choices=APPROVED,
            action="catalog.approve",
            guard=_interpretation_present,
        ),
        _t(
            "reject",
            _("退回起草人"),
            {S.AWAITING_APPROVAL},
            target=S.DRAFT,
            action="catalog.approve",
        ),
        _t(
            "publish_scheduled",
            _("定时发布"),
            {S.SCHEDULED},
            target=S.PUBLISHED,
            action="catalog.approve",
        ),
        _t("withdraw", _("撤回"), WITHDRAWABLE, target=S.WITHDRAWN, action="catalog.withdraw"),
        _t("revise", _("修订（新版本）"), {S.PUBLISHED, S.CATALOGUED}, action="catalog.revise"),
    ]
}


def record_item_event(item: CatalogItem, kind: str, *, by: Actor, note: str = "") -> ItemEvent:
    """Append an entry to the item's visible history."""
    return ItemEvent.objects.create(
        item=item,
        kind=kind,
        at=timezone.now(),
        actor=user_of(by),
        actor_repr=str(by),
        note=note,
    )


def _record(step: Step, kind: str, note: str = "") -> ItemEvent:
    return record_item_event(step.obj, kind, by=step.by, note=note)


def describe(item: CatalogItem) -> str:
    """How audit entries name an item: its 索引号 and title."""
    return f"{item.index_number} {item.title}"[:300]


WORKFLOW = Workflow(
    model=CatalogItem,
    transitions=TRANSITIONS.values(),
    check=require,
    record_event=_record,
    audit_prefix="catalog",
    describe=describe,
    refusal=WorkflowError,
)
