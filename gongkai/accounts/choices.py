"""Roles a person can hold in an agency (the single home of these values)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles per agency."""

    HANDLER = "HANDLER", _("经办人")
    REVIEWER = "REVIEWER", _("审核人")
    HEAD = "HEAD", _("负责人")
    AGENCY_ADMIN = "AGENCY_ADMIN", _("机关管理员")
    PLATFORM_ADMIN = "PLATFORM_ADMIN", _("平台管理员")
    SECURITY_ADMIN = "SECURITY_ADMIN", _("安全管理员")
    AUDITOR = "AUDITOR", _("审计员")


#: Roles that do disclosure work on an agency's records.
WORK_ROLES = frozenset({Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.AGENCY_ADMIN})
#: Roles that only read.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
#: 三员分立 (等保 2.0): system administration, security administration and audit are held by
#: different people, and none can do another's work.
SEPARATED_ADMIN_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
