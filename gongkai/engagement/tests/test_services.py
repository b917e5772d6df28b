"""Public engagement: the consultation period rule, comments with the personal-data scan,
moderation, grouping, feedback; interaction records; the mailbox; the year's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.accounts.tests.factories import make_staff
from gongkai.catalog.scan import id_check_char
from gongkai.engagement.choices import (
    Adoption,
    CommentChannel,
    CommentStatus,
    ConsultationStatus,
    DraftKind,
    InteractionKind,
)
from gongkai.engagement.selectors import comment_groups, public_messages, year_figures
from gongkai.engagement.services import (
    close_due,
    comment_answer,
    comment_moderate,
    comment_submit,
    consultation_close,
    consultation_conclude,
    consultation_create,
    consultation_publish,
    hotline_count_record,
    interaction_record,
    message_assign,
    message_receive,
    message_reply,
    period_refusal,
)
from gongkai.engagement.workflow import PUBLIC, EngagementError


def id_number(born: str = "19900307", seq: str = "123") -> str:
    """A valid resident ID number (real check character)."""
    first = f"440902{born}{seq}"
    return first + id_check_char(first)


@pytest.fixture
def people(tree):
    return {
        "handler": make_staff(tree.city, Role.HANDLER, sub=True, username="eg_handler"),
        "head": make_staff(tree.city, Role.HEAD, sub=True, username="eg_head"),
    }


def open_consultation(tree, people, **values):
    today = timezone.localdate()
    values.setdefault("kind", DraftKind.REGULATION)
    values.setdefault("opens_on", today)
    values.setdefault("closes_on", today + dt.timedelta(days=29))
    c = consultation_create(
        by=people["handler"], agency=tree.city, title="临江市养犬管理规定（征求意见稿）",
        body="第一条 为了规范养犬行为……", **values,
    )  # fmt: skip
    return consultation_publish(by=people["head"], consultation=c)


@pytest.mark.parametrize(
    ("kind", "days", "reason", "ok"),
    [
        (DraftKind.REGULATION, 30, "", True),
        (DraftKind.REGULATION, 29, "", False),
        (DraftKind.REGULATION, 10, "上级要求限期出台，时间紧迫", True),
        (DraftKind.MAJOR_DECISION, 29, "  ", False),
        (DraftKind.NORMATIVE, 7, "", True),
        (DraftKind.OTHER, 1, "", True),
        (DraftKind.NORMATIVE, 0, "", False),  # closes before it opens
    ],
)
def test_period_rule(kind, days, reason, ok):
    """≥ 30 days (both ends counted) for 规章 and 重大行政决策 unless a reason is recorded."""
    opens = dt.date(2025, 3, 1)
    closes = opens + dt.timedelta(days=days - 1)
    assert (period_refusal(kind, opens, closes, reason) is None) is ok


@pytest.mark.django_db
def test_a_short_period_without_reason_is_refused_and_nothing_saved(tree, people):
    """The office's form gets a Chinese message tied to the closing date."""
    today = timezone.localdate()
    with pytest.raises(EngagementError) as exc:
        consultation_create(
            by=people["handler"], agency=tree.city, title="草案", body="全文",
            kind=DraftKind.MAJOR_DECISION, opens_on=today, closes_on=today + dt.timedelta(days=14),
        )  # fmt: skip
    assert "closes_on" in exc.value.message_dict
    assert "不少于30日" in exc.value.message_dict["closes_on"][0]


@pytest.mark.django_db
def test_comments_are_scanned_held_grouped_answered_and_concluded(tree, people):
    """A comment with an ID number is held; near-identical comments form one group answered
    at once; the feedback cannot be published while a comment is unanswered."""
    c = open_consultation(tree, people)
    plain = comment_submit(
        by=PUBLIC, consultation=c, contact="13800000000", text="建议第五条增加遛犬时间的规定。"
    )
    same = comment_submit(
        by=PUBLIC, consultation=c, contact="a@example.com", text="建议第五条 增加遛犬时间的规定！"
    )
    held = comment_submit(by=PUBLIC, consultation=c, contact="x", text=f"我的身份证{id_number()}，建议放宽。", name="张三")  # fmt: skip
    letter = comment_submit(by=people["handler"], consultation=c, contact="临江市某街道", text="建议删除第九条。", channel=CommentChannel.LETTER)  # fmt: skip
    assert plain.status == CommentStatus.PENDING and held.status == CommentStatus.HELD
    assert held.findings[0]["kind"] == "ID_NUMBER" and "*" in held.findings[0]["masked"]
    assert plain.group_key == same.group_key != letter.group_key
    with pytest.raises(EngagementError):
        comment_submit(by=PUBLIC, consultation=c, contact=" ", text="没有联系方式")
    with pytest.raises(EngagementError):
        comment_submit(
            by=PUBLIC, consultation=c, contact="x", text="信函", channel=CommentChannel.LETTER
        )
    for comment in (plain, same, held, letter):
        comment_moderate(by=people["handler"], consultation=c, comment_id=comment.pk, accept=True)
    groups = comment_groups(c)
    assert [g.count for g in groups] == [2, 1, 1]
    assert id_number() not in groups[1].public_text and "4409" in groups[1].public_text
    with pytest.raises(EngagementError):  # still open: answers come after the period
        comment_answer(
            by=people["handler"], consultation=c, comment_id=plain.pk, adoption=Adoption.ADOPTED
        )
    c = consultation_close(by=people["handler"], consultation=c)
    with pytest.raises(EngagementError):
        comment_submit(by=PUBLIC, consultation=c, contact="x", text="太晚了")
    assert (
        comment_answer(
            by=people["handler"], consultation=c, comment_id=plain.pk, adoption=Adoption.ADOPTED
        )
        == 2
    )
    with pytest.raises(EngagementError):
        comment_answer(
            by=people["handler"], consultation=c, comment_id=held.pk, adoption=Adoption.NOT_ADOPTED
        )
    comment_answer(
        by=people["handler"],
        consultation=c,
        comment_id=held.pk,
        adoption=Adoption.NOT_ADOPTED,
        reason="与上位法不一致",
    )
    with pytest.raises(EngagementError):  # the letter is still unanswered
        consultation_conclude(by=people["head"], consultation=c, summary="共收到意见4条。")
    comment_answer(
        by=people["handler"],
        consultation=c,
        comment_id=letter.pk,
        adoption=Adoption.PARTLY,
        reason="部分条款保留",
    )
    with pytest.raises(PermissionDenied):
        consultation_conclude(by=people["handler"], consultation=c, summary="共收到意见4条。")
    c = consultation_conclude(by=people["head"], consultation=c, summary="共收到意见4条。")
    assert c.status == ConsultationStatus.CONCLUDED
    figures = year_figures(tree.city, c.opens_on.year)
    assert (figures["consultations"], figures["comments"], figures["adopted"]) == (1, 4, 2)
    assert (figures["partly_adopted"], figures["not_adopted"]) == (1, 1)
    assert figures["consultations_concluded"] == 1


