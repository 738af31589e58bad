"""Test data maintained outside the repository (official test suites, reference models).

It sits beside the checkout in ``../shared`` unless ``AMTSFLOW_SHARED_DATA`` names another place. Tests that need
it skip with a clear reason on a developer machine without it, but fail in CI, where a skip would hide a gap.
"""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[4]


def shared_data_dir() -> Path:
    return Path(os.environ.get("AMTSFLOW_SHARED_DATA", REPO_ROOT.parent / "shared"))


def require_shared(*parts: str) -> Path:
    """Path below the shared test data; skips (locally) or fails (CI) when it is missing."""
    path = shared_data_dir().joinpath(*parts)
    if not path.exists():
        message = f"shared test data missing: {path}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
