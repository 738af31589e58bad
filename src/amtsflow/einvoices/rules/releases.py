"""The installed releases as validation uses them: checked against their manifest once per process, then cached."""

import threading
from dataclasses import dataclass
from pathlib import Path

from amtsflow.einvoices.rules.install import InstalledRelease, installed_releases, modified_files, rules_dir
from amtsflow.einvoices.rules.scenarios import Scenario, ScenarioConfig, ScenarioConfigError, parse_scenarios

NO_RULES_MESSAGE = (
    "No XRechnung rules are installed, so e-invoices cannot be validated. Install the official KoSIT validator "
    "configuration with `manage.py install_xrechnung_rules <zip>`."
)


class RulesUnavailable(Exception):
    """No usable rules: none installed, or an installed release was changed after installation."""


@dataclass(frozen=True)
class RuleRelease:
    installed: InstalledRelease
    config: ScenarioConfig

    @property
    def id(self) -> str:
        return self.installed.id

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        return self.config.scenarios

    def stylesheets(self) -> list[Path]:
        """Every XSLT the release may run (Schematron rules and report stylesheets)."""
        paths = [self.config.fallback_report.path]
        for scenario in self.scenarios:
            paths += [r.path for r in scenario.schematrons]
            paths += [scenario.report.path] if scenario.report else []
        return list(dict.fromkeys(paths))

    def schemas(self) -> list[Path]:
        return list(dict.fromkeys(s.schema.path for s in self.scenarios if s.schema))


def load_release(installed: InstalledRelease, *, scenarios_xml: bytes | None = None) -> RuleRelease:
    """Reads the release's scenarios; `scenarios_xml` replaces its scenarios.xml (KoSIT's tests use a variant)."""
    content = scenarios_xml if scenarios_xml is not None else (installed.path / "scenarios.xml").read_bytes()
    try:
        return RuleRelease(installed=installed, config=parse_scenarios(content, installed.path))
    except ScenarioConfigError as exc:
        raise RulesUnavailable(f"installed release {installed.id} is unusable: {exc}") from exc


_cache_lock = threading.Lock()
_cache: dict[tuple[Path, tuple[tuple[str, str, str], ...]], tuple[RuleRelease, ...]] = {}


def available_releases(directory: Path | None = None) -> tuple[RuleRelease, ...]:
    """Installed releases, newest first; raises RulesUnavailable when there is none or one was tampered with."""
    base = (directory or rules_dir()).resolve()
    installed = installed_releases(base)
    if not installed:
        raise RulesUnavailable(NO_RULES_MESSAGE)
    signature = tuple((r.id, r.sha256, r.installed_at) for r in installed)
    with _cache_lock:
        cached = _cache.get((base, signature))
        if cached is None:
            for release in installed:
                changed = modified_files(release)
                if changed:
                    raise RulesUnavailable(
                        f"installed release {release.id} was changed after installation ({', '.join(changed[:3])}); "
                        "install its zip again."
                    )
            cached = tuple(load_release(r) for r in installed)
            _cache[(base, signature)] = cached
        return cached


def clear_release_cache() -> None:
    with _cache_lock:
        _cache.clear()
