"""The embedded BPMN modeller and the read-only diagrams in a real browser, under the production CSP.

A process owner opens a model, edits it in bpmn-js (moves a task, adds an element), sees the server refuse an
unexecutable draft with its reason, undoes and saves by keyboard; the draft in the database changes
accordingly. Instance pages draw their version with open and completed tasks marked. Every page: no CSP
violation, no console error, no missing asset, no axe-core violation, and a screenshot.
"""

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Request, expect

from amtsflow.files import services as files_services
from amtsflow.processes import selectors, services
from amtsflow.processes.constants import TaskState
from amtsflow.processes.models import ProcessInstance, ProcessModel
from amtsflow.processes.templatetags.diagram import bundle_installed
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.demo import DEMO_PASSWORD
from amtsflow.tenants.models import Tenant, User

from .conftest import CHROMIUM, Desk, screenshot_path

NewDesk = Callable[[], Desk]

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True
    )

pytestmark = pytest.mark.browser

AXE = Axe()
REFERENCE = Path(__file__).resolve().parents[2] / "src/amtsflow/processes/library/reference.bpmn"


@pytest.fixture
def built() -> None:
    if not (bundle_installed("modeler") and bundle_installed("viewer")):
        pytest.skip("the bpmn-js bundle is not built (scripts/build-frontend.sh)")


def _actor(tenant: Tenant, username: str) -> Actor:
    user = User.objects.get(username=username)
    return Actor.for_membership(tenant_selectors.get_membership(tenant=tenant, user=user))


@pytest.fixture
def musterstadt(demo_data: object) -> Tenant:
    return Tenant.objects.get(slug="musterstadt")


@pytest.fixture
def reference(musterstadt: Tenant, built: None) -> ProcessModel:
    """The reference process, deployed, with its plan entry so instances can file their case."""
    with tenant_scope(musterstadt):
        registrar = _actor(musterstadt, "registratur")
        for number, title, accepts in (
            ("0", "Allgemeines", False),
            ("0.10", "Test", False),
            ("0.10.01", "Referenz", True),
        ):
            files_services.create_plan_entry(actor=registrar, number=number, title=title, accepts_files=accepts)
        owner = _actor(musterstadt, "prozesse")
        model = services.import_model(actor=owner, bpmn=REFERENCE.read_bytes())
        services.deploy(actor=owner, model=model)
        return model


def log_in(desk: Desk, username: str) -> Page:
    page = desk.page
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("domcontentloaded")
    return page


def check_page(desk: Desk, name: str) -> None:
    """Screenshot, then: no CSP violation, no console error, no missing asset, no axe-core violation."""
    page = desk.page
    page.wait_for_load_state("networkidle")
    page.screenshot(path=screenshot_path(name), full_page=True)
    assert not desk.log.csp_violations, f"{name}: CSP violations:\n" + "\n".join(desk.log.csp_violations)
    errors = [line for line in desk.log.console if line.startswith("error")]
    assert not errors, f"{name}: console errors:\n" + "\n".join(errors)
    assert not desk.log.failed_assets, f"{name}: assets that did not load:\n" + "\n".join(desk.log.failed_assets)
    results = AXE.run(page)
    assert results.violations_count == 0, f"{name} ({page.url}):\n{results.generate_report()}"
    desk.log.clear()


def draft_of(tenant: Tenant, model: ProcessModel) -> str:
    with tenant_scope(tenant):
        return ProcessModel.objects.get(pk=model.pk).draft_bpmn


def shape_bounds(xml: str, element_id: str) -> str:
    match = re.search(rf'<bpmndi:BPMNShape id="[^"]*" bpmnElement="{element_id}"[^>]*>\s*<dc:Bounds ([^/]*)/>', xml)
    assert match, f"no shape of {element_id}"
    return match.group(1)


