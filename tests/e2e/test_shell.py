"""The page shell in a real browser: login, tenant switcher, navigation by role, organisation pages, API clients.

Every page visited is checked three ways: axe-core finds no accessibility violation, the browser reports no
Content Security Policy violation and no missing stylesheet/script, and a full-page screenshot is saved to
`test-artifacts/screenshots/` for a human look.

axe-core is injected through the DevTools protocol (`page.evaluate`), which the page's CSP does not govern, so
the production CSP stays in force for the whole run. The CSP and asset checks of a page run *before* axe, so
a complaint can only come from the application's own markup, styles and scripts.
"""

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from amtsflow.tenants.demo import DEMO_PASSWORD, MUSTERSTADT_PEOPLE

from .conftest import CHROMIUM, Desk, screenshot_path

NewDesk = Callable[[], Desk]

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True
    )

pytestmark = pytest.mark.browser

AXE = Axe()


def check_page(desk: Desk, name: str) -> None:
    """Screenshot the page, then assert no CSP violation, no missing asset and no axe-core violation."""
    page = desk.page
    page.wait_for_load_state("networkidle")
    page.screenshot(path=screenshot_path(name), full_page=True)
    assert not desk.log.csp_violations, f"{name}: CSP violations:\n" + "\n".join(desk.log.csp_violations)
    assert not desk.log.failed_assets, (
        f"{name}: assets that did not load (does `manage.py findstatic amtsflow/amtsflow.css` find them?):\n"
        + "\n".join(desk.log.failed_assets)
    )
    results = AXE.run(page)
    assert results.violations_count == 0, f"{name} ({page.url}):\n{results.generate_report()}"
    desk.log.clear()


