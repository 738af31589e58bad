"""No capability reads another capability's tables: it calls that app's services and selectors. Only the
foundation (core, tenants) is shared by all, and model classes may be named for type hints alone."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
FOUNDATION = {"core", "tenants"}


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _foreign_model_imports(path: Path, app: str) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    hints_only = _type_checking_lines(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.lineno not in hints_only:
            parts = node.module.split(".")
            if len(parts) >= 3 and parts[0] == "amtsflow" and parts[2] == "models":
                other = parts[1]
                if other not in (app, *FOUNDATION):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports {node.module}")
    return found


def test_apps_do_not_read_other_apps_tables() -> None:
    offending = []
    for app_dir in sorted(p for p in PACKAGE.iterdir() if (p / "apps.py").exists()):
        for path in app_dir.rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(app_dir).parts):
                continue
            offending += _foreign_model_imports(path, app_dir.name)
    assert offending == []
