from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only view of the audit trail for superusers."""

    list_display = ["seq", "created_at", "actor_repr", "role", "action", "target_repr", "ip"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "actor_repr"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
