"""Tenant-owned resources of the E-Akte, for the isolation harness."""

from amtsflow.core.testing.isolation import IsolatedResource, register


def _plan_entry(tenant):  # noqa: ANN001, ANN202
    from amtsflow.files.tests.factories import AktenplanEntryFactory

    return AktenplanEntryFactory(tenant=tenant)


def _akte(tenant):  # noqa: ANN001, ANN202
    from amtsflow.files.tests.factories import AkteFactory

    return AkteFactory(tenant=tenant)


def _vorgang(tenant):  # noqa: ANN001, ANN202
    from amtsflow.files.tests.factories import VorgangFactory

    return VorgangFactory(tenant=tenant)


def _document(tenant):  # noqa: ANN001, ANN202
    from amtsflow.files.tests.factories import DocumentFactory

    return DocumentFactory(tenant=tenant)


register(
    IsolatedResource(
        name="plan_entry",
        create=_plan_entry,
        ui_list="files:plan_list",
        ui_detail=("files:plan_edit",),
        ui_id_kwarg="entry_id",
        api_list="files-api:plan-entry-list",
        api_detail=("files-api:plan-entry-detail",),
    )
)
register(
    IsolatedResource(
        name="akte",
        create=_akte,
        ui_list="files:akte_list",
        ui_detail=(
            "files:akte_detail",
            "files:akte_edit",
            "files:akte_close",
            "files:akte_reopen",
            "files:akte_legal_hold",
            "files:vorgang_create",
            "files:akte_package",
        ),
        ui_id_kwarg="akte_id",
        api_list="files-api:akte-list",
        api_detail=(
            "files-api:akte-detail",
            "files-api:akte-close",
            "files-api:akte-reopen",
            "files-api:akte-legal-hold",
        ),
    )
)
register(
    IsolatedResource(
        name="vorgang",
        create=_vorgang,
        # Cases are listed on their file's page, which the "akte" resource covers.
        ui_detail=("files:vorgang_detail", "files:party_add", "files:party_remove", "files:document_upload"),
        ui_id_kwarg="vorgang_id",
        api_list="files-api:vorgang-list",
        api_detail=("files-api:vorgang-detail", "files-api:vorgang-parties"),
    )
)
register(
    IsolatedResource(
        name="document",
        create=_document,
        # Documents are listed on their case's page, which the "vorgang" resource covers.
        ui_detail=(
            "files:document_detail",
            "files:document_download",
            "files:document_extraction_state",
            "files:version_add",
            "files:document_check_out",
            "files:document_check_in",
        ),
        ui_id_kwarg="document_id",
        api_list="files-api:document-list",
        api_detail=(
            "files-api:document-detail",
            "files-api:document-versions",
            "files-api:document-content",
            "files-api:document-check-out",
            "files-api:document-check-in",
        ),
    )
)


def _disposal_list(tenant):  # noqa: ANN001, ANN202
    import datetime as dt

    from django_scopes import scopes_disabled

    from amtsflow.files.models import DisposalList

    # A date of its own per tenant: it is the list's label (its ID is no secret, 404 pages echo the URL).
    with scopes_disabled():
        return DisposalList.objects.create(tenant=tenant, as_of=dt.date(2030, 1, 1) + dt.timedelta(days=tenant.pk))


register(
    IsolatedResource(
        name="disposal_list",
        create=_disposal_list,
        label=lambda obj: obj.as_of.isoformat(),
        ui_list="files:disposal",
        ui_detail=(
            "files:disposal_detail",
            "files:disposal_remove",
            "files:disposal_approve",
            "files:disposal_execute",
            "files:disposal_package",
        ),
        ui_id_kwarg="list_id",
        api_list="files-retention-api:disposal-list-list",
        api_detail=(
            "files-retention-api:disposal-list-detail",
            "files-retention-api:disposal-list-approve",
            "files-retention-api:disposal-list-execute",
            "files-retention-api:disposal-list-package",
            "files-retention-api:disposal-list-remove",
        ),
    )
)
register(
    IsolatedResource(
        name="akte_package",
        create=_akte,
        api_detail=("files-retention-api:package-export",),
        id_kwarg="akte_id",
    )
)
