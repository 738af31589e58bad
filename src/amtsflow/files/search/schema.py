"""Database objects of the search index that Django's schema editor cannot express.

PostgreSQL: a trigger fills `search_vector` with the German configuration (A: keywords = reference, title
and names; B: body), a GIN index on it and a trigram index on `keywords` (substring and fuzzy matches).
`pg_trgm` is a trusted extension since PostgreSQL 13, so the database owner may create it; on older
servers or restricted roles an administrator has to run `CREATE EXTENSION pg_trgm` before migrating.

SQLite: an FTS5 table with external content (the rows of `files_searchentry`, by rowid), kept in sync by
triggers. FTS5 has no German stemmer: "Rechnungen" does not find "Rechnung" there (prefix search helps).

Every statement is idempotent, so `install()` also repairs a database whose triggers went missing.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "files_searchentry"
FTS_TABLE = "files_searchentry_fts"

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
    f"CREATE INDEX IF NOT EXISTS {TABLE}_vector_gin ON {TABLE} USING gin (search_vector)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_keywords_trgm ON {TABLE} USING gin (keywords gin_trgm_ops)",
    # Rows written before the trigger existed (e.g. a repair) get their vector now.
    f"UPDATE {TABLE} SET keywords = keywords WHERE search_vector IS NULL",
]

POSTGRES_UNINSTALL = [
    f"DROP INDEX IF EXISTS {TABLE}_keywords_trgm",
    f"DROP INDEX IF EXISTS {TABLE}_vector_gin",
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


def repair(connection: BaseDatabaseWrapper) -> None:
    """Re-create missing objects; on SQLite also re-read every row into the FTS table."""
    install(connection)
    if connection.vendor == "sqlite":
        _run(connection, [SQLITE_REBUILD])
