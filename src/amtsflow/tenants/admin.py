"""Django admin for provider operators only: accounts and tenants, never tenant-owned data."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from amtsflow.tenants.models import Tenant, User


@admin.register(User)
class AmtsflowUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Amtsflow", {"fields": ("is_operator",)}))
    list_display = ("username", "email", "first_name", "last_name", "is_operator", "is_active")
    list_filter = ("is_operator", "is_active")


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "ags", "leitweg_prefix", "is_active")
    search_fields = ("name", "slug", "ags")
    readonly_fields = ("slug",)

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # a municipality's records are never deleted with one click
