"""Every status and enumeration of disclosure applications (the single home of these values).

``Result`` holds the rows of the 2021 annual-report table 三 (国办公开办函〔2021〕30号) with the
keys of spec §4.3.2 and the labels character for character; ``RESULT_ROWS`` adds the level-2
heading of each row so that the full official label and the 2019-format row (where the three
（六） rows collapse into one) can be derived in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """申请方式: how the application reached the organ (第二十九条、第三十一条)."""

    IN_PERSON = "IN_PERSON", "当面"
    LETTER = "LETTER", "信函"
    FAX = "FAX", "传真"
    ONLINE = "ONLINE", "网络"
    EMAIL = "EMAIL", "电子邮件"
    OTHER = "OTHER", "其他"


class ApplicantType(models.TextChoices):
    """申请人类型: the columns of report table 三 (自然人, then the five 法人或其他组织 kinds)."""

    PERSON = "PERSON", "自然人"
    BUSINESS = "BUSINESS", "商业企业"
    RESEARCH = "RESEARCH", "科研机构"
    PUBLIC_INTEREST = "PUBLIC_INTEREST", "社会公益组织"
    LEGAL_SERVICE = "LEGAL_SERVICE", "法律服务机构"
    OTHER_ORG = "OTHER_ORG", "其他"


#: The applicant types that are 法人或其他组织.
ORGANISATION_TYPES = frozenset(ApplicantType.values) - {ApplicantType.PERSON}


class IdDocumentType(models.TextChoices):
    """身份证明 of a natural person (第二十九条). Only 居民身份证 numbers have a check digit."""

    ID_CARD = "ID_CARD", "居民身份证"
    PASSPORT = "PASSPORT", "护照"
    HK_MACAO_PERMIT = "HK_MACAO_PERMIT", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "TAIWAN_PERMIT", "台湾居民来往大陆通行证"
    RESIDENCE_PERMIT = "RESIDENCE_PERMIT", "港澳台居民居住证"
    FOREIGN_PERMANENT = "FOREIGN_PERMANENT", "外国人永久居留身份证"
    OTHER = "OTHER", "其他"


class InformationForm(models.TextChoices):
    """所需信息的载体形式 requested by the applicant."""

    PAPER = "PAPER", "纸质"
    ELECTRONIC = "ELECTRONIC", "电子文档"
    DISC = "DISC", "光盘、磁盘等存储介质"
    ON_SITE = "ON_SITE", "当场阅读、抄录"
    OTHER = "OTHER", "其他"


class DeliveryMethod(models.TextChoices):
    """获取信息的方式 requested, and the way a reply was actually delivered."""

    POST = "POST", "邮寄"
    EXPRESS = "EXPRESS", "快递"
    EMAIL = "EMAIL", "电子邮件"
    FAX = "FAX", "传真"
    ONLINE = "ONLINE", "网上获取"
    COLLECT = "COLLECT", "自行领取"
    ON_THE_SPOT = "ON_THE_SPOT", "当场交付"
    OTHER = "OTHER", "其他"


class Status(models.TextChoices):
    """Where a case stands. Every change goes through ``workflow.TRANSITIONS``."""

    HANDLING = "HANDLING", _("办理中")
    AWAITING_CORRECTION = "AWAITING_CORRECTION", _("待补正")
    CONSULTING = "CONSULTING", _("征求意见中")
    AWAITING_FEE = "AWAITING_FEE", _("待缴费")
    IN_REVIEW = "IN_REVIEW", _("待审核")
    IN_APPROVAL = "IN_APPROVAL", _("待审批")
    APPROVED = "APPROVED", _("待送达")
    REPLIED = "REPLIED", _("已答复")
    ABANDONED = "ABANDONED", _("视为放弃")
    WITHDRAWN = "WITHDRAWN", _("已撤回")
    TRANSFERRED = "TRANSFERRED", _("已转办")
    CLOSED = "CLOSED", _("已办结")


#: Statuses of a case that is still being handled (no result yet).
OPEN_STATUSES = frozenset(
    {
        Status.HANDLING,
        Status.AWAITING_CORRECTION,
        Status.CONSULTING,
        Status.AWAITING_FEE,
        Status.IN_REVIEW,
        Status.IN_APPROVAL,
        Status.APPROVED,
    }
)
#: Statuses that carry a result (办结): the case counts in 三、本年度办理结果 by ``closed_on``.
CONCLUDED_STATUSES = frozenset(Status.values) - OPEN_STATUSES


class EventKind(models.TextChoices):
    """What an entry of the append-only case timeline records."""

    REGISTERED = "REGISTERED", "登记"
    TRANSFERRED_IN = "TRANSFERRED_IN", "转入"
    HANDLER_ASSIGNED = "HANDLER_ASSIGNED", "分配经办人"
    CORRECTION_REQUESTED = "CORRECTION_REQUESTED", "发出补正告知"
    CORRECTION_RECEIVED = "CORRECTION_RECEIVED", "收到补正"
    CORRECTION_EXPIRED = "CORRECTION_EXPIRED", "逾期未补正（视为放弃）"
    CONSULTATION_SENT = "CONSULTATION_SENT", "发出征求意见函"
    CONSULTATION_ANSWERED = "CONSULTATION_ANSWERED", "收到征求意见答复"
    THIRD_PARTY_NOTIFIED = "THIRD_PARTY_NOTIFIED", "书面告知第三方决定公开（第三十二条）"
    EXTENSION_REQUESTED = "EXTENSION_REQUESTED", "经办人申请延期答复"
    EXTENSION_APPROVED = "EXTENSION_APPROVED", "负责人同意延期答复"
    EXTENSION_REFUSED = "EXTENSION_REFUSED", "负责人不同意延期答复"
    FEE_NOTICE_SENT = "FEE_NOTICE_SENT", "发出收费通知"
    FEE_PAID = "FEE_PAID", "缴纳信息处理费"
    FEE_EXPIRED = "FEE_EXPIRED", "逾期未缴费（视为放弃）"
    REPLY_DRAFTED = "REPLY_DRAFTED", "拟写答复"
    SUBMITTED_FOR_REVIEW = "SUBMITTED_FOR_REVIEW", "提交审核"
    REVIEW_APPROVED = "REVIEW_APPROVED", "审核通过"
    REVIEW_RETURNED = "REVIEW_RETURNED", "审核退回"
    APPROVAL_APPROVED = "APPROVAL_APPROVED", "负责人批准答复"
    APPROVAL_RETURNED = "APPROVAL_RETURNED", "负责人退回"
    DELIVERED = "DELIVERED", "送达答复"
    REPLIED_ON_THE_SPOT = "REPLIED_ON_THE_SPOT", "当场答复"
    TRANSFERRED = "TRANSFERRED", "转办其他机关"
    WITHDRAWN = "WITHDRAWN", "申请人撤回申请"
    CLOSED = "CLOSED", "办结"
    CORRECTION = "CORRECTION", "更正记录"
    APPEAL_RECORDED = "APPEAL_RECORDED", "行政复议/行政诉讼登记"
    DEADLINES_RECOMPUTED = "DEADLINES_RECOMPUTED", "工作日历调整，期限重算"
    LONGER_DEADLINE_SET = "LONGER_DEADLINE_SET", "负责人确定延迟答复的合理期限（第三十五条）"
    LETTER_ISSUED = "LETTER_ISSUED", "制发文书"


class ArchiveJobStatus(models.TextChoices):
    """Where the background build of a closed case's sealed archive (归档) stands."""

    QUEUED = "QUEUED", "排队中"
    RUNNING = "RUNNING", "正在生成"
    DONE = "DONE", "已归档"
    FAILED = "FAILED", "归档失败"


