"""Office forms: registration and one small form per step. Forms validate input only; the
services decide whether the step is allowed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import User
from gongkai.applications.choices import (
    ApplicantType,
    Channel,
    ConsultationOutcome,
    ConsultationParty,
    DeliveryMethod,
    FeeBasis,
    IdDocumentType,
    InformationForm,
    LawsuitKind,
    ReviewResult,
    result_choices_grouped,
)
from gongkai.applications.models import Lawsuit, Review
from gongkai.core.widgets import IsoDateInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: ``<input type="date">`` only accepts ISO dates (the zh-hans input format is 2026/02/10).
DATE: dict[str, Any] = {"widget": IsoDateInput()}


def _date(
    label: StrOrPromise, required: bool = True, help_text: StrOrPromise = ""
) -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, **DATE)


class RegisterForm(forms.Form):
    """Register an application received through any channel (incl. oral/assisted, 第四十三条)."""

    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("办理机关"), queryset=None)
    channel = forms.ChoiceField(label=_("申请方式"), choices=Channel.choices)
    arrived_on = _date(_("到达日期"), help_text=_("当面提交的，即提交之日。"))
    letter_needs_signature = forms.BooleanField(label=_("需要签收的邮件"), required=False)
    signed_for_on = _date(_("签收日期"), required=False)
    confirmed_on = _date(
        _("确认日期"),
        required=False,
        help_text=_("平常信函：与申请人确认之日；网络、电子邮件、传真：双方确认之日。"),
    )
    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantType.choices)
    applicant_name = forms.CharField(label=_("申请人姓名或名称"), max_length=200)
    id_document_type = forms.ChoiceField(
        label=_("身份证件类型"), choices=[("", "—")] + list(IdDocumentType.choices), required=False
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=40, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    legal_representative = forms.CharField(
        label=_("法定代表人或负责人"), max_length=100, required=False
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False)
    description = forms.CharField(
        label=_("所需政府信息的名称、文号或者特征性描述"), widget=forms.Textarea(attrs={"rows": 4})
    )
    items = forms.CharField(
        label=_("分项申请内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("一行一项；不填则整份申请作为一项。"),
    )
    requested_form = forms.ChoiceField(
        label=_("所需信息的载体形式"),
        choices=[("", "—")] + list(InformationForm.choices),
        required=False,
    )
    requested_delivery = forms.ChoiceField(
        label=_("获取信息的方式"),
        choices=[("", "—")] + list(DeliveryMethod.choices),
        required=False,
    )
    is_oral = forms.BooleanField(label=_("口头提出，由工作人员代为填写"), required=False)
    is_assisted = forms.BooleanField(label=_("提供了无障碍等必要帮助"), required=False)
    assistance_note = forms.CharField(label=_("帮助情况"), max_length=300, required=False)
    on_the_spot_result = forms.ChoiceField(
        label=_("当场答复的办理结果"),
        choices=[("", _("（不是当场答复）")), *result_choices_grouped()],
        required=False,
    )
    on_the_spot_reply = forms.CharField(
        label=_("当场答复内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = agencies
        if agencies.count() == 1:
            field.initial = agencies.first()


class AssignForm(forms.Form):
    """Choose the handler."""

    handler: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("经办人"), queryset=None)

    def __init__(self, *args: Any, handlers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101

        field.queryset = User.objects.filter(pk__in=[h.pk for h in handlers])


class CorrectionRequestForm(forms.Form):
    """补正告知."""

    on = _date(_("告知日期"))
    period_ends_on = _date(_("补正期限"))
    content = forms.CharField(label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 3}))
    late = forms.BooleanField(
        label=_("逾期补正"),
        required=False,
        help_text=_(
            "超过第三十条规定的7个工作日、但确已发出的补正告知，据实登记；答复期限不因此中止或重新计算。"
        ),
    )


class DateNoteForm(forms.Form):
    """A date and an optional note (收到补正, 撤回, 逾期…)."""

    on = _date(_("日期"))
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionReceivedForm(forms.Form):
    """收到补正: the date and, when the request changed, the corrected 申请内容."""

    on = _date(_("收到补正日期"))
    description = forms.CharField(
        label=_("补正后的申请内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "申请人补正后的所需信息描述；填写后成为本案当前的申请内容，原内容保留在历史中。"
        ),
    )
    items = forms.CharField(
        label=_("补正后的申请事项（每行一项）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_items(self) -> list[str]:
        """One requested item per non-empty line."""
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ConsultationForm(forms.Form):
    """征求意见."""

    party = forms.ChoiceField(label=_("征求对象"), choices=ConsultationParty.choices)
    party_name = forms.CharField(label=_("被征求意见方"), max_length=200)
    subject = forms.CharField(
        label=_("征求意见事项"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sent_on = _date(_("发出日期"))
    delivered_on = _date(_("对方收到日期"), required=False)


class ConsultationAnswerForm(forms.Form):
    """收到意见 (or silence)."""

    consultation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("征求意见"), queryset=None
    )
    answered_on = _date(_("收到意见日期"))
    outcome = forms.ChoiceField(label=_("意见"), choices=ConsultationOutcome.choices)
    note = forms.CharField(
        label=_("意见内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consultation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = application.consultations.filter(answered_on__isnull=True)


class ThirdPartyNoticeForm(forms.Form):
    """第三十二条: the written notice to an objecting third party that the office discloses."""

    consultation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("不同意公开的第三方"), queryset=None
    )
    on = _date(_("书面告知日期"))
    content = forms.CharField(
        label=_("决定公开的政府信息内容"), widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(label=_("决定公开的理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, consultations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consultation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = consultations


class ExtensionRequestForm(forms.Form):
    """The handler asks the head for an extension (第三十三条第二款)."""

    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=20)
    reason = forms.CharField(label=_("延期的正当理由"), widget=forms.Textarea(attrs={"rows": 3}))
    on = _date(_("申请日期"), required=False, help_text=_("事后登记时填写；不填为今天。"))


class ExtensionRefuseForm(forms.Form):
    """The head does not agree to the requested extension."""

    opinion = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))
    on = _date(_("决定日期"), required=False, help_text=_("事后登记时填写；不填为今天。"))


class ExtensionForm(forms.Form):
    """延期答复 approved by the head."""

    on = _date(_("同意日期"))
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=20)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class LongerDeadlineForm(forms.Form):
    """第三十五条: the head sets a later, reasonable reply date for an excessive application."""

    on = _date(_("决定日期"))
    due_on = _date(_("合理答复期限"), help_text=_("应当晚于现有答复期限。"))
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "申请公开政府信息的数量、频次明显超过合理范围，申请理由合理但无法在规定期限内答复的情况。"
        ),
    )


class FeeNoticeForm(forms.Form):
    """收费通知 (the amount is computed by the service)."""

    basis = forms.ChoiceField(label=_("计收方式"), choices=FeeBasis.choices)
    pages = forms.IntegerField(label=_("页数（按量计收）"), min_value=0, required=False)
    sent_on = _date(_("发出日期"))
    received_on = _date(_("申请人收到日期"), required=False)
    late = forms.BooleanField(
        label=_("逾期发出"),
        required=False,
        help_text=_("答复期限届满后确已发出的收费通知，据实登记；答复期限不因此中止。"),
    )


class FeePaidForm(forms.Form):
    """缴费."""

    paid_on = _date(_("缴费日期"))
    receipt_number = forms.CharField(label=_("票据号"), max_length=60, required=False)


class DraftItemForm(forms.Form):
    """One requested item's decision."""

    description = forms.CharField(label=_("申请内容"), widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.ChoiceField(label=_("处理结果"), choices=result_choices_grouped())
    reason = forms.CharField(
        label=_("理由和依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pages = forms.IntegerField(label=_("页数"), min_value=0, required=False)


DraftItemFormSet = forms.formset_factory(DraftItemForm, extra=0, min_num=1, validate_min=True)


class DraftSummaryForm(forms.Form):
    """The reply's overall wording."""

    summary = forms.CharField(
        label=_("答复意见"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ConfirmForm(forms.Form):
    """A step without data (提交审核, 办结)."""


class ReviewDecisionForm(forms.Form):
    """审核: 保密审查 and legal check."""

    approve = forms.TypedChoiceField(
        label=_("审核结论"),
        choices=[("1", _("审核通过")), ("0", _("退回修改"))],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput(attrs={"disabled": True}),  # two buttons name the decision
    )
    confidentiality_checked = forms.BooleanField(label=_("已完成保密审查"), required=False)
    legal_checked = forms.BooleanField(label=_("已完成合法性审查"), required=False)
    opinion = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = _date(_("审核日期"), required=False, help_text=_("事后登记时填写；不填为今天。"))


class ApprovalForm(forms.Form):
    """负责人审批."""

    approve = forms.TypedChoiceField(
        label=_("审批结论"),
        choices=[("1", _("批准答复")), ("0", _("退回修改"))],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput(attrs={"disabled": True}),  # two buttons name the decision
    )
    opinion = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = _date(_("审批日期"), required=False, help_text=_("事后登记时填写；不填为今天。"))


class DeliveryForm(forms.Form):
    """送达记录."""

    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)
    delivered_on = _date(_("送达日期"))
    proof = forms.CharField(label=_("送达凭证（回执、邮件单号等）"), max_length=300, required=False)


class TransferForm(forms.Form):
    """转办 to the responsible agency on the platform."""

    to_agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("转至机关"), queryset=None
    )
    on = _date(_("转办日期"))
    reason = forms.CharField(label=_("转办理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = agencies


class EventCorrectionForm(forms.Form):
    """更正记录: the right date of a logged step."""

    event: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("要更正的记录"), queryset=None
    )
    field = forms.ChoiceField(
        label=_("更正内容"),
        choices=[
            ("on", _("事项日期")),
            ("arrived_on", _("到达日期")),
            ("signed_for_on", _("签收日期")),
            ("confirmed_on", _("确认日期")),
            ("period_ends_on", _("补正期限")),
            ("delivered_on", _("对方收到日期")),
            ("received_on", _("申请人收到收费通知日期")),
        ],
    )
    value = _date(_("正确的日期"))
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = events
        # A per-form label on this field instance (mypy forbids assigning to a method).
        field.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            f"#{obj.seq} {obj.on:%Y-%m-%d} {obj.get_kind_display()}"
        )


class ReviewRecordForm(forms.ModelForm):
    """行政复议 record."""

    class Meta:
        model = Review
        fields = ["body", "case_number", "applied_on", "decided_on", "result", "note"]
        widgets = {
            "applied_on": IsoDateInput(),
            "decided_on": IsoDateInput(),
        }


class LawsuitRecordForm(forms.ModelForm):
    """行政诉讼 record."""

    class Meta:
        model = Lawsuit
        fields = [
            "kind",
            "review",
            "court",
            "case_number",
            "filed_on",
            "decided_on",
            "result",
            "note",
        ]
        widgets = {
            "filed_on": IsoDateInput(),
            "decided_on": IsoDateInput(),
        }

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["review"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = application.reviews.all()
        cast(forms.ChoiceField, self.fields["kind"]).choices = LawsuitKind.choices
        cast(forms.ChoiceField, self.fields["result"]).choices = ReviewResult.choices
