"""Incoming e-invoices of Musterstadt in a real browser, in German, under the production CSP.

A clerk uploads three official test files at once (a valid XRechnung in UBL, the same invoice without its
Leitweg-ID, a ZUGFeRD PDF); the result and the refreshed invoice table come in without a page reload. The
invalid invoice shows BR-DE-15 with the German explanation and its readable form, and its HTML report
downloads. The arrivals and Leitweg-ID route tabs render; the valid invoice's approval shows its open task,
which the clerk opens from the inbox. Every page: screenshot, no CSP violation, no missing asset, no axe-core
violation (`check_page`, as in `test_shell.py`).

The browser asks for German (de-DE), as the municipality's staff do, so the findings are explained in German;
every text asserted here is the German one. The test files stay in the shared data folder; the rule releases
are installed from there into a temporary directory once per session.
"""

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices import demo as einvoices_demo
from amtsflow.einvoices.rules import NotAValidatorConfiguration, available_releases, install_release
from amtsflow.einvoices.validation import warm_up
from amtsflow.files import demo as files_demo
from amtsflow.tenants.demo import DEMO_PASSWORD

from .conftest import CHROMIUM, Desk, desks, screenshot_path

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True
    )

pytestmark = pytest.mark.browser

AXE = Axe()
NewDesk = Callable[[], Desk]
STANDARD = Path("src", "test", "business-cases", "standard")
VALID = "01.01a-INVOICE_ubl.xml"
INVALID = "01.01a-INVOICE_ubl-ohne-Leitweg-ID.xml"
ZUGFERD = "EN16931_Einfach.pdf"
DEMO_INVOICES = len(einvoices_demo.demo_invoices("08119999"))  # delivered by the demo loader
BR_DE_15_GERMAN = "Die Käuferreferenz fehlt."


def check_page(desk: Desk, name: str) -> None:
    """Screenshot the page, then assert no CSP violation, no missing asset and no axe-core violation."""
    page = desk.page
    page.wait_for_load_state("networkidle")
    page.screenshot(path=screenshot_path(name), full_page=True)
    assert not desk.log.csp_violations, f"{name}: CSP violations:\n" + "\n".join(desk.log.csp_violations)
    assert not desk.log.failed_assets, f"{name}: assets that did not load:\n" + "\n".join(desk.log.failed_assets)
    results = AXE.run(page)
    assert results.violations_count == 0, f"{name} ({page.url}):\n{results.generate_report()}"
    desk.log.clear()


