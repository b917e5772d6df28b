"""文书模板 under 系统设置 in the office menu (gongkai/accounts/workspaces.py)."""

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.workspaces import SETTINGS, Workspace, register

register(
    Workspace(
        "letter_templates",
        _("文书模板"),
        "letters:template_index",
        order=10,
        actions=("letter.template_change",),
        group=SETTINGS,
        prefixes=("letters:template", "letters:settings"),
    )
)
