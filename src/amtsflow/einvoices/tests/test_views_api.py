"""The invoice pages and the REST API, as clerks, treasury and receipt platforms use them."""

import re

import pytest
from django.urls import reverse

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.models import Invoice, InvoiceState, Receipt, ReceiptState
from amtsflow.einvoices.tests.conftest import STANDARD
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def _bytes(name: str) -> bytes:
    require_shared("xrechnung", "testsuite")
    return (STANDARD / name).read_bytes()


def _without_buyer_reference(content: bytes) -> bytes:
    """A valid UBL invoice made invalid for XRechnung: no Leitweg-ID (BR-DE-15)."""
    return re.sub(rb"<cbc:BuyerReference>[^<]*</cbc:BuyerReference>", b"", content, count=1)


@pytest.fixture
def ui(login, invoice_clerk_member, invoice_setup):  # noqa: ANN001, ANN201
    return login(invoice_clerk_member)


def _url(tenant, name, **kwargs):  # noqa: ANN001, ANN202
    return reverse(f"einvoices:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def _upload(client, tenant, *files, htmx=False):  # noqa: ANN001, ANN202
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(_url(tenant, "invoice_upload"), {"files": uploads}, **headers)


def test_upload_several_files_and_see_the_outcome(ui, tenant_a, django_capture_on_commit_callbacks):  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            ui,
            tenant_a,
            ("01.01a-INVOICE_ubl.xml", _bytes("01.01a-INVOICE_ubl.xml")),
            ("ohne-leitweg.xml", _without_buyer_reference(_bytes("01.02a-INVOICE_ubl.xml"))),
            htmx=True,
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="upload-result"' in page and 'id="invoice-table"' in page
    assert "01.01a-INVOICE_ubl.xml" in page and "ohne-leitweg.xml" in page
    with tenant_scope(tenant_a):
        valid = Invoice.objects.get(filename="01.01a-INVOICE_ubl.xml")
        invalid = Invoice.objects.get(filename="ohne-leitweg.xml")
    assert valid.validity == "accept" and invalid.validity == "reject"
    assert any(f["rule"] == "BR-DE-15" for f in invalid.findings)

    detail = ui.get(_url(tenant_a, "invoice_detail", invoice_id=invalid.public_id)).content.decode()
    assert "BR-DE-15" in detail
    assert "Leitweg" in detail  # the plain explanation
    assert "BT-1" in detail  # the readable invoice with business terms
    html = ui.get(_url(tenant_a, "invoice_report_html", invoice_id=invalid.public_id))
    assert html.status_code == 200 and b"BR-DE-15" in html.content
    assert html["Content-Disposition"].startswith("attachment")
    svrl = ui.get(_url(tenant_a, "invoice_report_svrl", invoice_id=invalid.public_id))
    assert svrl.status_code == 200 and b"failed-assert" in svrl.content
    varl = ui.get(_url(tenant_a, "invoice_report_xml", invoice_id=invalid.public_id))
    assert varl.status_code == 200 and b"report" in varl.content
    original = ui.get(_url(tenant_a, "invoice_original", invoice_id=valid.public_id))
    assert original.content == _bytes("01.01a-INVOICE_ubl.xml")
    pdf = ui.get(_url(tenant_a, "invoice_pdf", invoice_id=valid.public_id))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_upload_without_javascript_redirects_with_messages(ui, tenant_a, django_capture_on_commit_callbacks):  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(ui, tenant_a, ("a.xml", _bytes("01.03a-INVOICE_ubl.xml")))
    assert response.status_code == 302
    listing = ui.get(response["Location"]).content.decode()
    assert "a.xml" in listing


def test_oversized_upload_is_refused_clearly(ui, tenant_a, settings):  # noqa: ANN001
    settings.AMTSFLOW_EINVOICE_MAX_BYTES = 50
    response = _upload(ui, tenant_a, ("gross.xml", b"<a>" + b"x" * 100 + b"</a>"), htmx=True)
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    with tenant_scope(tenant_a):
        assert not Receipt.objects.exists()


def test_clearing_assign_by_treasury(
    login, admin_a, treasurer_member, tenant_a, invoice_setup, api_client_for, django_capture_on_commit_callbacks
):  # noqa: ANN001, PLR0913
    api = api_client_for(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/invoices/", {"files": [_file("01.04a-INVOICE_ubl.xml")]}, format="multipart")
    assert created.status_code == 201, created.content
    # Processing runs after the delivery commits (in tests: when the capture block ends); read the outcome back.
    arrival = api.get(f"/api/v1/invoice-receipts/{created.json()[0]['id']}/").json()
    assert arrival["state"] == ReceiptState.PROCESSED
    invoice_id = arrival["invoice"]
    assert api.get(f"/api/v1/invoices/{invoice_id}/").json()["state"] == InvoiceState.CLEARING
    client = login(treasurer_member)
    page = client.get(_url(tenant_a, "invoice_detail", invoice_id=invoice_id)).content.decode()
    assert "Clearing" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(tenant_a, "invoice_assign", invoice_id=invoice_id), {"org_unit": invoice_setup.pk, "remember": "on"}
        )
    assert response.status_code == 302
    body = api.get(f"/api/v1/invoices/{invoice_id}/").json()
    assert body["state"] == InvoiceState.RECEIVED and body["org_unit"] == invoice_setup.name
    routes = api.get("/api/v1/leitweg-routes/").json()
    assert [r["leitweg_id"] for r in routes["results"]] == [body["buyer_reference"]]


def _file(name: str):  # noqa: ANN202
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    return SimpleUploadedFile(name, _bytes(name))


def test_api_delivery_findings_report_and_duplicates(
    admin_a, invoice_setup, api_client_for, django_capture_on_commit_callbacks
):  # noqa: ANN001
    api = api_client_for(admin_a)
    invalid = _without_buyer_reference(_bytes("01.05a-INVOICE_ubl.xml"))
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/v1/invoices/", {"files": [SimpleUploadedFile("x.xml", invalid)]}, format="multipart")
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post("/api/v1/invoices/", {"files": [SimpleUploadedFile("y.xml", invalid)]}, format="multipart")
    assert first.status_code == again.status_code == 201
    first = api.get(f"/api/v1/invoice-receipts/{first.json()[0]['id']}/").json()
    again = api.get(f"/api/v1/invoice-receipts/{again.json()[0]['id']}/").json()
    assert again["state"] == ReceiptState.DUPLICATE
    invoice_id = first["invoice"]
    assert again["invoice"] == invoice_id
    detail = api.get(f"/api/v1/invoices/{invoice_id}/").json()
    assert detail["validity"] == "reject" and detail["errors"] >= 1
    assert detail["data"]["seller"]["name"]
    findings = api.get(f"/api/v1/invoices/{invoice_id}/findings/").json()
    rule = next(f for f in findings if f["rule"] == "BR-DE-15")
    assert rule["severity"] == "error" and rule["explanation"] and rule["location"]
    assert b"svrl" in api.get(f"/api/v1/invoices/{invoice_id}/report/?kind=svrl").content
    assert api.get(f"/api/v1/invoices/{invoice_id}/original/").content == invalid
    listing = api.get("/api/v1/invoices/?validity=reject").json()
    assert [i["id"] for i in listing["results"]] == [invoice_id]
    receipts = api.get("/api/v1/invoice-receipts/").json()["results"]
    assert sorted(r["state"] for r in receipts) == ["duplicate", "processed"]


def test_api_refuses_without_scope(admin_a, invoice_setup, api_client_for):  # noqa: ANN001
    api = api_client_for(admin_a, scopes=["einvoices.read"])
    response = api.post("/api/v1/invoices/", {"files": [_file("01.01a-INVOICE_ubl.xml")]}, format="multipart")
    assert response.status_code == 403


def test_routes_ui_and_api(login, admin_a, treasurer_member, tenant_a, invoice_setup, api_client_for):  # noqa: ANN001
    client = login(treasurer_member)
    response = client.post(
        _url(tenant_a, "route_list"), {"leitweg_id": "04011000-99", "org_unit": invoice_setup.pk, "note": "Bau"}
    )
    assert response.status_code == 302
    again = client.post(_url(tenant_a, "route_list"), {"leitweg_id": "04011000-99", "org_unit": invoice_setup.pk})
    assert again.status_code == 400 and "already" in again.content.decode()
    api = api_client_for(admin_a)
    created = api.post(
        "/api/v1/leitweg-routes/",
        {"leitweg_id": "04011000-77", "org_unit": str(invoice_setup.public_id)},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert api.delete(f"/api/v1/leitweg-routes/{created.json()['id']}/").status_code == 204
    assert [r["leitweg_id"] for r in api.get("/api/v1/leitweg-routes/").json()["results"]] == ["04011000-99"]


def test_clerks_cannot_manage_routes(ui, tenant_a, invoice_setup):  # noqa: ANN001
    response = ui.post(_url(tenant_a, "route_list"), {"leitweg_id": "04011000-99", "org_unit": invoice_setup.pk})
    assert response.status_code == 403