@pytest.fixture(scope="session")
def installed_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared rule zips installed as `make setup` does (as `xrechnung_rules_dir` of the einvoices tests),
    compiled once so no upload pays the cold start."""
    zips = sorted(require_shared("xrechnung", "rules").glob("*.zip"))
    assert zips, "no rule zips in the shared xrechnung/rules folder"
    target = tmp_path_factory.mktemp("xrechnung-rules-e2e")
    for zip_path in zips:
        with contextlib.suppress(NotAValidatorConfiguration):  # Schematron source zips: compiled in the config
            install_release(zip_path, directory=target)
    warm_up(available_releases(target))
    return target


@pytest.fixture
def invoice_files(tmp_path: Path) -> dict[str, Path]:
    """The three uploads: two from the shared folder as they are, the invalid one written to a temp file."""
    standard = require_shared("xrechnung", "testsuite") / STANDARD
    valid = standard / VALID
    invalid = tmp_path / INVALID
    content, removed = re.subn(rb"<cbc:BuyerReference>[^<]*</cbc:BuyerReference>", b"", valid.read_bytes(), count=1)
    assert removed == 1
    invalid.write_bytes(content)
    return {VALID: valid, INVALID: invalid, ZUGFERD: require_shared("xrechnung", "zugferd-samples") / ZUGFERD}


@pytest.fixture
def musterstadt(demo_data: object, installed_rules: Path, settings: Settings, tmp_path: Path) -> None:
    """Musterstadt as `load_demo` leaves it for invoices (file plan, approval process, Leitweg-ID routes), with
    the rules installed and documents in a temp dir. The live server runs in this process: the settings apply."""
    settings.AMTSFLOW_XRECHNUNG_RULES_DIR = installed_rules
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    files_demo.load()
    einvoices_demo.load()


@pytest.fixture
def new_german_desk(browser: Browser, live_server: LiveServer, musterstadt: None) -> Iterator[NewDesk]:
    """Like `new_desk` of conftest, but the browser asks for German."""
    with desks(browser, live_server, locale="de-DE", timezone_id="Europe/Berlin") as make:
        yield make


def log_in(desk: Desk, username: str) -> Page:
    page = desk.page
    response = page.goto("/accounts/login/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Bei Amtsflow anmelden")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page).to_have_url(re.compile(r"/t/musterstadt/$"))
    return page


def test_clerk_uploads_invoices_reads_findings_and_opens_the_approval_task(  # noqa: PLR0915
    new_german_desk: NewDesk, invoice_files: dict[str, Path]
) -> None:
    desk = new_german_desk()
    page = log_in(desk, "sachbearbeitung")

    # (1) The list with its upload form and the invoices the demo delivered.
    page.goto("/t/musterstadt/rechnungen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eingangsrechnungen")
    table = page.locator("#invoice-table")
    expect(table.locator("tbody tr")).to_have_count(DEMO_INVOICES)  # the demo's own deliveries
    check_page(desk, "invoices-list")

    upload = page.get_by_role("form", name="Rechnungen annehmen")
    upload.get_by_label("Rechnungsdateien").set_input_files(list(invoice_files.values()))
    expect(upload.get_by_role("status")).to_have_text("Ausgewählte Dateien: 3")
    expect(upload.locator("[data-file-list] li")).to_have_count(3)
    page.evaluate("window.sameDocument = true")  # gone if the page were loaded anew
    upload.get_by_role("button", name="Hochladen und prüfen").click()

    result = page.locator("#upload-result")
    items = result.get_by_role("listitem")
    expect(items).to_have_count(3, timeout=60_000)
    expect(upload.get_by_role("status")).to_have_text("3 Dateien angenommen.")
    assert page.evaluate("window.sameDocument") is True
    expect(page).to_have_url(re.compile(r"/t/musterstadt/rechnungen/$"))
    outcome = {name: items.filter(has_text=name) for name in invoice_files}
    for item in outcome.values():
        expect(item).to_contain_text("verarbeitet")
    expect(outcome[VALID]).to_contain_text("✓ gültig")
    expect(outcome[INVALID]).to_contain_text("✗ ungültig")
    expect(outcome[ZUGFERD]).to_contain_text("471102 (✓ gültig")

    # The table was replaced in place, once, and lists the three new invoices.
    expect(table).to_have_count(1)
    expect(result).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(DEMO_INVOICES + 3)
    expect(table.get_by_role("link", name="123456XX")).to_have_count(2)
    expect(table.locator("tbody")).to_contain_text("✗ ungültig")
    check_page(desk, "invoices-uploaded")
    valid_href = outcome[VALID].get_by_role("link").get_attribute("href")
    assert valid_href

    # (2) The invalid invoice: BR-DE-15 with the German explanation, and the invoice itself readable.
    outcome[INVALID].get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rechnung 123456XX")
    findings = page.get_by_role("table", name="Prüfergebnisse")
    br_de_15 = findings.get_by_role("row").filter(has=page.get_by_role("rowheader", name="BR-DE-15"))
    expect(br_de_15).to_have_count(1)
    expect(br_de_15).to_contain_text("Fehler")
    expect(br_de_15).to_contain_text(BR_DE_15_GERMAN)
    readable = page.get_by_role("region", name="Die Rechnung")
    expect(readable).to_be_visible()
    expect(readable).to_contain_text("123456XX")
    expect(readable).to_contain_text("[Seller name]")
    check_page(desk, "invoice-invalid")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Prüfbericht (HTML)").click()
    download = download_info.value
    assert download.suggested_filename == "123456XX-pruefbericht.html"
    report = Path(download.path()).read_text(encoding="utf-8")
    assert '<html lang="de">' in report
    assert "BR-DE-15" in report
    assert BR_DE_15_GERMAN in report

    # (4) The valid invoice waits for the factual check, a task of the clerk's unit.
    page.goto(valid_href)
    approval = page.get_by_role("region", name="Freigabe")
    expect(approval.get_by_role("heading", name="Offen")).to_be_visible()
    task_link = approval.get_by_role("link", name="Sachlich prüfen und kontieren")
    expect(task_link).to_have_count(1)
    check_page(desk, "invoice-valid-approval")
    task_href = task_link.get_attribute("href")
    assert task_href

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Aufgaben").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aufgaben")
    inbox_link = page.locator("#task-rows").locator(f'a[href="{task_href}"]')
    expect(inbox_link).to_have_text("Sachlich prüfen und kontieren")
    check_page(desk, "invoice-inbox")
    inbox_link.click()
    expect(page).to_have_url(re.compile(re.escape(task_href) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sachlich prüfen und kontieren")
    check_page(desk, "invoice-task")


def test_arrivals_and_leitweg_routes_tabs(new_german_desk: NewDesk, invoice_files: dict[str, Path]) -> None:
    clerk = new_german_desk()
    page = log_in(clerk, "sachbearbeitung")
    page.goto("/t/musterstadt/rechnungen/")
    page.get_by_label("Rechnungsdateien").set_input_files([invoice_files[VALID], invoice_files[ZUGFERD]])
    page.get_by_role("button", name="Hochladen und prüfen").click()
    expect(page.locator("#upload-result").get_by_role("listitem")).to_have_count(2, timeout=60_000)

    # (3) Arrivals: every file that came in, with its channel and outcome.
    tabs = page.get_by_role("navigation", name="Rechnungen")
    tabs.get_by_role("link", name="Eingänge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eingänge")
    expect(tabs.get_by_role("link", name="Eingänge")).to_have_attribute("aria-current", "page")
    rows = page.get_by_role("table", name="Eingänge").locator("tbody tr")
    expect(rows).to_have_count(DEMO_INVOICES + 2)
    expect(rows.filter(has_text=VALID)).to_contain_text("verarbeitet")
    expect(rows.filter(has_text=ZUGFERD)).to_contain_text("verarbeitet")
    check_page(clerk, "invoice-arrivals")

    tabs.get_by_role("link", name="Leitweg-ID-Zuordnungen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leitweg-ID-Zuordnungen")
    routes = page.get_by_role("table", name="Leitweg-ID-Zuordnungen")
    expect(routes.locator("tbody tr")).to_have_count(len(einvoices_demo.DEMO_ROUTES))
    expect(routes).to_contain_text("081199990000-66")
    check_page(clerk, "invoice-routes-clerk")

    # The treasury manages the routes: the same tab with the delete buttons and the form for a new route.
    treasury = new_german_desk()
    page = log_in(treasury, "kaemmerei")
    page.goto("/t/musterstadt/rechnungen/leitweg/")
    expect(page.get_by_role("heading", name="Neue Zuordnung")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Löschen"))).to_have_count(len(einvoices_demo.DEMO_ROUTES))
    check_page(treasury, "invoice-routes-treasury")
