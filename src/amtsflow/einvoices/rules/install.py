"""Installs KoSIT validator-configuration zips side by side into the rules directory, after checking their hash.

Layout: `<rules dir>/<release id>/release.json` (what was installed, with the SHA-256 of every file) and
`<release id>/config/` (the unpacked zip). A release is swapped in by renaming a fully unpacked and checked
directory, so validation never sees half a release; installing the same zip again changes nothing.
"""

import fcntl
import hashlib
import json
import logging
import re
import shutil
import stat
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from amtsflow.einvoices.rules.known import ArtefactKind, KnownArtefact, known_by_sha256
from amtsflow.einvoices.rules.scenarios import ScenarioConfigError, parse_scenarios

logger = logging.getLogger(__name__)

MANIFEST = "release.json"
CONFIG_DIR = "config"
# Release zips are well below a megabyte unpacked per file; these bounds only stop hostile archives.
MAX_ZIP_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 5_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


class InstallError(Exception):
    """The zip was not installed; the message says why in words an operator can act on."""


class UnknownRelease(InstallError):
    pass


class NotAValidatorConfiguration(InstallError):
    """A known, genuine artefact that is not installed: its compiled rules come with the validator configuration."""

    def __init__(self, artefact: KnownArtefact) -> None:
        self.artefact = artefact
        super().__init__(
            f"{artefact.filename} is the {artefact.kind.value} release ({artefact.publisher}), not a validator "
            "configuration: validation runs the compiled rules that the KoSIT validator configuration already "
            "contains, so there is nothing to install from it."
        )


class UnsafeArchive(InstallError):
    pass


