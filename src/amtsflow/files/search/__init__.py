"""Full-text search over files (Akten), cases (Vorgänge) and documents.

Services keep the index current through `index_object` (same transaction as the change), text extraction
after each new version; `reindex_all` / `manage.py rebuild_search_index` rebuild it. PostgreSQL searches
with German stemming and trigram matching, SQLite with FTS5 (see `schema.py` for the differences).
"""

from amtsflow.files.search.indexing import index_object, reindex_all, remove_object
from amtsflow.files.search.query import SearchHit, SearchResults, search

__all__ = ["SearchHit", "SearchResults", "index_object", "reindex_all", "remove_object", "search"]