def test_process_owner_edits_and_saves_the_draft(
    new_desk: NewDesk, musterstadt: Tenant, reference: ProcessModel
) -> None:
    desk = new_desk()
    page = log_in(desk, "prozesse")
    origin = urlsplit(page.url)._replace(path="", query="", fragment="").geturl()
    # The page must work offline: everything it loads comes from the application itself.
    foreign: list[str] = []

    def note_foreign(request: Request) -> None:
        if not request.url.startswith((origin + "/", "data:")):
            foreign.append(request.url)

    page.on("request", note_foreign)
    before = draft_of(musterstadt, reference)

    page.goto(f"/t/musterstadt/prozesse/{reference.public_id}/")
    diagram = page.locator("[data-bpmn-viewer]")
    expect(diagram.locator(".djs-shape[data-element-id='Pruefen']")).to_be_visible()
    check_page(desk, "process-model-detail")

    page.get_by_role("link", name="Edit in the modeller").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modeller")
    expect(page.locator("[data-status]")).to_have_text("Diagram loaded.")
    task = page.locator(".djs-shape[data-element-id='Pruefen']")
    expect(task).to_be_visible()
    save = page.get_by_role("button", name="Save draft")
    expect(save).to_be_enabled()
    check_page(desk, "modeller-loaded")

    # Move a task 60 px down with the mouse, rename another one in place, save.
    box = task.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 30, steps=5)
    page.mouse.move(x, y + 60, steps=5)
    page.mouse.up()
    expect(page.locator("[data-status]")).to_have_text("Unsaved changes.")
    # Rename a task in place (direct editing).
    page.locator(".djs-shape[data-element-id='Status_setzen']").dblclick()
    editor = page.locator(".djs-direct-editing-content")
    expect(editor).to_be_visible()
    page.keyboard.press("Control+A")
    page.keyboard.type("Status setzen (geprüft)")
    page.locator("[data-canvas]").click(position={"x": 600, "y": 60})
    expect(editor).to_be_hidden()
    save.click()
    expect(page.locator("[data-status]")).to_contain_text("Draft saved at")
    expect(page.locator("[data-errors]")).to_be_hidden()
    moved = draft_of(musterstadt, reference)
    assert shape_bounds(moved, "Pruefen") != shape_bounds(before, "Pruefen")
    assert 'camunda:candidateGroups="clerk"' in moved  # the Camunda extension survives the round trip
    assert 'name="Status setzen (geprüft)"' in moved

    # Add a second start event from the palette: the server refuses the draft and the page says why.
    shapes = page.locator("[data-canvas] .djs-shape")
    count = shapes.count()
    page.locator(".djs-palette .entry.bpmn-icon-start-event-none").click()
    canvas_box = page.locator("[data-canvas]").bounding_box()
    assert canvas_box is not None
    target = (canvas_box["x"] + canvas_box["width"] - 120, canvas_box["y"] + canvas_box["height"] - 80)
    page.mouse.move(*target, steps=10)  # the new element follows the pointer until the click places it
    page.mouse.click(*target)
    expect(shapes).to_have_count(count + 1)
    save.click()
    errors = page.get_by_role("alert")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("start event")
    expect(page.locator("[data-status]")).to_have_text("Not saved.")
    assert draft_of(musterstadt, reference) == moved
    page.screenshot(path=screenshot_path("modeller-refused"), full_page=True)
    desk.log.forget("400 (Bad Request)")  # the refused save itself, answered as designed

    # Undo and save with the keyboard in the drawing, then reach Save with Tab and press it.
    page.get_by_label("BPMN drawing area").focus()
    page.keyboard.press("Control+Z")
    expect(shapes).to_have_count(count)
    with page.expect_response(lambda response: response.request.method == "POST") as shortcut:
        page.keyboard.press("Control+S")
    assert shortcut.value.status == 200
    expect(page.locator("[data-status]")).to_contain_text("Draft saved at")
    page.locator(".breadcrumbs a").last.focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if save.evaluate("button => button === document.activeElement"):
            break
    expect(save).to_be_focused()
    outline = save.evaluate("button => getComputedStyle(button).outlineStyle")
    assert outline != "none", "the focused Save button shows no focus ring"
    page.screenshot(path=screenshot_path("modeller-save-focused"))
    with page.expect_response(lambda response: response.request.method == "POST") as pressed:
        page.keyboard.press("Enter")
    assert pressed.value.status == 200
    expect(page.locator("[data-status]")).to_contain_text("Draft saved at")
    expect(errors).to_be_hidden()
    check_page(desk, "modeller-saved")

    # The align popup shows SVG icons that bpmn-js writes with style attributes; the build turns those into
    # presentation attributes, or the CSP would refuse them.
    page.get_by_label("BPMN drawing area").focus()
    page.keyboard.press("Control+A")
    page.locator(".djs-context-pad .entry[data-action='align-elements']").click()
    expect(page.locator(".djs-popup .djs-popup-entry-icon").first).to_be_visible()
    page.screenshot(path=screenshot_path("modeller-align-popup"))
    page.keyboard.press("Escape")
    assert not desk.log.csp_violations, "\n".join(desk.log.csp_violations)
    assert foreign == []
    saved = draft_of(musterstadt, reference)
    assert saved.count("<bpmn:startEvent") == 1
    assert shape_bounds(saved, "Pruefen") == shape_bounds(moved, "Pruefen")


def test_instance_pages_mark_open_and_completed_tasks(
    new_desk: NewDesk, musterstadt: Tenant, reference: ProcessModel
) -> None:
    with tenant_scope(musterstadt):
        clerk = _actor(musterstadt, "sachbearbeitung")
        waiting = services.start_instance(actor=clerk, model=reference, subject="Wartet")
        finished = services.start_instance(actor=clerk, model=reference, subject="Erledigt")
        task = selectors.list_tasks(actor=clerk).get(instance=finished, state=TaskState.OPEN)
        services.complete_task(actor=clerk, task=task, data={"betrag": 100})
        assert ProcessInstance.objects.get(pk=finished.pk).tasks.filter(state=TaskState.COMPLETED).exists()

    desk = new_desk()
    page = log_in(desk, "prozesse")
    for instance, marker, name in (
        (waiting, "af-active", "instance-open-task"),
        (finished, "af-done", "instance-done-task"),
    ):
        page.goto(f"/t/musterstadt/prozesse/instanzen/{instance.public_id}/")
        shape = page.locator("[data-bpmn-viewer] .djs-shape[data-element-id='Pruefen']")
        expect(shape).to_have_class(re.compile(rf"\b{marker}\b"))
        # The marker is drawn by the static stylesheet (no inline style from the page).
        stroke = shape.locator(".djs-visual > :first-child").evaluate("node => getComputedStyle(node).stroke")
        assert stroke in {"rgb(11, 79, 138)", "rgb(30, 107, 52)"}, stroke
        check_page(desk, name)
