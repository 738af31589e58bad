"""Chooses the release and scenario for a document, as the KoSIT validator chooses the scenario.

Within one release exactly one scenario's `match` XPath must be true; none or several means "no scenario"
(KoSIT then uses the fallback report and rejects). Releases are tried newest first (publisher's release date):
releases for different XRechnung versions do not overlap (their scenarios match different CustomizationIDs),
and of two releases for the same version the newer one, with the later fixes, wins. A match expression that
fails to evaluate counts as false, as in KoSIT.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import saxonche

from amtsflow.einvoices import saxon
from amtsflow.einvoices.rules.releases import RuleRelease
from amtsflow.einvoices.rules.scenarios import Scenario

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Selection:
    release: RuleRelease  # with no scenario: the release whose fallback report is used
    scenario: Scenario | None
    note: str = ""  # why no scenario was chosen


def _matching(scenarios: Sequence[Scenario], node: saxonche.PyXdmNode) -> list[Scenario]:
    # All of a release's match expressions in one Saxon call (each call has a fixed cost of its own).
    answers = saxon.are_true(node, [(scenario.match, scenario.namespaces) for scenario in scenarios])
    matching = []
    for scenario, answer in zip(scenarios, answers, strict=True):
        if isinstance(answer, saxon.SaxonError):
            logger.warning("match expression of scenario %r failed to evaluate", scenario.name, exc_info=answer)
        elif answer:
            matching.append(scenario)
    return matching


def select_scenario(releases: Sequence[RuleRelease], node: saxonche.PyXdmNode) -> Selection:
    notes = []
    for release in releases:
        matching = _matching(release.scenarios, node)
        if len(matching) == 1:
            return Selection(release=release, scenario=matching[0])
        if matching:
            notes.append(f"{release.id}: several scenarios match ({', '.join(s.name for s in matching)})")
    names = ", ".join(r.id for r in releases)
    note = "; ".join(notes) or f"no scenario of the installed rules ({names}) matches this document"
    return Selection(release=releases[0], scenario=None, note=note)
