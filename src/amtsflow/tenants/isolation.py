"""Tenant-owned resources of the tenants capability, for the isolation harness."""

from amtsflow.core.testing.isolation import IsolatedResource, register


def _org_unit(tenant):  # noqa: ANN001, ANN202
    from amtsflow.tenants.tests.factories import OrgUnitFactory

    return OrgUnitFactory(tenant=tenant)


def _member(tenant):  # noqa: ANN001, ANN202
    from amtsflow.tenants.tests.factories import MembershipFactory

    return MembershipFactory(tenant=tenant)


def _group(tenant):  # noqa: ANN001, ANN202
    from amtsflow.tenants.tests.factories import GroupFactory

    return GroupFactory(tenant=tenant)


def _api_client(tenant):  # noqa: ANN001, ANN202
    from django_scopes import scopes_disabled

    from amtsflow.tenants.models import ApiClient

    with scopes_disabled():
        return ApiClient.objects.create(
            tenant=tenant,
            name=f"Fremdsystem {tenant.name}",
            token_prefix=tenant.slug[:12],
            token_hash="0" * 64,
            scopes=["tenants.read"],
        )


register(
    IsolatedResource(
        name="org_unit",
        create=_org_unit,
        ui_list="tenants:org_unit_list",
        ui_detail=("tenants:org_unit_edit", "tenants:org_unit_delete"),
        ui_id_kwarg="unit_id",
        api_list="tenants-api:org-unit-list",
        api_detail=("tenants-api:org-unit-detail",),
    )
)
register(
    IsolatedResource(
        name="member",
        create=_member,
        ui_list="tenants:member_list",
        ui_detail=("tenants:member_detail", "tenants:member_remove"),
        ui_id_kwarg="member_id",
        api_list="tenants-api:member-list",
        api_detail=("tenants-api:member-detail",),
    )
)
register(
    IsolatedResource(
        name="group",
        create=_group,
        ui_list="tenants:group_list",
        ui_detail=("tenants:group_edit", "tenants:group_delete"),
        ui_id_kwarg="group_id",
        api_list="tenants-api:group-list",
        api_detail=("tenants-api:group-detail",),
    )
)
register(
    IsolatedResource(
        name="api_client",
        create=_api_client,
        ui_list="tenants:api_client_list",
        ui_detail=("tenants:api_client_revoke",),
        ui_id_kwarg="client_id",
        api_list="tenants-api:api-client-list",
        api_detail=("tenants-api:api-client-detail", "tenants-api:api-client-revoke"),
    )
)
