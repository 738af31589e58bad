"""Everything the code loads at run time ships in the package: templates, static files, catalogues, the
process library. A file outside the package-data patterns would be missing from an installed wheel."""

import subprocess
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"


def test_every_non_python_file_is_package_data() -> None:
    patterns = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"]["amtsflow"]
    shipped = {path for pattern in patterns for path in PACKAGE.glob(pattern) if path.is_file()}
    files = {path for path in _tracked() if path.suffix != ".py"}
    assert sorted(str(path.relative_to(PACKAGE)) for path in files - shipped) == []
    assert any(path.suffix == ".bpmn" for path in shipped)


def _tracked() -> set[Path]:
    """The package's files under version control (built or local files such as a data directory do not count);
    without git, every file."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "."],
        cwd=PACKAGE,
        capture_output=True,
        check=False,  # noqa: S607
    )
    if listed.returncode != 0:
        return {path for path in PACKAGE.rglob("*") if path.is_file() and "__pycache__" not in path.parts}
    return {PACKAGE / name for name in listed.stdout.decode().split("\0") if name}
