"""Forms of public engagement (office and portal)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.widgets import IsoDateInput
from gongkai.engagement.choices import Adoption, CommentChannel, DraftKind, InteractionKind


class _Agency(forms.Form):
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("机关"), queryset=None)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies


class ConsultationForm(_Agency):
    """A draft for public comment."""

    title = forms.CharField(label=_("草案名称"), max_length=300)
    kind = forms.ChoiceField(label=_("草案类别"), choices=DraftKind.choices)
    background = forms.CharField(
        label=_("起草说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(label=_("草案全文"), widget=forms.Textarea(attrs={"rows": 10}))
    opens_on = forms.DateField(label=_("征求意见开始日期"), widget=IsoDateInput())
    closes_on = forms.DateField(label=_("征求意见截止日期"), widget=IsoDateInput())
    short_period_reason = forms.CharField(
        label=_("征求意见期限少于30日的理由（规章、重大行政决策草案）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    """A comment from the public: the contact is required and never published."""

    name = forms.CharField(label=_("姓名或单位（可不填）"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("联系方式（电话或电子邮箱，不公开）"), max_length=200, required=False
    )
    text = forms.CharField(
        label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    provision_key = forms.ChoiceField(label=_("针对的条款（可不选）"), required=False, choices=[])
    quote = forms.CharField(label=_("引用的原文（可不填）"), max_length=300, required=False)

    def __init__(self, *args: Any, articles: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["provision_key"]).choices = [("", _("整体意见"))] + [
            (p.key, f"{p.label} {p.text[len(p.label) :][:30].strip()}") for p in articles
        ]


class DraftImportForm(forms.Form):
    """A new version of the draft as a DOCX file (第X章/第X条 paragraphs)."""

    file = forms.FileField(label=_("草案文件（DOCX）"))


class StaffCommentForm(CommentForm):
    """A letter or e-mail entered by staff into the same queue."""

    channel = forms.ChoiceField(
        label=_("来源"),
        choices=[c for c in CommentChannel.choices if c[0] != CommentChannel.ONLINE],
    )


class AnswerForm(forms.Form):
    """The 采纳情况 of a comment (and its group)."""

    adoption = forms.ChoiceField(label=_("采纳情况"), choices=Adoption.choices)
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConcludeForm(forms.Form):
    """The published summary of the feedback."""

    summary = forms.CharField(label=_("意见采纳情况说明"), widget=forms.Textarea(attrs={"rows": 4}))


class InteractionForm(_Agency):
    """An 在线访谈, 新闻发布会 or 回应关切."""

    kind = forms.ChoiceField(label=_("类别"), choices=InteractionKind.choices)
    held_on = forms.DateField(label=_("日期"), widget=IsoDateInput())
    topic = forms.CharField(label=_("主题"), max_length=300)
    people = forms.CharField(label=_("嘉宾或发布人"), max_length=300, required=False)
    principal_attended = forms.BooleanField(label=_("主要负责同志参加"), required=False)
    transcript = forms.CharField(
        label=_("文字实录或回应内容"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    link = forms.URLField(label=_("视频或发布链接"), required=False, assume_scheme="https")
    published_where = forms.CharField(label=_("发布渠道"), max_length=200, required=False)


class HotlineForm(_Agency):
    """热线转办 counts of a period."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period = forms.CharField(label=_("期间"), max_length=40, initial="全年")
    referred = forms.IntegerField(label=_("转办工单数"), min_value=0)
    completed = forms.IntegerField(label=_("办结数"), min_value=0)
    source = forms.CharField(label=_("数据来源"), max_length=200)


class MessageForm(forms.Form):
    """A message to the 政务信箱."""

    subject = forms.CharField(label=_("标题"), max_length=200, required=False)
    text = forms.CharField(
        label=_("留言内容"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    name = forms.CharField(label=_("姓名（可不填）"), max_length=100, required=False)
    contact = forms.CharField(label=_("联系方式（不公开）"), max_length=200, required=False)
    consent_to_publish = forms.BooleanField(
        label=_("同意公开留言和答复（个人信息不公开）"), required=False
    )


class AssignForm(forms.Form):
    """The unit that handles a message."""

    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("承办单位"), queryset=None)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class ReplyForm(forms.Form):
    """The reply to a message."""

    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}))
