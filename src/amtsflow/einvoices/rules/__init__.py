"""XRechnung rule releases: which are known, installing them, reading their scenarios, choosing one per document."""

from amtsflow.einvoices.rules.install import (
    InstalledRelease,
    InstallError,
    NotAValidatorConfiguration,
    UnknownRelease,
    UnsafeArchive,
    install_release,
    installed_releases,
    rules_dir,
)
from amtsflow.einvoices.rules.known import KNOWN_ARTEFACTS, ArtefactKind, KnownArtefact
from amtsflow.einvoices.rules.releases import (
    NO_RULES_MESSAGE,
    RuleRelease,
    RulesUnavailable,
    available_releases,
    load_release,
)
from amtsflow.einvoices.rules.scenarios import Resource, Scenario, ScenarioConfig, parse_scenarios
from amtsflow.einvoices.rules.selection import Selection, select_scenario

__all__ = [
    "KNOWN_ARTEFACTS",
    "NO_RULES_MESSAGE",
    "ArtefactKind",
    "InstallError",
    "InstalledRelease",
    "KnownArtefact",
    "NotAValidatorConfiguration",
    "Resource",
    "RuleRelease",
    "RulesUnavailable",
    "Scenario",
    "ScenarioConfig",
    "Selection",
    "UnknownRelease",
    "UnsafeArchive",
    "available_releases",
    "install_release",
    "installed_releases",
    "load_release",
    "parse_scenarios",
    "rules_dir",
    "select_scenario",
]
