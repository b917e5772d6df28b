"""Django admin (superusers): each platform's classification trees and expression list."""

from django.contrib import admin

from gongkai.catalog.models import Category, CategoryScheme, SensitiveTerm


class CategoryInline(admin.TabularInline):
    model = Category
    fields = ["name", "parent", "sort_order"]
    extra = 1


@admin.register(CategoryScheme)
class CategorySchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_subject", "sort_order"]
    inlines = [CategoryInline]


@admin.register(SensitiveTerm)
class SensitiveTermAdmin(admin.ModelAdmin):
    list_display = ["term", "kind", "suggestion", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["term"]