@pytest.mark.django_db
def test_close_due_closes_only_past_periods(tree, people):
    """The platform closes consultations whose closing date has passed."""
    c = open_consultation(tree, people)
    assert close_due(today=c.closes_on) == 0
    assert close_due(today=c.closes_on + dt.timedelta(days=1)) == 1
    c.refresh_from_db()
    assert c.status == ConsultationStatus.CLOSED


@pytest.mark.django_db
def test_interactions_mailbox_and_hotline_figures(tree, people, staff):
    """Interviews, press conferences, the mailbox's 办结 and the hotline counts add up per year,
    for the agency and consolidated; other agencies' staff cannot record for the city."""
    for kind, principal in [
        (InteractionKind.INTERVIEW, True),
        (InteractionKind.INTERVIEW, False),
        (InteractionKind.PRESS_CONFERENCE, False),
    ]:
        interaction_record(
            by=people["handler"], agency=tree.city, kind=kind, held_on=dt.date(2025, 6, 1),
            topic="优化营商环境", principal_attended=principal,
        )  # fmt: skip
    interaction_record(by=people["handler"], agency=tree.district, kind=InteractionKind.PRESS_CONFERENCE, held_on=dt.date(2025, 7, 1), topic="防汛")  # fmt: skip
    with pytest.raises(PermissionDenied):
        interaction_record(by=staff["handler_b"], agency=tree.city, kind=InteractionKind.INTERVIEW, held_on=dt.date(2025, 6, 1), topic="x")  # fmt: skip
    m1 = message_receive(by=PUBLIC, agency=tree.city, subject="路灯不亮", text="江滨路路灯不亮。", contact="13800000000", consent_to_publish=True, received_on=dt.date(2025, 3, 1))  # fmt: skip
    m2 = message_receive(by=PUBLIC, agency=tree.city, subject="噪音", text=f"我是{id_number()}，夜间施工噪音。", contact="x", consent_to_publish=True, received_on=dt.date(2025, 3, 2))  # fmt: skip
    message_receive(by=PUBLIC, agency=tree.city, subject="停车", text="停车难。", contact="x", received_on=dt.date(2025, 3, 3))  # fmt: skip
    assert m1.due_on == dt.date(2025, 3, 16)
    with pytest.raises(EngagementError):
        message_assign(by=people["handler"], message=m1, unit=_outside(tree))
    for m in (m1, m2):
        message_assign(by=people["handler"], message=m, unit=tree.dept_a)
    message_reply(
        by=people["handler"], message=m1, reply="已修复。", replied_on=dt.date(2025, 3, 10)
    )
    message_reply(
        by=people["handler"], message=m2, reply="已处理。", replied_on=dt.date(2025, 3, 30)
    )
    assert [m.subject for m in public_messages()] == ["路灯不亮"]  # m2 holds personal data
    hotline_count_record(by=people["handler"], agency=tree.city, year=2025, referred=200, completed=180, source="12345热线系统")  # fmt: skip
    with pytest.raises(EngagementError):
        hotline_count_record(by=people["handler"], agency=tree.city, year=2025, referred=1, completed=2, source="x")  # fmt: skip
    own = year_figures(tree.city, 2025)
    assert (own["interviews"], own["interviews_principal"], own["press_conferences"]) == (2, 1, 1)
    assert (own["messages"], own["messages_replied"], own["messages_late"]) == (3, 2, 1)
    assert (own["hotline_referred"], own["hotline_completed"]) == (200, 180)
    assert year_figures(tree.city, 2025, consolidated=True)["press_conferences"] == 2
    assert year_figures(tree.city, 2024)["interviews"] == 0


def _outside(tree):
    """An agency outside the city's tree."""
    from gongkai.agencies.tests.factories import make_government

    return make_government("外市人民政府")


@pytest.mark.django_db
def test_feedback_overdue_lists_consultations_without_feedback(tree, people):
    """30 days after the period, a consultation without published feedback is overdue."""
    from gongkai.engagement.selectors import feedback_overdue

    c = open_consultation(tree, people)
    assert list(feedback_overdue(c.closes_on + dt.timedelta(days=30))) == []
    assert list(feedback_overdue(c.closes_on + dt.timedelta(days=31))) == [c]
