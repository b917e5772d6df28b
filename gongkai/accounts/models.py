"""People (staff users) and their roles per agency."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from gongkai.accounts.choices import Role


class User(AbstractUser):
    """A staff member who logs in to the office."""

    full_name = models.CharField("姓名", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username


class StaffMembership(models.Model):
    """A role held by a person in one agency, optionally extending to its sub-agencies."""

    user = models.ForeignKey(
        User, verbose_name="人员", on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    includes_subagencies = models.BooleanField("含下级机关", default=False)
    created_at = models.DateTimeField("设立时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位角色"
        verbose_name_plural = "岗位角色"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="accounts_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
