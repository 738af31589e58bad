"""Staff UI of the Aussonderung and of records packages: a disposal end to end, denial, isolation, export, import."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from amtsflow.audit.models import AuditEntry
from amtsflow.files import packages, services
from amtsflow.files.constants import AkteState, DisposalAction
from amtsflow.files.models import Akte, DisposalList, DisposalListState, DisposalOutcome
from amtsflow.files.services import retention
from amtsflow.files.tests.test_packages import XXE, rezip
from amtsflow.files.tests.test_retention import FUTURE, closed_file
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant

pytestmark = pytest.mark.django_db


def url(name: str, tenant: Tenant, **kwargs: object) -> str:
    return reverse(f"files:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


@pytest.fixture
def destroy_plan(tenant_a, registrar):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        services.create_plan_entry(actor=registrar, number="1", title="Verwaltung", accepts_files=False)
        return services.create_plan_entry(
            actor=registrar, number="1.10", title="Personal", retention_years=2, disposal_action=DisposalAction.DESTROY
        )


@pytest.fixture
def registrar_b(tenant_b, make_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(make_member(tenant_b, Role.RECORDS_MANAGER, Role.CLERK))


@pytest.fixture
def package(tenant_a, registrar, clerk, plan_entry):  # noqa: ANN001, ANN201
    """The records package of a closed file of tenant A."""
    with tenant_scope(tenant_a):
        akte = closed_file(clerk, plan_entry, "Hauptstraße", [("brief.txt", b"Brief\n")])
        return akte.aktenzeichen, packages.export_akte_package(actor=registrar, akte=akte)


def test_records_manager_runs_a_disposal_through_the_ui(
    tenant_a, clerk, registrar, destroy_plan, plan_entry, login, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        doomed = closed_file(clerk, destroy_plan, "Personalakte A", [("brief.txt", b"Brief A\n")])
        kept = closed_file(clerk, destroy_plan, "Personalakte B", [("brief.txt", b"Brief B\n")])
        held = closed_file(clerk, destroy_plan, "Personalakte C", [("brief.txt", b"Brief C\n")])
        services.set_legal_hold(actor=registrar, akte=held, hold=True, reason="Klage anhängig")
        archived = closed_file(clerk, plan_entry, "Hauptstraße", [("plan.txt", b"Plan\n")])
    client = login(registrar.membership)
    assert url("disposal", tenant_a) in client.get(url("akte_list", tenant_a)).content.decode()  # the tab

    today = client.get(url("disposal", tenant_a)).content.decode()
    assert doomed.aktenzeichen not in today  # retention still running
    page = client.get(url("disposal", tenant_a), {"as_of": FUTURE.isoformat()}).content.decode()
    for akte in (doomed, kept, held, archived):
        assert akte.aktenzeichen in page
    assert "blocked by legal hold" in page and "Klage anhängig" in page
    assert client.get(url("disposal", tenant_a), {"as_of": "gestern"}).status_code == 400

    response = client.post(url("disposal_create", tenant_a), {"as_of": FUTURE.isoformat()})
    assert response.status_code == 302
    with tenant_scope(tenant_a):
        disposal_list = DisposalList.objects.get()
        assert sorted(disposal_list.items.values_list("aktenzeichen", flat=True)) == sorted(
            [doomed.aktenzeichen, kept.aktenzeichen, archived.aktenzeichen]
        )
    detail = url("disposal_detail", tenant_a, list_id=disposal_list.public_id)
    assert response["Location"] == detail
    again = client.post(url("disposal_create", tenant_a), {"as_of": FUTURE.isoformat()})
    assert again.status_code == 400 and "No files are due for disposal" in again.content.decode()

    page = client.get(detail).content.decode()
    assert kept.title in page and url("disposal_remove", tenant_a, list_id=disposal_list.public_id) in page
    response = client.post(url("disposal_remove", tenant_a, list_id=disposal_list.public_id), {"akte": kept.public_id})
    assert response.status_code == 302
    assert client.post(url("disposal_approve", tenant_a, list_id=disposal_list.public_id)).status_code == 302
    with tenant_scope(tenant_a):
        disposal_list.refresh_from_db()
        assert disposal_list.state == DisposalListState.APPROVED and disposal_list.items.count() == 2

    execute = url("disposal_execute", tenant_a, list_id=disposal_list.public_id)
    unconfirmed = client.post(execute, {})
    assert unconfirmed.status_code == 400 and "I confirm the irreversible destruction" in unconfirmed.content.decode()
    # Retention is checked against today at execution: refused as a whole while it still runs.
    refused = client.post(execute, {"confirm": "on"})
    assert refused.status_code == 400 and "cannot be disposed of" in refused.content.decode()
    monkeypatch.setattr(retention, "_today", lambda: FUTURE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(execute, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == detail

    page = client.get(detail).content.decode()
    assert "destroyed" in page and "archived" in page and "executed" in page
    with tenant_scope(tenant_a):
        assert Akte.objects.get(pk=doomed.pk).state == AkteState.DESTROYED
        assert Akte.objects.get(pk=archived.pk).state == AkteState.ARCHIVED
        assert Akte.objects.get(pk=kept.pk).state == AkteState.CLOSED
        outcomes = dict(disposal_list.items.values_list("aktenzeichen", "outcome"))
    assert outcomes == {doomed.aktenzeichen: DisposalOutcome.DESTROYED, archived.aktenzeichen: DisposalOutcome.ARCHIVED}
    download = client.get(url("disposal_package", tenant_a, list_id=disposal_list.public_id))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert archive.read("manifest.xml").count(archived.aktenzeichen.encode()) >= 1
    # The destroyed file has no content to export; its page says so instead of failing.
    assert (
        "Export records package"
        not in client.get(url("akte_detail", tenant_a, akte_id=doomed.public_id)).content.decode()
    )


def test_clerk_gets_403_and_sees_no_disposal_tab(tenant_a, clerk, registrar, login) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        disposal_list = DisposalList.objects.create(tenant=tenant_a, as_of=dt.date(2030, 1, 1))
    client = login(clerk.membership)
    assert url("disposal", tenant_a) not in client.get(url("akte_list", tenant_a)).content.decode()
    assert client.get(url("disposal", tenant_a)).status_code == 403
    assert client.post(url("disposal_create", tenant_a), {}).status_code == 403
    for name in ("disposal_detail", "disposal_package"):
        assert client.get(url(name, tenant_a, list_id=disposal_list.public_id)).status_code == 403
    for name in ("disposal_remove", "disposal_approve", "disposal_execute"):
        assert client.post(url(name, tenant_a, list_id=disposal_list.public_id), {"confirm": "on"}).status_code == 403
    assert client.get(url("package_import", tenant_a)).status_code == 403
    with tenant_scope(tenant_a):
        disposal_list.refresh_from_db()
    assert disposal_list.state == DisposalListState.DRAFT


def test_other_tenants_disposal_list_is_404(tenant_a, tenant_b, registrar, login) -> None:  # noqa: ANN001
    with scopes_disabled():
        foreign = DisposalList.objects.create(tenant=tenant_b, as_of=dt.date(2030, 1, 1))
    client = login(registrar.membership)
    assert str(foreign.public_id) not in client.get(url("disposal", tenant_a)).content.decode()
    for name in ("disposal_detail", "disposal_package"):
        assert client.get(url(name, tenant_a, list_id=foreign.public_id)).status_code == 404
    for name in ("disposal_remove", "disposal_approve", "disposal_execute"):
        assert client.post(url(name, tenant_a, list_id=foreign.public_id), {"confirm": "on"}).status_code == 404
    assert client.get(url("disposal", tenant_b)).status_code == 404


def test_export_download_is_an_audited_attachment(tenant_a, clerk, vorgang, akte, login) -> None:  # noqa: ANN001
    client = login(clerk.membership)
    page = client.get(url("akte_detail", tenant_a, akte_id=akte.public_id)).content.decode()
    assert url("akte_package", tenant_a, akte_id=akte.public_id) in page
    response = client.get(url("akte_package", tenant_a, akte_id=akte.public_id))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{akte.aktenzeichen.replace("/", "_")}.zip"'
    assert "/" not in response["Content-Disposition"].split("filename=")[1]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "manifest.xml" in archive.namelist()
    with scopes_disabled():
        entry = AuditEntry.objects.get(tenant=tenant_a, action="package.exported")
    assert entry.object_id == str(akte.public_id)


def test_import_form_takes_a_package_into_tenant_b(tenant_a, tenant_b, registrar_b, package, login) -> None:  # noqa: ANN001
    aktenzeichen, data = package
    client = login(registrar_b.membership)
    assert client.get(url("package_import", tenant_b)).status_code == 200
    response = client.post(
        url("package_import", tenant_b), {"file": SimpleUploadedFile("paket.zip", data, "application/zip")}
    )
    assert response.status_code == 200, response.content.decode()
    with tenant_scope(tenant_b):
        imported = Akte.objects.get()
    page = response.content.decode()
    assert aktenzeichen in page and url("akte_detail", tenant_b, akte_id=imported.public_id) in page
    assert imported.aktenzeichen == aktenzeichen and imported.tenant_id == tenant_b.pk


@pytest.mark.parametrize(
    ("mutate", "message"),
    [(lambda d: rezip(d, {"manifest.xml": XXE}), "DTD or entities"), (lambda d: b"%PDF-1.7", "not a readable ZIP")],
    ids=["xxe", "not a zip"],
)
def test_hostile_upload_is_refused_with_a_message(tenant_b, registrar_b, package, login, mutate, message) -> None:  # noqa: ANN001
    _ref, data = package
    client = login(registrar_b.membership)
    response = client.post(
        url("package_import", tenant_b), {"file": SimpleUploadedFile("boese.zip", mutate(data), "application/zip")}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "The package was refused" in page and message in page
    with tenant_scope(tenant_b):
        assert not Akte.objects.exists()
