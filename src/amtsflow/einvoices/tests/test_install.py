"""Installing rule releases: hash check, safe unpacking, idempotence, side-by-side releases, the command."""

import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.rules import (
    InstallError,
    NotAValidatorConfiguration,
    RulesUnavailable,
    UnknownRelease,
    UnsafeArchive,
    available_releases,
    install_release,
    installed_releases,
)
from amtsflow.einvoices.rules import install as install_module
from amtsflow.einvoices.validation import validate_xml

CONFIG_ZIP = "xrechnung-3.0.2-validator-configuration-2026-01-31.zip"
RELEASE_ID = CONFIG_ZIP.removesuffix(".zip")


@pytest.fixture
def config_zip() -> Path:
    return require_shared("xrechnung", "rules", CONFIG_ZIP)


def rezip(
    source: Path, target: Path, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> Path:
    """A copy of the zip with members replaced or added (so its SHA-256 differs)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            copy.writestr(info, (replace or {}).get(info.filename, original.read(info)))
        for name, content in (add or {}).items():
            copy.writestr(name, content)
    return target


def test_installs_a_known_validator_configuration(config_zip: Path, tmp_path: Path) -> None:
    release = install_release(config_zip, directory=tmp_path)
    assert release.newly_installed
    assert release.id == RELEASE_ID
    assert release.verified
    assert release.kind == "validator-configuration"
    assert release.xrechnung_version == "3.0.2"
    assert release.release_date == "2026-01-31"
    assert release.name == "Validator Configuration XRechnung 3.0.2"
    assert (tmp_path / RELEASE_ID / "config" / "scenarios.xml").is_file()
    manifest = json.loads((tmp_path / RELEASE_ID / "release.json").read_text())
    assert manifest["sha256"] == "6a5a5911a421b25fbc423f62f93f894df7b236f5d73ca4f84bb222a945082704"
    assert "resources/ubl/2.1/xsl/EN16931-UBL-validation.xsl" in manifest["files"]
    assert [r.id for r in installed_releases(tmp_path)] == [RELEASE_ID]
    assert len(available_releases(tmp_path)[0].scenarios) == 11
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".incoming", ".retired"))]


def test_reinstalling_the_same_zip_changes_nothing(config_zip: Path, tmp_path: Path) -> None:
    first = install_release(config_zip, directory=tmp_path)
    manifest = tmp_path / RELEASE_ID / "release.json"
    before = manifest.stat().st_mtime_ns
    again = install_release(config_zip, directory=tmp_path)
    assert not again.newly_installed
    assert again.installed_at == first.installed_at
    assert manifest.stat().st_mtime_ns == before


def test_a_file_changed_after_installation_stops_validation_until_reinstalled(config_zip: Path, tmp_path: Path) -> None:
    install_release(config_zip, directory=tmp_path)
    xsl = (
        tmp_path / RELEASE_ID / "config" / "resources" / "xrechnung" / "3.0.2" / "xsl" / "XRechnung-UBL-validation.xsl"
    )
    xsl.write_text("<!-- emptied -->")
    with pytest.raises(RulesUnavailable, match="changed after installation"):
        available_releases(tmp_path)
    repaired = install_release(config_zip, directory=tmp_path)
    assert repaired.newly_installed
    assert available_releases(tmp_path)[0].id == RELEASE_ID


def test_unknown_hash_is_refused(config_zip: Path, tmp_path: Path) -> None:
    damaged = tmp_path / CONFIG_ZIP
    damaged.write_bytes(config_zip.read_bytes() + b"\0")
    with pytest.raises(UnknownRelease, match="not a known XRechnung rule release") as refused:
        install_release(damaged, directory=tmp_path / "rules")
    assert "SHA-256" in str(refused.value)
    assert installed_releases(tmp_path / "rules") == []


def test_tampered_zip_is_refused_before_unpacking(config_zip: Path, tmp_path: Path) -> None:
    scenarios = zipfile.ZipFile(config_zip).read("scenarios.xml").replace(b"BR-CL-23", b"BR-CO-10")
    tampered = rezip(config_zip, tmp_path / CONFIG_ZIP, replace={"scenarios.xml": scenarios})
    with pytest.raises(UnknownRelease):
        install_release(tampered, directory=tmp_path / "rules")
    assert not (tmp_path / "rules" / RELEASE_ID).exists()


def test_schematron_source_zips_are_recognised_but_not_installed(tmp_path: Path) -> None:
    for name in ("xrechnung-3.0.2-schematron-2.5.0.zip", "en16931-ubl-1.3.15.zip", "en16931-cii-1.3.15.zip"):
        with pytest.raises(NotAValidatorConfiguration, match="not a validator configuration"):
            install_release(require_shared("xrechnung", "rules", name), directory=tmp_path)
    assert installed_releases(tmp_path) == []


def evil_zip(path: Path, name: str, *, symlink: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("scenarios.xml", "<x/>")
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = (0o120777 << 16) | 0
        archive.writestr(info, "/etc/passwd" if symlink else "owned")
    return path


@pytest.mark.parametrize(
    ("member", "symlink"),
    [("../../escaped.txt", False), ("/tmp/absolute.txt", False), ("a/../../b.txt", False), ("link", True)],
)
def test_unsafe_archives_are_refused_even_when_unknown_zips_are_allowed(
    tmp_path: Path, member: str, *, symlink: bool
) -> None:
    archive = evil_zip(tmp_path / "evil.zip", member, symlink=symlink)
    rules = tmp_path / "deep" / "rules"
    with pytest.raises(UnknownRelease):
        install_release(archive, directory=rules)
    with pytest.raises(UnsafeArchive, match="refused"):
        install_release(archive, directory=rules, allow_unknown=True)
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "deep" / "escaped.txt").exists()
    assert not Path("/tmp/absolute.txt").exists()
    assert [p.name for p in rules.iterdir()] == [".install.lock"]


def test_archive_that_unpacks_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(install_module, "MAX_MEMBER_BYTES", 1000)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("scenarios.xml", b"<" + b" " * 5000 + b"/>")
    with pytest.raises(UnsafeArchive, match="more than allowed"):
        install_release(archive, directory=tmp_path / "rules", allow_unknown=True)


def test_unknown_zip_without_scenarios_is_not_a_configuration(tmp_path: Path) -> None:
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as other:
        other.writestr("readme.txt", "hello")
    with pytest.raises(InstallError, match="no scenarios.xml"):
        install_release(archive, directory=tmp_path / "rules", allow_unknown=True)
    assert installed_releases(tmp_path / "rules") == []


def test_unknown_release_installs_side_by_side_only_when_allowed(config_zip: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    install_release(config_zip, directory=rules)
    variant = rezip(config_zip, tmp_path / "xrechnung-next.zip", add={"NOTE.txt": b"local build"})
    unverified = install_release(variant, directory=rules, allow_unknown=True)
    assert not unverified.verified
    assert unverified.id.startswith("xrechnung-next-unverified-")
    assert unverified.xrechnung_version == "3.0.2"  # read from scenarios.xml when no known entry says it
    assert {r.id for r in installed_releases(rules)} == {RELEASE_ID, unverified.id}


def test_command_installs_lists_and_skips(config_zip: Path, tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.AMTSFLOW_XRECHNUNG_RULES_DIR = tmp_path
    out = StringIO()
    zips = sorted(config_zip.parent.glob("*.zip"))
    call_command("install_xrechnung_rules", *map(str, zips), "--list", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert f"Installed: {RELEASE_ID}" in text
    assert text.count("Skipped") == 3
    assert f"{RELEASE_ID}  XRechnung 3.0.2  released 2026-01-31" in text
    out = StringIO()
    call_command("install_xrechnung_rules", str(config_zip), stdout=out)
    assert f"Already installed: {RELEASE_ID}" in out.getvalue()


def test_command_refuses_unknown_zip_with_exit_code_1(tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.AMTSFLOW_XRECHNUNG_RULES_DIR = tmp_path / "rules"
    unknown = tmp_path / "unknown.zip"
    with zipfile.ZipFile(unknown, "w") as archive:
        archive.writestr("scenarios.xml", "<x/>")
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("install_xrechnung_rules", str(unknown), stdout=StringIO(), stderr=err)
    assert failed.value.returncode == 1
    assert "not a known XRechnung rule release" in err.getvalue()
    with pytest.raises(CommandError) as usage:
        call_command("install_xrechnung_rules")
    assert usage.value.returncode == 2


def test_validation_without_installed_rules_says_so(tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.AMTSFLOW_XRECHNUNG_RULES_DIR = tmp_path / "empty"
    report = validate_xml(b"<Invoice/>", filename="x.xml")
    assert report.recommendation == "not_validated"
    assert "No XRechnung rules are installed" in report.error
    out = StringIO()
    call_command("install_xrechnung_rules", "--list", stdout=out)
    assert "No XRechnung rules installed" in out.getvalue()
