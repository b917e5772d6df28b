"""Forms for staff accounts and roles."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User


class MembershipForm(forms.Form):
    """Give an existing staff account a role in an agency."""

    username = forms.CharField(label=_("用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    includes_subagencies = forms.BooleanField(label=_("含下级机关"), required=False)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有这个用户名的在用账号。"))
        return user
