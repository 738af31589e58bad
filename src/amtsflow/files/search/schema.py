"""Database objects of the search index that Django's schema editor cannot express.

PostgreSQL: a trigger fills `search_vector` with the German configuration (A: keywords = reference, title
and names; B: body), a GIN index on it, a trigram index on `keywords` (substring and fuzzy matches), and
btrees for the orders "newest first" and "as filed" and for reference number prefixes.
`pg_trgm` is a trusted extension since PostgreSQL 13, so the database owner may create it; on older
servers or restricted roles an administrator has to run `CREATE EXTENSION pg_trgm` before migrating.

SQLite: an FTS5 table with external content (the rows of `files_searchentry`, by rowid), kept in sync by
triggers. FTS5 has no German stemmer: "Rechnungen" does not find "Rechnung" there (prefix search helps).

Every statement is idempotent, so `install()` also repairs a database whose triggers went missing.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "files_searchentry"
FTS_TABLE = "files_searchentry_fts"

# name -> statement; built by install(), dropped by drop_indexes() for bulk loads.
POSTGRES_INDEXES = {
    f"{TABLE}_vector_gin": f"CREATE INDEX IF NOT EXISTS {TABLE}_vector_gin ON {TABLE} USING gin (search_vector)",
    f"{TABLE}_keywords_trgm": (
        f"CREATE INDEX IF NOT EXISTS {TABLE}_keywords_trgm ON {TABLE} USING gin (keywords gin_trgm_ops)"
    ),
    # The order of results without a query (newest first): a scan in this order stops after the page
    # instead of sorting every entry.
    f"{TABLE}_newest": (
        f"CREATE INDEX IF NOT EXISTS {TABLE}_newest ON {TABLE} (tenant_id, date DESC NULLS LAST, id DESC)"
    ),
    # A tenant's entries in the order they were filed: the scan for the most recent matches of a search.
    f"{TABLE}_filed": f"CREATE INDEX IF NOT EXISTS {TABLE}_filed ON {TABLE} (tenant_id, id)",
    # Reference numbers by prefix (`0.10.02/2026` finds the file and its cases); trigrams of digits are too
    # common ("202", "026") for the trigram index to narrow them down.
    f"{TABLE}_reference": (
        f"CREATE INDEX IF NOT EXISTS {TABLE}_reference ON {TABLE} (tenant_id, reference varchar_pattern_ops)"
    ),
}

POSTGRES_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      BEGIN
        NEW.search_vector := setweight(to_tsvector('german', coalesce(NEW.keywords, '')), 'A')
                          || setweight(to_tsvector('german', coalesce(NEW.body, '')), 'B');
      EXCEPTION WHEN program_limit_exceeded THEN
        -- A tsvector holds at most 1 MB; of a very long text only the beginning becomes searchable.
        NEW.search_vector := setweight(to_tsvector('german', coalesce(NEW.keywords, '')), 'A')
                          || setweight(to_tsvector('german', left(coalesce(NEW.body, ''), 200000)), 'B');
      END;
      RETURN NEW;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {TABLE}_vector_trigger ON {TABLE}",
    f"""
    CREATE TRIGGER {TABLE}_vector_trigger BEFORE INSERT OR UPDATE OF keywords, body ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_vector()
    """,
    *POSTGRES_INDEXES.values(),
    # Rows written before the trigger existed (e.g. a repair) get their vector now.
    f"UPDATE {TABLE} SET keywords = keywords WHERE search_vector IS NULL",
]

POSTGRES_UNINSTALL = [
    *(f"DROP INDEX IF EXISTS {name}" for name in reversed(POSTGRES_INDEXES)),
    f"DROP TRIGGER IF EXISTS {TABLE}_vector_trigger ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_vector()",
]

SQLITE_INSTALL = [
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        keywords, body, content='{TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    # External content: FTS5 must be told the old values to delete them, hence triggers with old.*.
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_insert AFTER INSERT ON {TABLE} BEGIN
      INSERT INTO {FTS_TABLE}(rowid, keywords, body) VALUES (new.id, new.keywords, new.body);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_delete AFTER DELETE ON {TABLE} BEGIN
      INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, keywords, body) VALUES ('delete', old.id, old.keywords, old.body);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_update AFTER UPDATE OF keywords, body ON {TABLE} BEGIN
      INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, keywords, body) VALUES ('delete', old.id, old.keywords, old.body);
      INSERT INTO {FTS_TABLE}(rowid, keywords, body) VALUES (new.id, new.keywords, new.body);
    END
    """,
]

SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        _run(connection, POSTGRES_INSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_INSTALL)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        _run(connection, POSTGRES_UNINSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_UNINSTALL)


def optimize(connection: BaseDatabaseWrapper) -> None:
    """After bulk changes: on PostgreSQL, GIN indexes are costed from statistics that only VACUUM refreshes;
    stale ones (e.g. an index built on an empty table) make the planner scan every row. Needs autocommit."""
    if connection.vendor == "postgresql":
        _run(connection, [f"VACUUM (ANALYZE) {TABLE}"])
    elif connection.vendor == "sqlite":
        _run(connection, [f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"])


def drop_index(connection: BaseDatabaseWrapper, name: str) -> None:
    if connection.vendor == "postgresql":
        _run(connection, [f"DROP INDEX IF EXISTS {name}"])


def drop_indexes(connection: BaseDatabaseWrapper) -> list[str]:
    """PostgreSQL, before loading many rows at once: drop the search indexes, which are far cheaper to build
    once than to grow row by row; `install()` builds them again. Returns the names dropped."""
    if connection.vendor != "postgresql":
        return []
    _run(connection, [f"DROP INDEX IF EXISTS {name}" for name in POSTGRES_INDEXES])
    return list(POSTGRES_INDEXES)


def repair(connection: BaseDatabaseWrapper) -> None:
    """Re-create missing objects; on SQLite also re-read every row into the FTS table."""
    install(connection)
    if connection.vendor == "sqlite":
        _run(connection, [SQLITE_REBUILD])
