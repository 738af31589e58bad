"""Template helpers of the BPMN modeller and the diagram viewer."""

from collections.abc import Iterable

from django import template
from django.contrib.staticfiles import finders

register = template.Library()

BUNDLES = {"modeler": "processes/build/modeler.js", "viewer": "processes/build/viewer.js"}


def bundle_installed(name: str) -> bool:
    """Whether the bpmn-js bundle was built (scripts/build-frontend.sh); without Node.js it is not."""
    return bool(finders.find(BUNDLES[name]))


@register.simple_tag
def diagram_bundle_installed(name: str) -> bool:
    return bundle_installed(name)


@register.filter
def element_ids(tasks: Iterable[object], state: str) -> list[str]:
    """The BPMN element IDs of the tasks in `state` (for the `active` and `done` lists of the diagram)."""
    ids = {getattr(task, "element_id", "") for task in tasks if getattr(task, "state", None) == state}
    return sorted(i for i in ids if i)