@dataclass(frozen=True)
class InstalledRelease:
    id: str
    path: Path  # the unpacked configuration (contains scenarios.xml)
    filename: str
    sha256: str
    kind: str
    verified: bool  # False: installed with --allow-unknown, its hash is in no known list
    xrechnung_version: str
    release_date: str
    name: str  # from scenarios.xml
    scenarios_date: str
    installed_at: str
    files: dict[str, str]  # relative path -> SHA-256, to detect later changes
    newly_installed: bool = False  # set by install_release only: False when the same zip was already there

    def manifest(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("path")
        data.pop("newly_installed")
        return data


def rules_dir() -> Path:
    return Path(settings.AMTSFLOW_XRECHNUNG_RULES_DIR)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(release_dir: Path) -> InstalledRelease | None:
    try:
        data = json.loads((release_dir / MANIFEST).read_text(encoding="utf-8"))
        return InstalledRelease(path=release_dir / CONFIG_DIR, **data)
    except (OSError, ValueError, TypeError):
        return None


def installed_releases(directory: Path | None = None) -> list[InstalledRelease]:
    """Installed releases, newest first (by the publisher's release date, then id)."""
    base = directory or rules_dir()
    if not base.is_dir():
        return []
    releases = [r for d in base.iterdir() if d.is_dir() and not d.name.startswith(".") and (r := _read_manifest(d))]
    return sorted(releases, key=lambda r: (r.release_date, r.id), reverse=True)


def modified_files(release: InstalledRelease) -> list[str]:
    """Files that differ from what was installed (changed, missing or added): a non-empty list means tampering."""
    actual = {p.relative_to(release.path).as_posix(): sha256_file(p) for p in release.path.rglob("*") if p.is_file()}
    return sorted(name for name in actual.keys() | release.files.keys() if actual.get(name) != release.files.get(name))


def _member_path(info: zipfile.ZipInfo, target: Path) -> Path:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeArchive(f"refused: the archive contains a symbolic link ({name})")
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or ":" in parts[0] or ".." in parts or "\x00" in name:
        raise UnsafeArchive(f"refused: unsafe path in the archive ({name!r})")
    path = (target / name).resolve()
    if not path.is_relative_to(target):
        raise UnsafeArchive(f"refused: path outside the target directory ({name!r})")
    return path


def _extract(zip_path: Path, target: Path) -> None:
    """Unpacks with path, type, count and size checks; sizes are counted while writing, not taken from headers."""
    target = target.resolve()
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as exc:
        raise InstallError(f"{zip_path.name} is not a readable zip archive: {exc}") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnsafeArchive(f"refused: {len(members)} entries in the archive (at most {MAX_MEMBERS})")
        if len({m.filename for m in members}) != len(members):
            raise UnsafeArchive("refused: the archive contains the same path twice")
        total = 0
        for info in members:
            path = _member_path(info, target)
            if info.is_dir():
                path.mkdir(parents=True, exist_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(info) as source, path.open("wb") as sink:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    total += len(chunk)
                    if written > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                        raise UnsafeArchive(f"refused: the archive unpacks to more than allowed ({info.filename})")
                    sink.write(chunk)


@contextmanager
def _install_lock(base: Path) -> Iterator[None]:
    base.mkdir(parents=True, exist_ok=True)
    with (base / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _identify(zip_path: Path, sha256: str, *, allow_unknown: bool) -> KnownArtefact:
    known = known_by_sha256(sha256)
    if known is None:
        if not allow_unknown:
            raise UnknownRelease(
                f"refused: {zip_path.name} (SHA-256 {sha256}) is not a known XRechnung rule release. Check that the "
                "file is the official download and undamaged (compare the SHA-256 the publisher states). A new "
                "official release belongs in amtsflow/einvoices/rules/known.py; until then an operator who has "
                "checked the hash can install it with --allow-unknown."
            )
        logger.warning("Installing UNVERIFIED XRechnung rules %s (SHA-256 %s)", zip_path.name, sha256)
        stem = "".join(c if c.isalnum() or c in "._-" else "-" for c in zip_path.stem)[:80]
        return KnownArtefact(
            filename=f"{stem}-unverified-{sha256[:12]}.zip",
            sha256=sha256,
            kind=ArtefactKind.VALIDATOR_CONFIGURATION,
            publisher="unknown (installed with --allow-unknown)",
        )
    if known.kind != ArtefactKind.VALIDATOR_CONFIGURATION:
        raise NotAValidatorConfiguration(known)
    return known


def install_release(zip_path: Path, *, directory: Path | None = None, allow_unknown: bool = False) -> InstalledRelease:
    """Installs a validator-configuration zip (idempotent: `newly_installed` tells whether anything changed).

    Raises UnknownRelease (hash not known), NotAValidatorConfiguration (a known Schematron source zip),
    UnsafeArchive or InstallError (unreadable or incomplete configuration).
    """
    zip_path = Path(zip_path)
    if not zip_path.is_file():
        raise InstallError(f"{zip_path} does not exist or is not a file")
    if zip_path.stat().st_size > MAX_ZIP_BYTES:
        raise UnsafeArchive(f"refused: {zip_path.name} is larger than {MAX_ZIP_BYTES // (1024 * 1024)} MB")
    sha256 = sha256_file(zip_path)
    artefact = _identify(zip_path, sha256, allow_unknown=allow_unknown)
    base = (directory or rules_dir()).resolve()
    with _install_lock(base):
        final = base / artefact.release_id
        existing = _read_manifest(final)
        if existing and existing.sha256 == sha256 and not modified_files(existing):
            return existing
        staging = base / f".incoming-{uuid.uuid4().hex}"
        try:
            config = staging / CONFIG_DIR
            config.mkdir(parents=True)
            _extract(zip_path, config)
            release = _check_and_describe(config, artefact, verified=known_by_sha256(sha256) is not None)
            (staging / MANIFEST).write_text(json.dumps(release.manifest(), indent=2), encoding="utf-8")
            retired = base / f".retired-{uuid.uuid4().hex}"
            if final.exists():
                final.rename(retired)
            staging.rename(final)
            shutil.rmtree(retired, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    logger.info("Installed XRechnung rules %s into %s", release.id, final)
    return replace(_read_manifest(final) or release, newly_installed=True)


def _version_in(name: str) -> str:
    match = re.search(r"XRechnung\s+(\d+\.\d+(?:\.\d+)?)", name)
    return match.group(1) if match else ""


def _check_and_describe(config: Path, artefact: KnownArtefact, *, verified: bool) -> InstalledRelease:
    scenarios_file = config / "scenarios.xml"
    if not scenarios_file.is_file():
        raise InstallError(f"{artefact.filename} is not a KoSIT validator configuration: it has no scenarios.xml")
    try:
        parsed = parse_scenarios(scenarios_file.read_bytes(), config)
    except ScenarioConfigError as exc:
        raise InstallError(f"{artefact.filename}: {exc}") from exc
    resources = [parsed.fallback_report]
    for scenario in parsed.scenarios:
        resources += [r for r in (scenario.schema, scenario.report, *scenario.schematrons) if r is not None]
    missing = sorted({r.location for r in resources if not r.path.is_file()})
    if missing:
        raise InstallError(f"{artefact.filename}: scenarios.xml refers to missing files: {', '.join(missing)}")
    return InstalledRelease(
        id=artefact.release_id,
        path=config,
        filename=artefact.filename,
        sha256=artefact.sha256,
        kind=artefact.kind.value,
        verified=verified,
        xrechnung_version=artefact.xrechnung_version or _version_in(parsed.name),
        release_date=artefact.release_date or parsed.date,
        name=parsed.name,
        scenarios_date=parsed.date,
        installed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        files={p.relative_to(config).as_posix(): sha256_file(p) for p in sorted(config.rglob("*")) if p.is_file()},
    )
