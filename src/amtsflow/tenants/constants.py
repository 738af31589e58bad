from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    HEAD_OF_DEPARTMENT = "head_of_department", _("Head of department")
    TREASURY = "treasury", _("Treasury")
    PROCESS_OWNER = "process_owner", _("Process owner")
    RECORDS_MANAGER = "records_manager", _("Records manager")
    TENANT_ADMIN = "tenant_admin", _("Tenant administrator")


ALL_ROLES: set[str] = set(Role.values)


class OrgUnitKind(models.TextChoices):
    # Order matters: a unit sits below a unit of an earlier kind.
    FACHBEREICH = "fachbereich", _("Department (Fachbereich)")
    AMT = "amt", _("Office (Amt)")
    SACHGEBIET = "sachgebiet", _("Section (Sachgebiet)")


ORG_UNIT_LEVEL = {kind: level for level, kind in enumerate(OrgUnitKind.values)}
