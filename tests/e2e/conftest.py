"""Fixtures of the browser tests: demo data, a headless Chromium, pages that record what the browser complained about.

Chromium is Debian's (/usr/bin/chromium), never a downloaded one; `test_shell.py` skips when it is missing.
"""

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amtsflow.tenants import demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright's sync API runs an event loop in the test thread, and Django then refuses ORM calls there.

    Set per test and undone afterwards, so only the browser tests relax the check; the live server's own
    thread serves requests without a loop and is unaffected.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo_data(transactional_db: None) -> list[demo.DemoLogin]:
    """The demo municipalities, committed so the live server's thread sees them."""
    return demo.load()


@pytest.fixture
def browser(demo_data: list[demo.DemoLogin]) -> Iterator[Browser]:
    """A headless Chromium per test: started after the data exists, closed before the database is flushed."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class BrowserLog:
    """What the browser reported for one page: console messages and failed own-origin sub-resources."""

    console: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        self.console.append(f"{message.type}: {message.text}")

    def on_response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type in {"stylesheet", "script", "image", "font"}:
            self.failed_assets.append(f"{response.status} {response.url}")

    @property
    def csp_violations(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]

    def forget(self, text: str) -> None:
        """Drop console lines containing `text` (e.g. the expected status of an error page itself)."""
        self.console[:] = [line for line in self.console if text not in line]

    def clear(self) -> None:
        self.console.clear()
        self.failed_assets.clear()


@dataclass
class Desk:
    """One person at one desk: a browser context of their own (cookies) with one page."""

    page: Page
    log: BrowserLog


@contextlib.contextmanager
def desks(browser: Browser, live_server: LiveServer, **options: str) -> Iterator[Callable[[], Desk]]:
    """Factory of fresh browser contexts against the live server, closed afterwards; `options` go to each context
    (locale, timezone_id). The production CSP stays in force."""
    contexts = []

    def make() -> Desk:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}, **options)
        contexts.append(context)
        page = context.new_page()
        log = BrowserLog()
        page.on("console", log.on_console)
        page.on("response", log.on_response)
        return Desk(page=page, log=log)

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def new_desk(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[], Desk]]:
    """Fresh English browser contexts against the live server."""
    with desks(browser, live_server, locale="en-US") as make:
        yield make


def screenshot_path(name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR / f"{name}.png"
