"""Small builders the section modules share."""

from typing import Any

from .structure import Row, term_name


class Rows:
    """Collects rows; records every term asked for, so a notice about an unfilled field still finds its section."""

    def __init__(self, covers: set[str]) -> None:
        self.rows: list[Row] = []
        self.covers = covers

    def add(self, term_id: str, value: str, **options: Any) -> Row | None:
        if not term_id:
            return None  # the field has no business term in this role
        self.covers.add(term_id)
        if not value:
            return None
        row = Row(term_name(term_id), value, **options)
        self.rows.append(row)
        return row


def detail(term_id: str, value: str, **options: Any) -> list[Row]:
    """A one-row list for a table cell's details, or nothing for an empty value."""
    return [Row(term_name(term_id), value, **options)] if value else []