def log_in(desk: Desk, username: str, *, check: bool = False) -> Page:
    page = desk.page
    response = page.goto("/accounts/login/")
    assert response is not None
    # The checks below are only worth something while the production CSP is in force.
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Amtsflow")
    if check:
        check_page(desk, "login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("domcontentloaded")
    return page


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main navigation")


def test_operator_switches_municipality_and_logs_out(new_desk: NewDesk) -> None:
    desk = new_desk()
    page = desk.page

    log_in(desk, "betrieb", check=True)
    # Member of two municipalities and operator: the start page lets them choose.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose municipality")
    check_page(desk, "choose-municipality")

    # Keyboard users first meet the skip link, and it is visible when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.screenshot(path=screenshot_path("skip-link-focused"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.get_by_role("main").get_by_role("link", name="Stadt Musterstadt").click()
    expect(page).to_have_url(re.compile(r"/t/musterstadt/$"))
    expect(page.locator(".site-header .tenant-name")).to_have_text("Stadt Musterstadt")
    check_page(desk, "start-operator")

    switcher = page.locator("#tenant-switcher")
    switcher.get_by_text("Switch municipality").click()
    expect(switcher.get_by_role("link", name="Gemeinde Beispielhausen")).to_be_visible()
    check_page(desk, "tenant-switcher-open")
    switcher.get_by_role("link", name="Gemeinde Beispielhausen").click()
    expect(page).to_have_url(re.compile(r"/t/beispielhausen/$"))
    expect(page.locator(".site-header .tenant-name")).to_have_text("Gemeinde Beispielhausen")
    expect(page).to_have_title(re.compile("Gemeinde Beispielhausen"))

    switcher.get_by_text("Switch municipality").click()
    switcher.get_by_role("link", name="All tenants (operator)").click()
    expect(page).to_have_url(re.compile(r"/operator/tenants/$"))
    expect(page.get_by_role("table")).to_contain_text("Stadt Musterstadt")
    check_page(desk, "operator-tenants")

    response = page.goto("/no-such-page/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    desk.log.forget("404 (Not Found)")  # the page's own status, not a missing asset
    check_page(desk, "not-found")

    page.locator("#user-menu").get_by_text("Olaf Betreiber").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/t/musterstadt/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_clerk_sees_no_api_clients_entry(new_desk: NewDesk) -> None:
    desk = new_desk()
    page = log_in(desk, "sachbearbeitung")
    # One municipality only: straight to its start page.
    expect(page).to_have_url(re.compile(r"/t/musterstadt/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sabine")
    expect(main_nav(page).get_by_role("link", name="Organisation")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="API clients")).to_have_count(0)
    expect(page.locator("#tenant-switcher")).to_have_count(0)
    check_page(desk, "start")

    response = page.goto("/t/musterstadt/api-clients/")
    assert response is not None
    assert response.status == 403
    desk.log.forget("403 (Forbidden)")
    check_page(desk, "forbidden")

    # The CSP check itself works: an inline style is refused and reported on the console.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    assert desk.log.csp_violations


def test_admin_manages_organisation_and_api_clients(new_desk: NewDesk) -> None:
    desk = new_desk()
    page = log_in(desk, "admin")
    expect(page).to_have_url(re.compile(r"/t/musterstadt/$"))

    main_nav(page).get_by_role("link", name="Organisation").click()
    expect(page).to_have_url(re.compile(r"/t/musterstadt/organisation/$"))
    expect(page.get_by_role("table")).to_contain_text("Straßenunterhaltung")
    check_page(desk, "org-units")

    page.get_by_role("link", name="New unit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New unit")
    name = page.get_by_role("textbox", name="Name")
    name.focus()
    check_page(desk, "org-unit-new")
    # Sent empty, the form comes back with the error tied to its field.
    page.get_by_role("button", name="Save").click()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile("required", re.IGNORECASE))
    check_page(desk, "org-unit-new-errors")
    page.get_by_role("link", name="Cancel").click()

    tabs = page.get_by_role("navigation", name="Organisation")
    tabs.get_by_role("link", name="Members").click()
    rows = page.locator("#member-rows tbody tr")
    expect(rows).to_have_count(len(MUSTERSTADT_PEOPLE) + 1)  # and the provider operator
    check_page(desk, "members")

    page.get_by_label("Search members").press_sequentially("Schneider")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sabine Schneider")
    expect(page.get_by_role("status")).to_have_text("1 member found")
    expect(page).to_have_url(re.compile(r"\?q=Schneider$"))
    check_page(desk, "members-filtered")

    rows.first.get_by_role("link", name="Sabine Schneider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sabine Schneider")
    check_page(desk, "member-detail")
    # Back to the pushed search URL: the whole page again, not the cached htmx fragment.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    expect(page.get_by_label("Search members")).to_have_value("Schneider")
    expect(rows).to_have_count(1)

    tabs.get_by_role("link", name="Groups").click()
    expect(page.get_by_role("table")).to_contain_text("Rechnungsprüfung")
    check_page(desk, "groups")

    main_nav(page).get_by_role("link", name="API clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API clients")
    check_page(desk, "api-clients")

    page.get_by_label("Name").fill("Fachverfahren Gewerbe")
    page.get_by_role("checkbox", name=re.compile(r"^tenants\.read:")).check()
    page.get_by_role("button", name="Create").click()
    notice = page.get_by_role("alert")
    expect(notice.get_by_role("heading")).to_have_text("Token for Fachverfahren Gewerbe")
    expect(notice.get_by_label("Token")).to_have_value(re.compile(r"\S{20,}"))
    expect(page.get_by_role("table")).to_contain_text("Fachverfahren Gewerbe")
    check_page(desk, "api-client-created")


def test_small_screen_reflows(new_desk: NewDesk) -> None:
    desk = new_desk()
    page = desk.page
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(desk, "betrieb")
    page.goto("/t/musterstadt/organisation/members/")
    # Nothing pushes the page sideways: the wide table scrolls in its own box, which the keyboard reaches.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table_box = page.get_by_role("region", name="Members")
    expect(table_box).to_have_attribute("tabindex", "0")
    check_page(desk, "small-screen-members")

    switcher = page.locator("#tenant-switcher")
    switcher.get_by_text("Switch municipality").click()
    menu = switcher.get_by_role("list")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    check_page(desk, "small-screen-switcher")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(switcher.locator("summary")).to_be_focused()
