"""Public forms: apply, follow, correct, pay, withdraw, applicant accounts.

Forms check input only; the rules of an application (ID check digit, a contact, the agency)
come from ``applications.services.validate_online`` — the same function the JSON API
calls — and its messages are attached to the fields here. Every widget gets
``aria-describedby`` pointing at its hint and error, and ``aria-invalid`` when it has an error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongkai.applications.choices import (
    ApplicantType,
    DeliveryMethod,
    IdDocumentType,
    InformationForm,
)
from gongkai.applications.services import DESCRIPTION_MAX, ApplicantData, validate_online
from gongkai.core.widgets import IsoDateInput
from gongkai.portal.selectors import receiving_agency

PERSON = "PERSON"
ORGANISATION = "ORGANISATION"
ORG_TYPES = [
    (ApplicantType.BUSINESS, _("商业企业")),
    (ApplicantType.RESEARCH, _("科研机构")),
    (ApplicantType.PUBLIC_INTEREST, _("社会公益组织")),
    (ApplicantType.LEGAL_SERVICE, _("法律服务机构")),
    (ApplicantType.OTHER_ORG, _("其他")),
]
#: Delivery ways an online applicant may ask for (当场交付 needs a visit in person).
ONLINE_DELIVERY = [(v, label) for v, label in DeliveryMethod.choices if v != "ON_THE_SPOT"]


class AccessibleForm(forms.Form):
    """Ties each field's hint and error to its input (aria-describedby, aria-invalid)."""

    def _describe(self) -> None:
        for name, f in self.fields.items():
            ids = []
            bound = self[name]
            if f.help_text:
                ids.append(f"{bound.auto_id}_help")
            # Django's private error cache (not in the stubs): self.errors would run validation.
            errors = self._errors  # type: ignore[attr-defined]
            if errors is not None and errors.get(name):
                ids.append(f"{bound.auto_id}_error")
                f.widget.attrs["aria-invalid"] = "true"
            else:
                f.widget.attrs.pop("aria-invalid", None)
            if ids:
                f.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                f.widget.attrs.pop("aria-describedby", None)

    def full_clean(self) -> None:
        """Validate, then point every widget at its hint and error."""
        super().full_clean()
        self._describe()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()


def _text(label: Any, max_length: int, required: bool = False, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": format_lazy(_("请填写{label}。"), label=label),
            "max_length": format_lazy(_("{label}不能超过{n}个字。"), label=label, n=max_length),
        },
        **kw,
    )


