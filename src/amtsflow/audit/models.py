"""The audit trail: an append-only, hash-chained log of who did what, one chain per tenant.

Rows are written only by `audit.services.record`. On PostgreSQL, triggers refuse UPDATE and DELETE;
on every database `audit.selectors.verify_chain` detects changed, missing, inserted and forged rows.
"""

from typing import Any

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amtsflow.audit.constants import action_label
from amtsflow.tenants.models import Tenant, TenantScopedModel

GENESIS_HASH = "0" * 64


class AuditEntry(TenantScopedModel):
    # PROTECT instead of the usual CASCADE: a tenant with an audit trail cannot be deleted by accident
    # (the PostgreSQL trigger would refuse the cascade anyway; this makes SQLite behave the same).
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+", editable=False)
    sequence = models.PositiveBigIntegerField(_("number"), editable=False)
    created_at = models.DateTimeField(_("time"), editable=False)
    actor_label = models.CharField(_("actor"), max_length=200, editable=False)
    # The link is cleared when the user is deleted; the hash covers `actor_user_ref` instead, which stays.
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    actor_user_ref = models.BigIntegerField(_("user ID"), null=True, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=100, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, editable=False)
    object_id = models.CharField(_("object ID"), max_length=100, blank=True, editable=False)
    object_label = models.CharField(_("object"), max_length=300, blank=True, editable=False)
    details = models.JSONField(_("details"), default=dict, blank=True, editable=False)
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    entry_hash = models.CharField(_("hash"), max_length=64, editable=False)

    # Verification reads every tenant's chain without a tenant scope; only `audit.selectors` uses this.
    unscoped_objects = models.Manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        default_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["tenant", "sequence"], name="audit_entry_unique_sequence")]
        indexes = [models.Index(fields=["tenant", "object_type", "object_id", "sequence"])]
        triggers = [
            pgtrigger.Protect(name="audit_entry_no_delete", operation=pgtrigger.Delete),
            # Deleting a user sets `actor_user` to NULL (SET_NULL); that is the only update allowed.
            pgtrigger.Protect(
                name="audit_entry_no_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["actor_user"]),
            ),
            pgtrigger.Protect(
                name="audit_entry_no_user_relink",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(new__actor_user__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    @property
    def action_label(self) -> str | Promise:
        return action_label(self.action)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The ORM guard for databases without triggers (SQLite); raw SQL is caught by verification.
        if not self._state.adding:
            raise TypeError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit entries are append-only")


class AuditHead(models.Model):
    """The end of a tenant's chain, locked on every append so that appends of one tenant run one at a time.

    Internal to the audit app and always addressed by tenant, hence a plain manager. Because it records
    the last sequence and hash, verification also notices a removed tail or an entry added behind its back.
    """

    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, related_name="+")
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.tenant_id}: #{self.last_sequence}"
