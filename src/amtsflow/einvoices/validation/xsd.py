"""XML Schema check with lxml, against the schema files of an installed release only.

The schema documents are parsed with a resolver that serves files from inside the release directory and
nothing else (no network, no other local file). Compiled schemas are cached per file; an lxml XMLSchema keeps
its error log on the object, so each is used by one thread at a time.
"""

import re
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from lxml import etree


class SchemaLoadError(Exception):
    pass


@dataclass(frozen=True)
class XmlIssue:
    """A parser or schema message in the shape of KoSIT's createReportInput xmlSyntaxError."""

    message: str
    severity: str  # SEVERITY_WARNING | SEVERITY_ERROR | SEVERITY_FATAL_ERROR
    line: int = 0
    column: int = 0


class _ReleaseResolver(etree.Resolver):
    def __init__(self, base: Path) -> None:
        super().__init__()
        self.base = base

    def resolve(self, url: str, pubid: str, context: object) -> object:  # noqa: ARG002 - lxml's signature
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("", "file"):
            raise SchemaLoadError(f"refused to load {url}: schemas may only include files of their release")
        path = Path(urllib.parse.unquote(parsed.path)).resolve()
        if not path.is_relative_to(self.base) or not path.is_file():
            raise SchemaLoadError(f"refused to load {url}: not a file of the rule release")
        return self.resolve_filename(str(path), context)


_cache_lock = threading.Lock()
_schemas: dict[tuple[str, int], tuple[etree.XMLSchema, threading.Lock]] = {}


def load_schema(path: Path, release_dir: Path) -> tuple[etree.XMLSchema, threading.Lock]:
    key = (str(path), path.stat().st_mtime_ns)
    with _cache_lock:
        cached = _schemas.get(key)
        if cached is None:
            # The UBL xmldsig schema declares internal entities; only those are expanded, nothing is loaded.
            parser = etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False)
            parser.resolvers.add(_ReleaseResolver(release_dir.resolve()))
            try:
                schema = etree.XMLSchema(etree.parse(str(path), parser))
            except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
                raise SchemaLoadError(f"cannot load XML Schema {path.name}: {exc}") from exc
            cached = (schema, threading.Lock())
            _schemas[key] = cached
        return cached


def clear_schema_cache() -> None:
    with _cache_lock:
        _schemas.clear()


def schema_issues(root: etree._Element, path: Path, release_dir: Path, source: bytes = b"") -> list[XmlIssue]:
    """Schema messages for the document (empty: valid); `source` (the document's bytes) adds column numbers."""
    schema, lock = load_schema(path, release_dir)
    with lock:
        schema.validate(root)
        log = list(schema.error_log)
    lines = source.split(b"\n") if source and log else []  # only needed to place messages
    return [
        XmlIssue(
            message=entry.message,
            severity="SEVERITY_WARNING" if entry.level == etree.ErrorLevels.WARNING else "SEVERITY_ERROR",
            line=entry.line,
            column=entry.column or _column(lines, entry.line, entry.message),
        )
        for entry in log
    ]


_ELEMENT = re.compile(r"^Element '(?:\{[^}]*\})?([^']+)'")


def _column(lines: list[bytes], line: int, message: str) -> int:
    """libxml2 gives no column for schema errors: point, as Xerces does, just past the element's start tag."""
    name = _ELEMENT.match(message)
    if not name or not 0 < line <= len(lines):
        return 0
    tag = re.search(rb"<(?:[\w.-]+:)?" + re.escape(name.group(1).encode()) + rb"(?=[\s/>])[^>]*>", lines[line - 1])
    return len(lines[line - 1][: tag.end()].decode("utf-8", "replace")) + 1 if tag else 0
