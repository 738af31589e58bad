"""The embedded modeller (page and saving the draft as XML) and the BPMN of versions for the diagram viewer."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from amtsflow.processes import services
from amtsflow.processes.models import ProcessModel, ProcessVersion
from amtsflow.processes.services.definitions import MAX_MODEL_BYTES
from amtsflow.processes.templatetags.diagram import element_ids
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant

pytestmark = pytest.mark.django_db

LIBRARY = Path(__file__).resolve().parents[1] / "library"
XML = "application/xml"


def url(name: str, tenant: Tenant, **kwargs: object) -> str:
    return reverse(f"processes:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


@pytest.fixture
def model(tenant_a, owner) -> ProcessModel:  # noqa: ANN001
    with tenant_scope(tenant_a):
        return services.import_model(actor=owner, bpmn=(LIBRARY / "reference.bpmn").read_bytes(), plan_entry="6.60.01")


@pytest.fixture
def modeler_url(tenant_a, model) -> str:  # noqa: ANN001
    return url("model_modeler", tenant_a, model_id=model.public_id)


def draft(model: ProcessModel) -> str:
    return ProcessModel.objects.get(pk=model.pk).draft_bpmn


def reload(tenant: Tenant, model: ProcessModel) -> str:
    with tenant_scope(tenant):
        return draft(model)


@pytest.fixture
def installed(monkeypatch):  # noqa: ANN001, ANN201
    """Pretend the bpmn-js bundle is (or is not) built, whatever the checkout has."""

    def set_installed(value: bool) -> None:
        monkeypatch.setattr("amtsflow.processes.views.modeler.bundle_installed", lambda name: value)
        monkeypatch.setattr("amtsflow.processes.templatetags.diagram.bundle_installed", lambda name: value)

    return set_installed


# --- The page ---------------------------------------------------------------------------------------------
def test_owner_gets_the_modeller_with_urls_and_texts_in_data_attributes(
    tenant_a, owner_member, model, modeler_url, login, installed
) -> None:  # noqa: ANN001
    installed(True)
    response = login(owner_member).get(modeler_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-source-url="{url("model_bpmn", tenant_a, model_id=model.public_id)}"' in page
    assert f'data-save-url="{modeler_url}"' in page
    assert 'data-msg-saved="' in page and 'role="status"' in page and 'role="alert"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "/static/processes/build/modeler.js" in page and "/static/processes/build/bpmn.css" in page
    # The strict CSP: no inline script, no style attribute.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=" not in page
    assert "not installed" not in page


def test_without_the_bundle_the_page_says_so_and_offers_the_file_way(
    owner_member, modeler_url, login, installed
) -> None:  # noqa: ANN001
    installed(False)
    page = login(owner_member).get(modeler_url).content.decode()
    assert "The modeller is not installed" in page
    assert "data-bpmn-modeler" not in page and "build/modeler.js" not in page


def test_clerk_may_neither_open_nor_save(tenant_a, clerk_member, model, modeler_url, login) -> None:  # noqa: ANN001
    client = login(clerk_member)
    assert client.get(modeler_url).status_code == 403
    before = reload(tenant_a, model)
    assert client.post(modeler_url, data=before.replace("Prüfen", "Gehackt"), content_type=XML).status_code == 403
    assert reload(tenant_a, model) == before


def test_another_tenants_model_is_not_found(tenant_b, make_member, model, login) -> None:  # noqa: ANN001
    stranger = make_member(tenant_b, Role.PROCESS_OWNER)
    assert login(stranger).get(url("model_modeler", tenant_b, model_id=model.public_id)).status_code == 404


def test_model_detail_links_the_modeller_for_owners_only_and_shows_the_draft_diagram(
    tenant_a, owner_member, clerk_member, model, modeler_url, login, installed
) -> None:  # noqa: ANN001
    installed(True)
    detail = url("model_detail", tenant_a, model_id=model.public_id)
    owner_page = login(owner_member).get(detail).content.decode()
    assert f'href="{modeler_url}"' in owner_page
    assert f'data-bpmn-url="{url("model_bpmn", tenant_a, model_id=model.public_id)}"' in owner_page
    assert "/static/processes/build/viewer.js" in owner_page
    assert f'href="{modeler_url}"' not in login(clerk_member).get(detail).content.decode()


# --- Saving -----------------------------------------------------------------------------------------------
def test_post_of_valid_xml_saves_the_draft(tenant_a, owner_member, model, modeler_url, login) -> None:  # noqa: ANN001
    edited = reload(tenant_a, model).replace('name="Referenzprozess"', 'name="Referenzprozess (überarbeitet)"')
    response = login(owner_member).post(modeler_url, data=edited.encode(), content_type=XML)
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert reload(tenant_a, model) == edited
    with tenant_scope(tenant_a):
        assert ProcessModel.objects.get(pk=model.pk).name == "Referenzprozess (überarbeitet)"


def test_the_csrf_token_travels_in_the_header(tenant_a, owner_member, model, modeler_url) -> None:  # noqa: ANN001
    """What modeler.js does: the token from the page's hidden field as X-CSRFToken."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner_member.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(modeler_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = reload(tenant_a, model).encode()
    assert client.post(modeler_url, data=body, content_type=XML).status_code == 403
    assert client.post(modeler_url, data=body, content_type=XML, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_post_of_broken_xml_answers_400_with_the_reason(tenant_a, owner_member, model, modeler_url, login) -> None:  # noqa: ANN001
    before = reload(tenant_a, model)
    response = login(owner_member).post(modeler_url, data=before[: len(before) // 2], content_type=XML)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert isinstance(response.json()["errors"], list)
    assert reload(tenant_a, model) == before


def test_post_of_an_unexecutable_model_lists_the_problems(tenant_a, owner_member, model, modeler_url, login) -> None:  # noqa: ANN001
    before = reload(tenant_a, model)
    # A second start event, as a palette click easily adds: the engine would not know where to begin.
    broken = before.replace("<bpmn:endEvent ", '<bpmn:startEvent id="Start_Zwei" />\n    <bpmn:endEvent ', 1)
    assert broken != before
    response = login(owner_member).post(modeler_url, data=broken, content_type=XML)
    assert response.status_code == 400
    answer = response.json()
    assert "start event" in answer["detail"]
    assert any("start event" in error for error in answer["errors"])
    assert reload(tenant_a, model) == before


def test_post_with_a_changed_process_id_is_refused(tenant_a, owner_member, model, modeler_url, login) -> None:  # noqa: ANN001
    before = reload(tenant_a, model)
    renamed = before.replace('<bpmn:process id="reference"', '<bpmn:process id="reference_copy"')
    renamed = renamed.replace('bpmnElement="reference"', 'bpmnElement="reference_copy"')
    response = login(owner_member).post(modeler_url, data=renamed, content_type=XML)
    assert response.status_code == 400
    assert "reference" in response.json()["detail"]
    assert response.json()["errors"] == ["Process ID changed."]
    assert reload(tenant_a, model) == before


def test_oversized_body_answers_413(tenant_a, owner_member, model, modeler_url, login) -> None:  # noqa: ANN001
    before = reload(tenant_a, model)
    response = login(owner_member).post(modeler_url, data=b" " * (MAX_MODEL_BYTES + 1), content_type=XML)
    assert response.status_code == 413
    assert "5 MB" in response.json()["detail"]
    assert reload(tenant_a, model) == before


def test_empty_body_answers_400(owner_member, modeler_url, login) -> None:  # noqa: ANN001
    response = login(owner_member).post(modeler_url, data=b"", content_type=XML)
    assert response.status_code == 400
    assert response.json()["detail"]


# --- BPMN of versions and the instance diagram ------------------------------------------------------------
@pytest.fixture
def version(tenant_a, owner, model) -> ProcessVersion:  # noqa: ANN001
    with tenant_scope(tenant_a):
        return services.deploy(actor=owner, model=model)


def test_version_bpmn_answers_the_deployed_xml_to_every_member(tenant_a, clerk_member, version, login) -> None:  # noqa: ANN001
    response = login(clerk_member).get(url("version_bpmn", tenant_a, version_id=version.public_id))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response.content.decode() == version.bpmn
    assert 'filename="reference-v1.bpmn"' in response["Content-Disposition"]


def test_another_tenants_version_is_not_found(tenant_a, tenant_b, make_member, actor_for, version, login) -> None:  # noqa: ANN001
    owner_b = make_member(tenant_b, Role.PROCESS_OWNER)
    with tenant_scope(tenant_b):
        model_b = services.import_model(
            actor=actor_for(owner_b), bpmn=(LIBRARY / "reference.bpmn").read_bytes(), plan_entry="6.60.01"
        )
        version_b = services.deploy(actor=actor_for(owner_b), model=model_b)
    client = login(make_member(tenant_a, Role.PROCESS_OWNER))
    assert client.get(url("version_bpmn", tenant_a, version_id=version_b.public_id)).status_code == 404
    assert client.get(url("version_bpmn", tenant_a, version_id=version.public_id)).status_code == 200


def test_instance_page_draws_its_version_with_the_open_task_marked(
    tenant_a, clerk, clerk_member, reference_model, login, installed
) -> None:  # noqa: ANN001
    installed(True)
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model)
        version_url = url("version_bpmn", tenant_a, version_id=instance.version.public_id)
    page = login(clerk_member).get(url("instance_detail", tenant_a, instance_id=instance.public_id)).content.decode()
    assert f'data-bpmn-url="{version_url}"' in page
    assert 'data-active="Pruefen"' in page and 'data-done=""' in page


def test_element_ids_of_tasks_by_state() -> None:
    class FakeTask:
        def __init__(self, element_id: str, state: str) -> None:
            self.element_id, self.state = element_id, state

    tasks = [FakeTask("B", "open"), FakeTask("A", "open"), FakeTask("A", "completed"), FakeTask("C", "cancelled")]
    assert element_ids(tasks, "open") == ["A", "B"]
    assert element_ids(tasks, "completed") == ["A"]
    assert element_ids([], "open") == []
