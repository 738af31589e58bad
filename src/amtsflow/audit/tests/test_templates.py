import pytest
from django.template.loader import render_to_string
from django.utils import translation

from amtsflow.audit import services
from amtsflow.audit.constants import ACTION_LABELS, action_label

pytestmark = pytest.mark.django_db


def test_history_fragment_is_a_table_with_caption(actor_a) -> None:  # noqa: ANN001
    entries = [
        services.record(
            actor=actor_a, action="akte.created", object_type="files.akte", object_id="1", object_label="Akte <1>"
        ),
        services.record(actor=None, tenant=actor_a.tenant, action="akte.archived_somewhere"),
    ]

    with translation.override("en"):
        html = render_to_string("audit/partials/history.html", {"audit_entries": entries})

    assert "<caption>History</caption>" in html
    assert html.count('<th scope="col">') == 4
    assert "File created" in html
    assert "akte.archived_somewhere" in html  # no label: the action itself
    assert actor_a.user.username in html and "system" in html
    assert "Akte &lt;1&gt;" in html
    assert html.count("<time datetime=") == 2


def test_history_fragment_without_entries() -> None:
    with translation.override("en"):
        html = render_to_string("audit/partials/history.html", {"audit_entries": []})

    assert "<table" not in html
    assert "No history recorded yet." in html


def test_action_labels_cover_the_common_actions() -> None:
    for action in [
        "akte.created",
        "document.downloaded",
        "document.viewed_confidential",
        "akte.destroyed",
        "package.exported",
    ]:
        assert str(action_label(action)) == str(ACTION_LABELS[action])
    assert action_label("unknown.thing") == "unknown.thing"
