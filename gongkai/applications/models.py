"""Disclosure applications (依申请公开): the case, its event log, items, consultations, fees,
deliveries, and the administrative reviews and lawsuits that follow.

Every write goes through ``services.py``. The case's status, result and deadline columns are
derived state kept in step by the services; the event log is the history and is never edited
(a mistake is corrected by a CORRECTION event pointing at the entry it corrects).

Extension points for other apps: letters (告知书/答复书) get a ``Letter`` model with a foreign
key to ``Application`` (and optionally to ``ApplicationEvent``); the archive hangs off
``Application`` once its status is CLOSED; repeat detection reads ``applicant_key`` and
``description``; the report selectors count ``result`` by ``closed_on`` and
``applicant_type`` and new cases by ``received_on``.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from gongkai.agencies.credit_code import validate_credit_code
from gongkai.applications.choices import (
    ARCHIVE_JOB_FINISHED,
    ApplicantType,
    ArchiveJobStatus,
    Channel,
    ConsultationOutcome,
    ConsultationParty,
    DeliveryMethod,
    EventKind,
    FeeBasis,
    IdDocumentType,
    InformationForm,
    LawsuitKind,
    Result,
    ReviewResult,
    Status,
)
from gongkai.applications.identity import (
    mask_id_number,
    mask_name,
    mask_phone,
    normalise_id_number,
    normalise_phone,
)
from gongkai.applications.querysets import ApplicationQuerySet
from gongkai.core.fields import EncryptedTextField, LookupHashField
from gongkai.core.tallies import TalliedQuerySet


class Application(models.Model):
    """One 政府信息公开申请 handled by one agency, from registration to its single result."""

    # -- where and how it arrived (第二十九条、第三十一条) -------------------------------------
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="办理机关", on_delete=models.PROTECT, related_name="+"
    )
    registration_year = models.PositiveSmallIntegerField("登记年度")
    registration_serial = models.PositiveIntegerField(
        "年度序号",
        null=True,
        blank=True,
        help_text="由平台按机关和年度连续分配；导入的历史编号可为空。",
    )
    registration_number = models.CharField("受理编号", max_length=40)
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    arrived_on = models.DateField(
        "到达日期", help_text="申请送达本机关之日（当面提交为提交之日）。"
    )
    letter_needs_signature = models.BooleanField("需签收的邮件", default=False)
    signed_for_on = models.DateField("签收日期", null=True, blank=True)
    confirmed_on = models.DateField(
        "确认日期",
        null=True,
        blank=True,
        help_text="平常信函：与申请人确认收到之日；网络、电子邮件、传真：双方确认之日。",
    )
    received_on = models.DateField(
        "收到申请日期", db_index=True, help_text="按第三十一条确定，答复期限自此起算。"
    )
    is_oral = models.BooleanField("口头提出、代为填写", default=False)
    is_assisted = models.BooleanField("提供无障碍等必要帮助（第四十三条）", default=False)
    assistance_note = models.CharField("帮助情况", max_length=300, blank=True)
    replied_on_the_spot = models.BooleanField("当场答复", default=False)
    transferred_from = models.ForeignKey(
        "self",
        verbose_name="转办来源",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )

    # -- the applicant (personal information: masked in lists, never logged) ------------------
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    id_document_type = models.CharField(
        "身份证件类型", max_length=20, choices=IdDocumentType.choices, blank=True
    )
    # ID and phone numbers are encrypted at rest; search by exact value through the keyed
    # hashes beside them (Application.objects.with_id_number / with_phone).
    id_number = EncryptedTextField("证件号码", max_length=40, blank=True)
    id_number_hash = LookupHashField(
        "证件号码检索哈希", source="id_number", normaliser=normalise_id_number
    )
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField("法定代表人或负责人", max_length=100, blank=True)
    contact_name = models.CharField("联系人", max_length=100, blank=True)
    phone = EncryptedTextField("联系电话", max_length=40, blank=True)
    phone_hash = LookupHashField("联系电话检索哈希", source="phone", normaliser=normalise_phone)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    applicant_key = models.CharField(
        "申请人标识",
        max_length=64,
        db_index=True,
        editable=False,
        help_text="证件号码或统一社会信用代码的带密钥哈希，用于按申请人统计（按件收费、重复申请）。",
    )

    # -- what is asked for ---------------------------------------------------------------------
    description = models.TextField("所需政府信息的名称、文号或者特征性描述")
    requested_form = models.CharField(
        "所需信息的载体形式", max_length=20, choices=InformationForm.choices, blank=True
    )
    requested_delivery = models.CharField(
        "获取信息的方式", max_length=20, choices=DeliveryMethod.choices, blank=True
    )

    # -- state (derived; kept in step by services) --------------------------------------------
    status = models.CharField(
        "状态", max_length=24, choices=Status.choices, default=Status.HANDLING, db_index=True
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_result = models.CharField(
        "拟答复结果", max_length=12, choices=Result.choices, blank=True
    )
    reply_summary = models.TextField("答复意见", blank=True)
    # NULL (not "") while open, so that "has a result" is one IS NOT NULL test in reports.
    result = models.CharField(  # noqa: DJ001
        "办理结果", max_length=12, choices=Result.choices, null=True, blank=True, db_index=True
    )
    replied_on = models.DateField("答复日期", null=True, blank=True)
    closed_on = models.DateField(
        "办结日期",
        null=True,
        blank=True,
        db_index=True,
        help_text="得出办理结果之日（答复送达、撤回、视为放弃、转办）；年度报告按此日期统计。",
    )
    filed_on = models.DateField("结案日期", null=True, blank=True)

    # -- correction and extension facts (also in the event log) -------------------------------
    correction_requested_on = models.DateField("补正告知日期", null=True, blank=True)
    correction_period_ends_on = models.DateField("补正期限", null=True, blank=True)
    correction_content = models.TextField("补正事项", blank=True)
    corrected_on = models.DateField("收到补正日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延期工作日数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)

    # -- deadlines computed by the clock (recomputed by every transition) ---------------------
    reply_due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    reply_due_provisional = models.BooleanField("答复期限暂定", default=False)
    due_on = models.DateField(
        "最近期限",
        null=True,
        blank=True,
        db_index=True,
        help_text="当前最近需要办理的期限（答复、补正告知、缴费等），用于待办队列。",
    )
    due_provisional = models.BooleanField("最近期限暂定", default=False)
    clock_paused = models.BooleanField("答复期限暂停计算", default=False)
    deadlines = models.JSONField("期限明细", default=list, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "registration_year", "registration_number"],
                name="applications_number_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "registration_year", "registration_serial"],
                name="applications_serial_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="applications_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(result__isnull=True) | models.Q(result__in=Result.values),
                name="applications_result_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(applicant_type__in=ApplicantType.values),
                name="applications_applicant_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="applications_channel_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="applications_agency_status"),
            models.Index(fields=["agency", "closed_on"], name="applications_agency_closed"),
            models.Index(fields=["agency", "received_on"], name="applications_agency_received"),
        ]

    def __str__(self) -> str:
        # Only the registration number: str() ends up in audit entries and log lines.
        return self.registration_number

    @property
    def is_open(self) -> bool:
        """True while the case has no result."""
        return self.result is None

    @property
    def is_person(self) -> bool:
        """True for a natural person (自然人)."""
        return self.applicant_type == ApplicantType.PERSON

    # Masked forms for lists and for people outside the handling agency.
    @property
    def masked_name(self) -> str:
        """The applicant's name masked for a person; an organisation's name in full."""
        return mask_name(self.applicant_name) if self.is_person else self.applicant_name

    @property
    def masked_id_number(self) -> str:
        """``1101**********1234``."""
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        """``138****5678``."""
        return mask_phone(self.phone)


class RequestedItem(models.Model):
    """One requested piece of information and the decision on it (区分处理).

    The case's single reported result is derived from its items by ``results.case_result``.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号", default=1)
    description = models.TextField("申请内容")
    decision = models.CharField("处理结果", max_length=12, choices=Result.choices, blank=True)
    reason = models.TextField("理由和依据", blank=True)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)

    class Meta:
        ordering = ["application", "position", "id"]
        verbose_name = "申请事项"
        verbose_name_plural = "申请事项"

    def __str__(self) -> str:
        return f"{self.application_id}#{self.position}"


