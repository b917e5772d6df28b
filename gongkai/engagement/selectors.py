"""Reads of public engagement: office lists, public pages, and the annual report's figures."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from gongkai.agencies.models import Agency
from gongkai.core.actors import Actor
from gongkai.engagement.choices import (
    Adoption,
    CommentStatus,
    InteractionKind,
    MessageStatus,
)
from gongkai.engagement.models import (
    Comment,
    Consultation,
    HotlineCount,
    Interaction,
    MailboxMessage,
)
from gongkai.engagement.services import masked_text


def _scoped(qs: QuerySet[Any], agency: Any, consolidated: bool) -> QuerySet[Any]:
    if consolidated:
        return qs.filter(agency__path__startswith=agency.path)
    return qs.filter(agency=agency)


@dataclass
class CommentGroup:
    """Near-identical accepted comments shown once: a sample, how many, the answer."""

    sample: Comment
    count: int

    @property
    def public_text(self) -> str:
        """The sample's text with any personal data masked."""
        return masked_text(self.sample.text)


def comment_groups(consultation: Consultation) -> list[CommentGroup]:
    """Accepted comments grouped by their near-identity key, in order of first arrival."""
    groups: OrderedDict[str, list[Comment]] = OrderedDict()
    for c in consultation.comments.filter(status=CommentStatus.ACCEPTED).order_by(
        "submitted_at", "id"
    ):
        groups.setdefault(c.group_key, []).append(c)
    return [CommentGroup(v[0], len(v)) for v in groups.values()]


def moderation_queue(consultation: Consultation) -> QuerySet[Comment]:
    """Comments waiting for a moderator (held ones first)."""
    return consultation.comments.filter(
        status__in=[CommentStatus.HELD, CommentStatus.PENDING]
    ).order_by("-status", "submitted_at")


def public_consultations() -> QuerySet[Consultation]:
    """Consultations on the portal, newest first."""
    return Consultation.objects.public().select_related("agency")


def public_consultation(pk: int) -> Consultation | None:
    """One consultation on the portal."""
    return public_consultations().filter(pk=pk).first()


def public_interactions(kind: str | None = None) -> QuerySet[Interaction]:
    """Interaction records on the portal."""
    qs = Interaction.objects.select_related("agency")
    return qs.filter(kind=kind) if kind else qs


def public_messages() -> QuerySet[MailboxMessage]:
    """Replied messages whose writers consented to publication and that hold no personal data."""
    return MailboxMessage.objects.filter(
        status=MessageStatus.REPLIED, consent_to_publish=True, findings=[]
    ).select_related("agency", "unit")


def year_figures(agency: Any, year: int, *, consolidated: bool = False) -> dict[str, Any]:
    """The engagement counts of a year for the annual report's 总体情况."""
    inter = _scoped(Interaction.objects.filter(held_on__year=year), agency, consolidated)
    by_kind = dict(inter.values_list("kind").annotate(n=Count("pk")).order_by())
    principal = dict(
        inter.filter(principal_attended=True).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    cons = _scoped(Consultation.objects.public().filter(opens_on__year=year), agency, consolidated)
    comments = Comment.objects.filter(consultation__in=cons, status=CommentStatus.ACCEPTED)
    adoption = dict(comments.values_list("adoption").annotate(n=Count("pk")).order_by())
    msgs = _scoped(MailboxMessage.objects.filter(received_on__year=year), agency, consolidated)
    replied = msgs.filter(status=MessageStatus.REPLIED)
    hot = _scoped(HotlineCount.objects.filter(year=year), agency, consolidated).aggregate(
        referred=Sum("referred"), completed=Sum("completed")
    )
    return {
        "interviews": by_kind.get(InteractionKind.INTERVIEW, 0),
        "interviews_principal": principal.get(InteractionKind.INTERVIEW, 0),
        "press_conferences": by_kind.get(InteractionKind.PRESS_CONFERENCE, 0),
        "press_conferences_principal": principal.get(InteractionKind.PRESS_CONFERENCE, 0),
        "responses": by_kind.get(InteractionKind.RESPONSE, 0),
        "consultations": cons.count(),
        "consultations_concluded": cons.filter(concluded_at__isnull=False).count(),
        "comments": comments.count(),
        "adopted": adoption.get(Adoption.ADOPTED, 0),
        "partly_adopted": adoption.get(Adoption.PARTLY, 0),
        "not_adopted": adoption.get(Adoption.NOT_ADOPTED, 0),
        "messages": msgs.count(),
        "messages_replied": replied.count(),
        "messages_late": replied.filter(replied_on__gt=F("due_on")).count(),
        "hotline_referred": hot["referred"] or 0,
        "hotline_completed": hot["completed"] or 0,
    }


def office_consultations(user: Actor) -> QuerySet[Consultation]:
    """Consultations in the staff member's scope with their comment counts."""
    return (
        Consultation.objects.visible_to(user)
        .select_related("agency")
        .annotate(
            comment_count=Count("comments"),
            held=Count("comments", filter=Q(comments__status=CommentStatus.HELD)),
        )
    )


def agencies_for_units(message: MailboxMessage) -> QuerySet[Any]:
    """The units a message may be assigned to: the mailbox agency's active tree."""
    return Agency.objects.active().filter(path__startswith=message.agency.path)


def public_interaction(pk: int) -> Interaction | None:
    """One interaction record on the portal."""
    return public_interactions().filter(pk=pk).first()


def current_provisions(consultation: Consultation) -> list[Any]:
    """The 章/条/款 of the draft's current version, in order."""
    return list(consultation.provisions.filter(version=consultation.version))


def current_articles(consultation: Consultation) -> list[Any]:
    """The articles (条) of the current version."""
    return [p for p in current_provisions(consultation) if p.kind == "条"]


def with_provision_labels(consultation: Consultation, comments: Any) -> list[Comment]:
    """The comments, each with ``provision_label``: its article's label in the current version."""
    labels = {p.key: p.label for p in current_provisions(consultation)}
    out = list(comments)
    for c in out:
        c.provision_label = labels.get(c.provision_key, "")  # type: ignore[attr-defined]
    return out


def feedback_overdue(today: Any, days: int = 30) -> QuerySet[Consultation]:
    """Consultations whose period ended more than ``days`` ago with no published feedback."""
    import datetime as dt

    return (
        Consultation.objects.public()
        .filter(concluded_at__isnull=True, closes_on__lt=today - dt.timedelta(days=days))
        .select_related("agency")
    )