#: Archive job statuses that no longer change.
ARCHIVE_JOB_FINISHED = frozenset({ArchiveJobStatus.DONE, ArchiveJobStatus.FAILED})


class ConsultationParty(models.TextChoices):
    """Whom the organ consults (第三十二条 / 第三十四条)."""

    THIRD_PARTY = "THIRD_PARTY", "第三方"
    AGENCY = "AGENCY", "其他机关"


class ConsultationOutcome(models.TextChoices):
    """The consulted party's answer."""

    AGREED = "AGREED", "同意公开"
    OBJECTED = "OBJECTED", "不同意公开"
    NO_ANSWER = "NO_ANSWER", "逾期未提出意见"


class FeeBasis(models.TextChoices):
    """信息处理费 basis (国办函〔2020〕109号 第三条): one per application, never both."""

    PER_APPLICATION = "PER_APPLICATION", "按件计收"
    PER_PAGE = "PER_PAGE", "按量计收"


class Result(models.TextChoices):
    """办理结果: a data row of the 2021 table 三; the label is the row's own label cell."""

    R1_OPEN = "r1_open", "（一）予以公开"
    R2_PARTIAL = "r2_partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    R3_1 = "r3_1", "1.属于国家秘密"
    R3_2 = "r3_2", "2.其他法律行政法规禁止公开"
    R3_3 = "r3_3", "3.危及“三安全一稳定”"
    R3_4 = "r3_4", "4.保护第三方合法权益"
    R3_5 = "r3_5", "5.属于三类内部事务信息"
    R3_6 = "r3_6", "6.属于四类过程性信息"
    R3_7 = "r3_7", "7.属于行政执法案卷"
    R3_8 = "r3_8", "8.属于行政查询事项"
    R4_1 = "r4_1", "1.本机关不掌握相关政府信息"
    R4_2 = "r4_2", "2.没有现成信息需要另行制作"
    R4_3 = "r4_3", "3.补正后申请内容仍不明确"
    R5_1 = "r5_1", "1.信访举报投诉类申请"
    R5_2 = "r5_2", "2.重复申请"
    R5_3 = "r5_3", "3.要求提供公开出版物"
    R5_4 = "r5_4", "4.无正当理由大量反复申请"
    R5_5 = "r5_5", "5.要求行政机关确认或重新出具已获取信息"
    R6_1 = "r6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    R6_2 = "r6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    R6_3 = "r6_3", "3.其他"


