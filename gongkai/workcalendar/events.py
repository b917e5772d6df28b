"""The facts a case's clock depends on: small immutable events, each with a kind and a date.

The applications app keeps the append-only event log; it maps its rows to these dataclasses
and hands them to ``clock.compute_deadlines``. Every event has ``on`` (the date it happened)
and a ``kind``; events on the same date keep their log order.

Pure Python: no Django, nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

__all__ = [
    "Channel",
    "ConsultationAnswered",
    "ConsultationDelivered",
    "ConsultationParty",
    "ConsultationSent",
    "CorrectionExpired",
    "CorrectionReceived",
    "CorrectionRequested",
    "Event",
    "EventKind",
    "ExtensionApproved",
    "FeeExpired",
    "FeeNoticeReceived",
    "FeeNoticeSent",
    "FeePaid",
    "LongerDeadlineSet",
    "Received",
    "Replied",
    "Withdrawn",
]


class EventKind(StrEnum):
    """What happened to a case, as far as its clock is concerned."""

    RECEIVED = "received"  # 收到申请
    CORRECTION_REQUESTED = "correction_requested"  # 发出补正告知
    CORRECTION_RECEIVED = "correction_received"  # 收到补正后的申请
    CORRECTION_EXPIRED = "correction_expired"  # 补正期限届满未补正
    CONSULTATION_SENT = "consultation_sent"  # 发出征求意见书
    CONSULTATION_DELIVERED = "consultation_delivered"  # 被征求意见方收到征求意见书
    CONSULTATION_ANSWERED = "consultation_answered"  # 收到意见
    EXTENSION_APPROVED = "extension_approved"  # 负责人同意延期
    FEE_NOTICE_SENT = "fee_notice_sent"  # 发出收费通知
    FEE_NOTICE_RECEIVED = "fee_notice_received"  # 申请人收到收费通知
    FEE_PAID = "fee_paid"  # 缴费
    FEE_EXPIRED = "fee_expired"  # 逾期未缴费
    LONGER_DEADLINE_SET = "longer_deadline_set"  # 第三十五条 确定合理期限
    REPLIED = "replied"  # 答复
    WITHDRAWN = "withdrawn"  # 撤回申请


class Channel(StrEnum):
    """How the application was submitted (申请方式); the names follow the glossary."""

    IN_PERSON = "in_person"  # 当面
    LETTER = "letter"  # 信函
    FAX = "fax"  # 传真
    ONLINE = "online"  # 网络
    EMAIL = "email"  # 电子邮件
    OTHER = "other"  # 其他


class ConsultationParty(StrEnum):
    """Whom the organ consults."""

    THIRD_PARTY = "third_party"  # 第三方（第三十二条）
    AGENCY = "agency"  # 其他机关 / 共同制作机关（第三十四条）


@dataclass(frozen=True, slots=True)
class Received:
    """The application reached the organ; its receipt date follows 第三十一条 by channel.

    ``arrived_on``: the day it reached the organ (in person: the day it was handed in).
    ``signed_for_on``: a letter that needs a signature — the day the organ signed for it.
    ``confirmed_on``: an ordinary letter — the day receipt was confirmed with the applicant;
    online, e-mail or fax — the day both sides confirmed.
    """

    kind: ClassVar[EventKind] = EventKind.RECEIVED
    channel: Channel
    arrived_on: dt.date
    signed_for_on: dt.date | None = None
    confirmed_on: dt.date | None = None

    @property
    def on(self) -> dt.date:
        """Return the date the event is logged under."""
        return self.arrived_on


@dataclass(frozen=True, slots=True)
class CorrectionRequested:
    """A correction notice (补正告知书) was sent; the applicant may correct until ``period_ends_on``.

    ``late``: the notice was sent after the 7-working-day limit of 第三十条 and recorded as
    逾期补正 — it does not stop or restart the reply limit (decision 1602).
    """

    kind: ClassVar[EventKind] = EventKind.CORRECTION_REQUESTED
    on: dt.date
    period_ends_on: dt.date
    late: bool = False


@dataclass(frozen=True, slots=True)
class CorrectionReceived:
    """The corrected application arrived; the reply limit counts again from ``on``."""

    kind: ClassVar[EventKind] = EventKind.CORRECTION_RECEIVED
    on: dt.date


@dataclass(frozen=True, slots=True)
class CorrectionExpired:
    """The correction period ended without a correction: the case is closed, deemed abandoned."""

    kind: ClassVar[EventKind] = EventKind.CORRECTION_EXPIRED
    on: dt.date


@dataclass(frozen=True, slots=True)
class ConsultationSent:
    """A consultation letter went to a third party or another agency.

    ``delivered_on`` is the day the consulted party received it, if known when logging;
    otherwise a later ``ConsultationDelivered`` supplies it.
    """

    kind: ClassVar[EventKind] = EventKind.CONSULTATION_SENT
    on: dt.date
    consultation_id: str
    party: ConsultationParty
    delivered_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ConsultationDelivered:
    """The consulted party received the consultation letter on ``on``."""

    kind: ClassVar[EventKind] = EventKind.CONSULTATION_DELIVERED
    on: dt.date
    consultation_id: str


@dataclass(frozen=True, slots=True)
class ConsultationAnswered:
    """The consulted party's answer arrived on ``on``."""

    kind: ClassVar[EventKind] = EventKind.CONSULTATION_ANSWERED
    on: dt.date
    consultation_id: str


@dataclass(frozen=True, slots=True)
class ExtensionApproved:
    """The head of the disclosure office approved an extension of ``days`` working days on ``on``."""

    kind: ClassVar[EventKind] = EventKind.EXTENSION_APPROVED
    on: dt.date
    days: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class FeeNoticeSent:
    """A fee notice (收费通知) was sent to the applicant."""

    kind: ClassVar[EventKind] = EventKind.FEE_NOTICE_SENT
    on: dt.date


@dataclass(frozen=True, slots=True)
class FeeNoticeReceived:
    """The applicant received the fee notice; the payment window starts the next day."""

    kind: ClassVar[EventKind] = EventKind.FEE_NOTICE_RECEIVED
    on: dt.date


@dataclass(frozen=True, slots=True)
class FeePaid:
    """The applicant paid the fee."""

    kind: ClassVar[EventKind] = EventKind.FEE_PAID
    on: dt.date


@dataclass(frozen=True, slots=True)
class FeeExpired:
    """The payment window ended unpaid: the case is closed, deemed abandoned."""

    kind: ClassVar[EventKind] = EventKind.FEE_EXPIRED
    on: dt.date


@dataclass(frozen=True, slots=True)
class LongerDeadlineSet:
    """Under 第三十五条 the head set a later reasonable reply date ``due_on``, with the reason."""

    kind: ClassVar[EventKind] = EventKind.LONGER_DEADLINE_SET
    on: dt.date
    due_on: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class Replied:
    """The organ replied to the applicant."""

    kind: ClassVar[EventKind] = EventKind.REPLIED
    on: dt.date


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """The applicant withdrew the application."""

    kind: ClassVar[EventKind] = EventKind.WITHDRAWN
    on: dt.date


Event = (
    Received
    | CorrectionRequested
    | CorrectionReceived
    | CorrectionExpired
    | ConsultationSent
    | ConsultationDelivered
    | ConsultationAnswered
    | ExtensionApproved
    | FeeNoticeSent
    | FeeNoticeReceived
    | FeePaid
    | FeeExpired
    | LongerDeadlineSet
    | Replied
    | Withdrawn
)