class ApplyForm(AccessibleForm):
    """The online application form (第二十九条)."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    agency = forms.CharField(
        label=_("受理机关"), widget=forms.Select, error_messages={"required": _("请选择受理机关。")}
    )
    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"),
        choices=[(PERSON, _("自然人")), (ORGANISATION, _("法人或其他组织"))],
        widget=forms.RadioSelect,
        initial=PERSON,
        error_messages={
            "required": _("请选择申请人类型。"),
            "invalid_choice": _("请选择申请人类型。"),
        },
    )
    org_type = forms.ChoiceField(
        label=_("法人或其他组织类别"),
        choices=[("", _("—请选择—")), *ORG_TYPES],
        required=False,
        error_messages={"invalid_choice": _("请选择组织类别。")},
    )
    applicant_name = _text(
        _("姓名或名称"),
        200,
        required=True,
        help_text=_("自然人填写姓名；法人或其他组织填写单位全称。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_document_type = forms.ChoiceField(
        label=_("身份证件类型"),
        choices=[("", _("—请选择—")), *IdDocumentType.choices],
        required=False,
        initial=IdDocumentType.ID_CARD,
        error_messages={"invalid_choice": _("请选择身份证件类型。")},
    )
    id_number = _text(_("证件号码"), 40, help_text=_("居民身份证为18位，最后一位可能是X。"))
    credit_code = _text(_("统一社会信用代码"), 18, help_text=_("18位，见营业执照或登记证书。"))
    legal_representative = _text(_("法定代表人或负责人"), 100)
    contact_name = _text(_("联系人"), 100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    identity_copy = forms.FileField(
        label=_("身份证明复印件"),
        required=False,
        help_text=_(
            "自然人上传身份证件，法人或其他组织上传营业执照或登记证书；PDF、JPG或PNG，不超过5 MB。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    phone = _text(
        _("联系电话"),
        40,
        help_text=_("电话、电子邮箱、通信地址至少填写一项；填写手机号码可接收短信提醒。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        max_length=254,
        help_text=_("填写后可收到受理回执和办理进展的邮件。"),
        error_messages={"invalid": _("电子邮箱格式不正确，例如 name@example.cn。")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = _text(
        _("通信地址"), 300, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    postcode = forms.RegexField(
        label=_("邮政编码"),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": _("邮政编码应为6位数字。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    doc_title = _text(_("文件名称"), 200, help_text=_("例如：关于××的通知。不知道可不填。"))
    doc_number = _text(_("文号"), 100, help_text=_("例如：×府办〔2025〕12号。不知道可不填。"))
    doc_date = _text(
        _("形成日期或时间范围"), 100, help_text=_("例如：2025年3月，或2024年至2025年。")
    )
    description = _text(
        _("所需政府信息的内容描述"),
        DESCRIPTION_MAX,
        required=True,
        help_text=_(
            "请写明所需信息的名称、文号或者便于查询的其他特征性描述（《条例》第二十九条）。"
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachment = forms.FileField(
        label=_("其他材料（可选）"),
        required=False,
        help_text=_("PDF、JPG或PNG，不超过5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    requested_form = forms.ChoiceField(
        label=_("所需信息的载体形式"),
        choices=InformationForm.choices,
        widget=forms.RadioSelect,
        initial=InformationForm.ELECTRONIC,
        error_messages={
            "required": _("请选择所需信息的载体形式。"),
            "invalid_choice": _("请选择所需信息的载体形式。"),
        },
    )
    requested_delivery = forms.ChoiceField(
        label=_("获取信息的方式"),
        choices=ONLINE_DELIVERY,
        widget=forms.RadioSelect,
        initial=DeliveryMethod.ONLINE,
        error_messages={
            "required": _("请选择获取信息的方式。"),
            "invalid_choice": _("请选择获取信息的方式。"),
        },
    )

    #: Service field names -> form field names.
    FIELD_MAP = {"applicant_type": "org_type", "applicant_name": "applicant_name"}

    def __init__(self, *args: Any, agency_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        self.checked_agency: Any = None
        super().__init__(*args, **kwargs)
        self.fields["agency"].widget.choices = [("", _("—请选择—")), *agency_choices]

    def clean_agency(self) -> Any:
        """The agency must exist and be active."""
        agency = receiving_agency(self.cleaned_data.get("agency"))
        if agency is None:
            raise ValidationError(_("所选机关不存在或已撤销，请从机构目录中重新选择。"))
        self.checked_agency = agency
        return agency

    def applicant_type(self) -> str:
        """The ApplicantType value chosen (自然人 or the organisation's sub-type)."""
        data = self.cleaned_data
        if data.get("applicant_kind") == PERSON:
            return ApplicantType.PERSON
        return data.get("org_type") or ""

    def applicant(self) -> ApplicantData:
        """The applicant's data for the services."""
        d = self.cleaned_data
        kind = self.applicant_type()
        person = kind == ApplicantType.PERSON
        return ApplicantData(
            applicant_type=kind,
            name=d.get("applicant_name", ""),
            id_document_type=d.get("id_document_type", "") if person else "",
            id_number=d.get("id_number", "") if person else "",
            credit_code="" if person else d.get("credit_code", ""),
            legal_representative="" if person else d.get("legal_representative", ""),
            contact_name=d.get("contact_name", ""),
            phone=d.get("phone", ""),
            email=d.get("email", ""),
            address=d.get("address", ""),
            postcode=d.get("postcode", ""),
        )

    def full_description(self) -> str:
        """The request text with the hints (document name, 文号, date) in front."""
        d = self.cleaned_data
        parts = [
            f"文件名称：{d['doc_title'].strip()}" if d.get("doc_title", "").strip() else "",
            f"文号：{d['doc_number'].strip()}" if d.get("doc_number", "").strip() else "",
            f"形成日期：{d['doc_date'].strip()}" if d.get("doc_date", "").strip() else "",
        ]
        head = "；".join(p for p in parts if p)
        body = d.get("description", "").strip()
        return f"{head}\n{body}" if head else body

    def clean(self) -> dict[str, Any]:
        """Apply the rules of an online application and attach each message to its field."""
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if data.get("applicant_kind") == ORGANISATION and not data.get("org_type"):
            self.add_error("org_type", _("请选择法人或其他组织的类别。"))
            return data
        if data.get("applicant_kind") == PERSON and not data.get("id_document_type"):
            self.add_error("id_document_type", _("请选择身份证件类型。"))
        if "agency" in self.errors or "applicant_kind" in self.errors:
            return data
        errors = validate_online(
            agency=self.checked_agency,
            applicant=self.applicant(),
            description=self.full_description() if data.get("description") else "",
            requested_form=data.get("requested_form", ""),
            requested_delivery=data.get("requested_delivery", ""),
        )
        for key, message in errors.items():
            name = self.FIELD_MAP.get(key, key)
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
            elif name not in self.fields:
                self.add_error(None, message)
        return data


class FollowForm(AccessibleForm):
    """Open a case with its registration number and access code."""

    registration_number = _text(
        _("受理编号"),
        40,
        required=True,
        help_text=_("见受理回执，例如 2026-0012。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    access_code = _text(
        _("查询码"),
        40,
        required=True,
        help_text=_("见受理回执，12位字母和数字，例如 ABCD-EFGH-JK23。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class CorrectionForm(AccessibleForm):
    """The applicant's corrected application (补正)."""

    correction = _text(
        _("补正后的申请内容"),
        DESCRIPTION_MAX,
        required=True,
        help_text=_("请按补正告知的要求，写明所需信息的名称、文号或者其他特征性描述。"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    correction_file = forms.FileField(
        label=_("补正材料（可选）"),
        required=False,
        help_text=_("PDF、JPG或PNG，不超过5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class PaymentForm(AccessibleForm):
    """The applicant's proof of paying the information processing fee."""

    paid_on = forms.DateField(
        label=_("缴费日期"),
        widget=IsoDateInput(),
        error_messages={"required": _("请填写缴费日期。"), "invalid": _("日期格式不正确。")},
    )
    receipt_number = _text(_("票据号或交易流水号"), 60)
    payment_proof = forms.FileField(
        label=_("缴费凭证"),
        help_text=_("缴费票据或转账记录的照片或PDF，不超过5 MB。"),
        error_messages={"required": _("请上传缴费凭证。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_paid_on(self) -> dt.date:
        """Not in the future."""
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise ValidationError(_("缴费日期不能晚于今天。"))
        return value


class WithdrawForm(AccessibleForm):
    """Withdraw the application; the applicant confirms it explicitly."""

    reason = _text(_("撤回理由（可选）"), 500, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("我确认撤回本申请，撤回后本申请不再办理"),
        error_messages={"required": _("请勾选确认后再撤回。")},
    )


class SignupForm(AccessibleForm):
    """Create an applicant account."""

    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("电子邮箱格式不正确。")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^1\d{10}$",
        required=False,
        help_text=_("电子邮箱和手机号码至少填写一项，用于登录。"),
        error_messages={"invalid": _("手机号码应为11位数字。")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("密码"),
        min_length=8,
        max_length=128,
        help_text=_("至少8位。"),
        error_messages={"required": _("请设置密码。"), "min_length": _("密码至少8位。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        """At least one login name."""
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if not data.get("email") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("电子邮箱和手机号码至少填写一项。"))
        return data


class LoginForm(AccessibleForm):
    """Log in to an applicant account."""

    login = _text(
        _("电子邮箱或手机号码"),
        254,
        required=True,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=128,
        error_messages={"required": _("请填写密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
