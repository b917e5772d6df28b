"""Kinds of letters (the single home of these values)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    """What a letter is: a reply (答复书) or one of the notices sent while handling a case."""

    REPLY = "REPLY", _("答复书")
    NOT_PROCESSED = "NOT_PROCESSED", _("不予处理告知书")
    TERMINATION = "TERMINATION", _("视为放弃/终止处理告知书")
    CORRECTION = "CORRECTION", _("补正告知书")
    EXTENSION = "EXTENSION", _("延期答复告知书")
    CONSULTATION_THIRD_PARTY = "CONSULTATION_THIRD_PARTY", _("征求第三方意见函")
    CONSULTATION_AGENCY = "CONSULTATION_AGENCY", _("征求其他机关意见函")
    THIRD_PARTY_DECISION = "THIRD_PARTY_DECISION", _("决定公开告知第三方书")
    FEE = "FEE", _("收费通知书")
    REASONS_REQUEST = "REASONS_REQUEST", _("说明理由告知书")
    LONGER_DEADLINE = "LONGER_DEADLINE", _("延迟答复告知书")


#: Letters addressed to the applicant: they must state the remedies and the applicant may
#: download them. Consultation letters go to a third party or another agency instead.
APPLICANT_FACING = frozenset(
    {
        LetterKind.REPLY,
        LetterKind.NOT_PROCESSED,
        LetterKind.TERMINATION,
        LetterKind.CORRECTION,
        LetterKind.EXTENSION,
        LetterKind.FEE,
        LetterKind.REASONS_REQUEST,
        LetterKind.LONGER_DEADLINE,
    }
)

#: The notices of 第三十五条 (numerous or frequent applications): the request to state reasons
#: and the notice of the later, reasonable reply date. A refusal for unreasonable reasons is the
#: （五）4 不予处理告知书 (``reply_r5_4``).
ARTICLE_35_KINDS = frozenset({LetterKind.REASONS_REQUEST, LetterKind.LONGER_DEADLINE})

#: Letters that decide the application (their template follows the case's result row).
RESULT_KINDS = frozenset({LetterKind.REPLY, LetterKind.NOT_PROCESSED, LetterKind.TERMINATION})


class FileFormat(models.TextChoices):
    """The formats every letter is produced in."""

    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"