class ApplicationEventQuerySet(models.QuerySet["ApplicationEvent"]):
    """Case events can be appended and read, never changed or deleted in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise EventImmutableError("办理记录只能追加，不能修改。")

    def delete(self) -> NoReturn:
        raise EventImmutableError("办理记录只能追加，不能删除。")


class EventImmutableError(Exception):
    """Raised on any attempt to change or delete a case event."""


class ApplicationEvent(models.Model):
    """An entry of a case's append-only timeline: what happened, on which (legal) date, by whom.

    ``on`` is the date the fact happened (the date the clock uses); ``recorded_at`` when it was
    entered. ``payload`` carries the facts of the kind (e.g. ``{"days": 20}``). A CORRECTION
    entry points at the entry it corrects (``corrects``) and carries the corrected facts
    (``{"on": "2026-02-12"}``); the clock reads the corrected values.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField("事项", max_length=32, choices=EventKind.choices)
    on = models.DateField("日期")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payload = models.JSONField("内容", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name="更正的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    objects = ApplicationEventQuerySet.as_manager()

    class Meta:
        ordering = ["application", "seq"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        constraints = [
            models.UniqueConstraint(fields=["application", "seq"], name="applications_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.seq} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: an existing entry is never rewritten."""
        if not self._state.adding:
            raise EventImmutableError("办理记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise EventImmutableError("办理记录只能追加，不能删除。")

    @property
    def late_label(self) -> str:
        """“逾期补正” / “逾期发出” for a notice recorded after its legal limit (decision 1602)."""
        if not (self.payload or {}).get("late"):
            return ""
        return "逾期补正" if self.kind == EventKind.CORRECTION_REQUESTED else "逾期发出"


class Consultation(models.Model):
    """A consultation letter (征求意见函) to a third party (第三十二条) or another agency (第三十四条)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="consultations"
    )
    party = models.CharField("征求对象", max_length=20, choices=ConsultationParty.choices)
    party_name = models.CharField("被征求意见方", max_length=200)
    consulted_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="平台上的被征求意见机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.TextField("征求意见事项", blank=True)
    sent_on = models.DateField("发出日期")
    delivered_on = models.DateField("对方收到日期", null=True, blank=True)
    answer_due_on = models.DateField("答复期限", null=True, blank=True)
    answered_on = models.DateField("收到意见日期", null=True, blank=True)
    outcome = models.CharField(
        "意见", max_length=20, choices=ConsultationOutcome.choices, blank=True
    )
    answer_note = models.TextField("意见内容", blank=True)

    class Meta:
        ordering = ["application", "sent_on", "id"]
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"

    def __str__(self) -> str:
        return f"{self.application_id}: {self.party_name}"

    @property
    def is_open(self) -> bool:
        """True while no answer has been recorded."""
        return self.answered_on is None


class FeeNotice(models.Model):
    """A fee notice (收费通知) under the 信息处理费管理办法, and its payment or expiry."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="fee_notices"
    )
    basis = models.CharField("计收方式", max_length=20, choices=FeeBasis.choices)
    quantity = models.PositiveIntegerField(
        "计费数量", help_text="按件：该申请人本自然月第几件申请；按量：页数。"
    )
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    sent_on = models.DateField("发出日期")
    received_on = models.DateField("申请人收到日期")
    pay_by = models.DateField("缴费期限", null=True, blank=True)
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    expired_on = models.DateField("逾期日期", null=True, blank=True)
    receipt_number = models.CharField("票据号", max_length=60, blank=True)

    class Meta:
        ordering = ["application", "sent_on", "id"]
        verbose_name = "收费通知"
        verbose_name_plural = "收费通知"

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount}元"


class Delivery(models.Model):
    """How and when the reply reached the applicant, with the proof (送达回证、邮件单号…)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="deliveries"
    )
    method = models.CharField("送达方式", max_length=20, choices=DeliveryMethod.choices)
    delivered_on = models.DateField("送达日期")
    proof = models.CharField("送达凭证", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "delivered_on", "id"]
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"

    def __str__(self) -> str:
        return f"{self.application_id}: {self.delivered_on}"


class Review(models.Model):
    """An administrative review (行政复议) of the agency's handling of an application."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    body = models.CharField("复议机关", max_length=200)
    case_number = models.CharField("案号", max_length=100, blank=True)
    applied_on = models.DateField("申请复议日期")
    decided_on = models.DateField("复议决定日期", null=True, blank=True)
    result = models.CharField(
        "复议结果", max_length=20, choices=ReviewResult.choices, default=ReviewResult.PENDING
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TalliedQuerySet["Review"].as_manager()

    class Meta:
        ordering = ["application", "applied_on", "id"]
        verbose_name = "行政复议"
        verbose_name_plural = "行政复议"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__in=ReviewResult.values),
                name="applications_review_result_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.case_number}".strip()


class Lawsuit(models.Model):
    """An administrative lawsuit (行政诉讼), filed directly or after a review (report table 四)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="lawsuits")
    kind = models.CharField("起诉类型", max_length=20, choices=LawsuitKind.choices)
    review = models.ForeignKey(
        Review,
        verbose_name="前置行政复议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lawsuits",
    )
    court = models.CharField("受理法院", max_length=200)
    case_number = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("起诉日期")
    decided_on = models.DateField("裁判日期", null=True, blank=True)
    result = models.CharField(
        "诉讼结果", max_length=20, choices=ReviewResult.choices, default=ReviewResult.PENDING
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TalliedQuerySet["Lawsuit"].as_manager()

    class Meta:
        ordering = ["application", "filed_on", "id"]
        verbose_name = "行政诉讼"
        verbose_name_plural = "行政诉讼"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__in=ReviewResult.values),
                name="applications_lawsuit_result_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=LawsuitKind.values),
                name="applications_lawsuit_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.case_number}".strip()


class CaseArchiveJob(models.Model):
    """The background build of a closed case's sealed archive (归档), queued by ``close``.

    The archive itself is a ``letters.CaseArchive``; this row only says whether the build is
    queued, running, done (with the manifest hash) or failed (with the reason), for the case page.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="archive_jobs"
    )
    status = models.CharField(
        "状态", max_length=12, choices=ArchiveJobStatus.choices, default=ArchiveJobStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    manifest_sha256 = models.CharField("清单SHA-256", max_length=64, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["application", "-created_at", "-id"]
        verbose_name = "归档任务"
        verbose_name_plural = "归档任务"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ArchiveJobStatus.values),
                name="applications_archive_job_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.status}"

    @property
    def finished(self) -> bool:
        """True once the job no longer changes."""
        return self.status in ARCHIVE_JOB_FINISHED

    @property
    def succeeded(self) -> bool:
        """True when the archive was built."""
        return self.status == ArchiveJobStatus.DONE

    @property
    def failed(self) -> bool:
        """True when the archive could not be built (``message`` says why)."""
        return self.status == ArchiveJobStatus.FAILED


class RecomputeRun(models.Model):
    """One recomputation of every open case's deadlines (after a calendar change, or the CLI).

    The task writes its progress here (``total``, ``done``, ``changed``) so that the office can
    show a progress bar; ``finished_at`` is set at the end, ``error`` if it stopped on a failure.
    Only counts are stored: no case data.
    """

    reason = models.CharField("原因", max_length=200)
    year = models.PositiveSmallIntegerField("调整的日历年度", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    total = models.PositiveIntegerField("在办申请数", default=0)
    done = models.PositiveIntegerField("已重算", default=0)
    changed = models.PositiveIntegerField("期限变化", default=0)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "期限重算"
        verbose_name_plural = "期限重算"

    def __str__(self) -> str:
        return f"recompute {self.pk}: {self.done}/{self.total}"

    @property
    def finished(self) -> bool:
        """True once the run no longer changes."""
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        """Progress in percent (100 once finished, also for zero open cases)."""
        if self.finished:
            return 100
        if not self.total:
            return 0
        return min(99, 100 * self.done // self.total)