@dataclass(frozen=True)
class ResultGroup:
    """A level-2 row group of table 三: its key (``r3``), label and 2019-format row key."""

    key: str
    label: str


RESULT_GROUPS: dict[str, ResultGroup] = {
    "r1": ResultGroup("r1", "（一）予以公开"),
    "r2": ResultGroup("r2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "r3": ResultGroup("r3", "（三）不予公开"),
    "r4": ResultGroup("r4", "（四）无法提供"),
    "r5": ResultGroup("r5", "（五）不予处理"),
    "r6": ResultGroup("r6", "（六）其他处理"),
}

#: The 2019 format (国办公开办函〔2019〕60号) has one （六）其他处理 row, keyed ``r6``.
RESULT_2019_OTHER = "r6"

#: Result rows in the order of the official table.
RESULT_ORDER: tuple[str, ...] = tuple(Result.values)


def result_group(result: str) -> ResultGroup:
    """Return the level-2 group (（一）…（六）) a result row belongs to."""
    return RESULT_GROUPS[str(result)[:2]]


def result_full_label(result: str) -> str:
    """Return the complete official wording, e.g. ``（三）不予公开 1.属于国家秘密``."""
    result = Result(result)
    group = result_group(result)
    if group.key in {"r1", "r2"}:
        return group.label
    return f"{group.label} {result.label}"


def result_short_label(result: str) -> str:
    """Return the label without its numbering, as ledgers write it (``属于国家秘密``, ``予以公开``)."""
    result = Result(result)
    if result in {Result.R1_OPEN, Result.R2_PARTIAL}:
        return result.label[3:].split("（", 1)[0]
    return result.label.split(".", 1)[1]


def result_row_2019(result: str) -> str:
    """Return the 2019-format row key: the same key, except every （六） row becomes ``r6``."""
    key = str(Result(result))
    return RESULT_2019_OTHER if key.startswith("r6_") else key


def result_row_2019_label(result: str) -> str:
    """Return the 2019-format full label of the row ``result`` is counted in."""
    if result_row_2019(result) == RESULT_2019_OTHER:
        return RESULT_GROUPS["r6"].label
    return result_full_label(result)


def _normalise_label(text: str) -> str:
    return (
        (text or "")
        .strip()
        .replace(" ", "")
        .replace("\u3000", "")
        .replace("，行政机关", "、行政机关")
        .replace("(", "（")
        .replace(")", "）")
        .replace('"', "“", 1)
        .replace('"', "”", 1)
        .replace("．", ".")
    )


def _label_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for value in Result.values:
        for text in (
            Result(value).label,
            result_full_label(value),
            result_short_label(value),
            value,
        ):
            index[_normalise_label(text)] = value
    index[_normalise_label("部分公开")] = Result.R2_PARTIAL
    index[_normalise_label("（二）部分公开")] = Result.R2_PARTIAL
    return index


_LABEL_INDEX = _label_index()


def result_from_label(text: str) -> str | None:
    """Return the result key for an official label in any of its forms, or None.

    Accepts the key itself, the row label (``1.属于国家秘密``), the full label and the short
    label (``属于国家秘密``); ``，`` and ``、`` before 行政机关 are both accepted (spec §4.3.2).
    The short label ``其他`` means （六）3.其他.
    """
    return _LABEL_INDEX.get(_normalise_label(text))


def result_choices_grouped() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    """Return choices for a form, grouped under the level-2 headings as in the table."""
    grouped: list[tuple[str, list[tuple[str, str]]] | tuple[str, str]] = []
    for key, group in RESULT_GROUPS.items():
        members = [(v, Result(v).label) for v in Result.values if v.startswith(key)]
        if key in {"r1", "r2"}:
            grouped.append(members[0])
        else:
            grouped.append((group.label, members))
    return grouped


class ReviewResult(models.TextChoices):
    """Outcome of an administrative review or lawsuit (report table 四)."""

    UPHELD = "UPHELD", "结果维持"
    CORRECTED = "CORRECTED", "结果纠正"
    OTHER = "OTHER", "其他结果"
    PENDING = "PENDING", "尚未审结"


class LawsuitKind(models.TextChoices):
    """Whether a lawsuit followed an administrative review (report table 四)."""

    DIRECT = "DIRECT", "未经复议直接起诉"
    AFTER_REVIEW = "AFTER_REVIEW", "复议后起诉"
