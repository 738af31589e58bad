"""Full-text search on the database in use (SQLite by default, PostgreSQL with DATABASE_URL=postgres://...).

Visible and hidden results are asserted explicitly (leak test): confidential files, API clients, other
tenants and test cases.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection

from amtsflow.core.exceptions import ValidationFailed
from amtsflow.files import search, services
from amtsflow.files.constants import Confidentiality, Direction, VorgangStatus
from amtsflow.files.models import Document, SearchEntry
from amtsflow.files.search import postgres as postgres_search
from amtsflow.files.search import query as search_query
from amtsflow.files.search.indexing import build_entries, build_entry
from amtsflow.files.search.sqlite import match_expression
from amtsflow.files.search.text import snippet_html
from amtsflow.tenants import services as tenant_services
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (German stemming, trigrams): set DATABASE_URL"
)


@pytest.fixture
def file_text(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """File `text` as a .txt document; the extraction task runs on commit, as in production."""

    def file(actor, vorgang, text, *, filename="schreiben.txt", **values):  # noqa: ANN001, ANN202
        with tenant_scope(actor.tenant), django_capture_on_commit_callbacks(execute=True):
            return services.file_document(
                actor=actor, vorgang=vorgang, upload=text.encode(), filename=filename, **values
            )

    return file


def ids(results: search.SearchResults) -> list:
    return [hit.public_id for hit in results.hits]


def find(actor: Actor, query: str, **filters: object) -> search.SearchResults:
    with tenant_scope(actor.tenant):
        return search.search(actor=actor, query=query, **filters)


def test_finds_a_document_by_a_word_of_its_text(clerk, vorgang, file_text):  # noqa: ANN001
    document = file_text(clerk, vorgang, "Die Straßenlaterne vor Hausnummer 12 ist defekt.", title="Hinweis")
    results = find(clerk, "Straßenlaterne")
    assert ids(results) == [document.public_id]
    hit = results.hits[0]
    assert (hit.kind, hit.title, hit.reference) == ("document", "Hinweis", "6.60/2026/0001-1")
    assert hit.vorgang_public_id == vorgang.public_id
    assert hit.media_kind == "text"
    assert results.total == 1


def test_title_hits_rank_higher_than_text_hits(clerk, vorgang, file_text):  # noqa: ANN001
    in_text = file_text(clerk, vorgang, "Anbei erhalten Sie unsere Rechnung für Mai.", title="Schreiben der Firma")
    in_title = file_text(clerk, vorgang, "Betrag: 120 Euro, zahlbar in 14 Tagen.", title="Rechnung Kanalreinigung")
    assert ids(find(clerk, "Rechnung"))[:2] == [in_title.public_id, in_text.public_id]


def test_snippets_highlight_matches_and_escape_markup(clerk, plan_entry):  # noqa: ANN001
    with tenant_scope(clerk.tenant):
        services.create_akte(
            actor=clerk, plan_entry=plan_entry, title="Markt", description="<b>Standgebühr</b> & <script>x</script>"
        )
    snippet = find(clerk, "Standgebühr").hits[0].snippet_html
    assert "<mark>Standgebühr</mark>" in snippet
    assert "<script>" not in snippet
    assert "<b>" not in snippet
    if connection.vendor == "sqlite":  # PostgreSQL's headline drops tags instead of showing them
        assert "&lt;b&gt;" in snippet


def test_snippet_html_escapes_everything_but_the_markers():
    assert snippet_html('a < b & \x02c\x03 "d"\n e') == "a &lt; b &amp; <mark>c</mark> &quot;d&quot; e"


def test_reference_number_finds_the_file(registrar, clerk):  # noqa: ANN001
    with tenant_scope(clerk.tenant):
        entry = services.create_plan_entry(actor=registrar, number="0.10.02", title="Organisation")
        akte = services.create_akte(actor=clerk, plan_entry=entry, title="Geschäftsverteilung", year=2026)
    assert akte.public_id in ids(find(clerk, "0.10.02/2026"))
    assert akte.public_id in ids(find(clerk, "0.10.02/2026/0001"))


def test_reference_number_prefix_finds_the_cases_of_the_file(registrar, clerk):  # noqa: ANN001
    with tenant_scope(clerk.tenant):
        entry = services.create_plan_entry(actor=registrar, number="0.10.02", title="Organisation")
        akte = services.create_akte(actor=clerk, plan_entry=entry, title="Geschäftsverteilung", year=2026)
        first = services.create_vorgang(actor=clerk, akte=akte, subject="Neuordnung")
        second = services.create_vorgang(actor=clerk, akte=akte, subject="Vertretung")
    assert set(ids(find(clerk, "0.10.02/2026"))) == {akte.public_id, first.public_id, second.public_id}
    assert set(ids(find(clerk, akte.aktenzeichen))) == {akte.public_id, first.public_id, second.public_id}
    assert ids(find(clerk, f"{akte.aktenzeichen}-{second.number}")) == [second.public_id]


def test_filters(registrar, clerk, akte, vorgang, file_text):  # noqa: ANN001
    with tenant_scope(clerk.tenant):
        other_entry = services.create_plan_entry(actor=registrar, number="7.10", title="Grünflächen")
        other_akte = services.create_akte(actor=clerk, plan_entry=other_entry, title="Stadtpark Baumpflege")
        other_vorgang = services.create_vorgang(actor=clerk, akte=other_akte, subject="Baumpflege 2026")
    march = file_text(
        clerk, vorgang, "Baumpflege Linde", direction=Direction.INCOMING, document_date=dt.date(2026, 3, 2)
    )
    may = file_text(clerk, vorgang, "Baumpflege Eiche", direction=Direction.OUTGOING, document_date=dt.date(2026, 5, 4))
    park = file_text(clerk, other_vorgang, "Baumpflege Kastanie", document_date=dt.date(2026, 5, 5))

    assert set(ids(find(clerk, "Baumpflege", kind="document"))) == {march.public_id, may.public_id, park.public_id}
    assert set(ids(find(clerk, "Baumpflege", kind="vorgang"))) == {other_vorgang.public_id}
    # A plan entry covers the entries below it: "7" is not an entry here, "6" is (the heading of 6.60).
    with tenant_scope(clerk.tenant):
        heading = akte.plan_entry.parent
    assert set(ids(find(clerk, "Baumpflege", plan_entry=heading))) == {march.public_id, may.public_id}
    assert set(ids(find(clerk, "Baumpflege", akte=other_akte, kind="document"))) == {park.public_id}
    in_may = find(clerk, "Baumpflege", date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 5, 31), kind="document")
    assert set(ids(in_may)) == {may.public_id, park.public_id}
    assert ids(find(clerk, "Baumpflege", direction=Direction.OUTGOING)) == [may.public_id]
    assert find(clerk, "Baumpflege", media_kind="pdf").total == 0
    assert find(clerk, "Baumpflege", media_kind="text", kind="document").total == 3

    with tenant_scope(clerk.tenant):
        services.update_vorgang(actor=clerk, vorgang=other_vorgang, status=VorgangStatus.DONE)
    done = find(clerk, "Baumpflege", status=VorgangStatus.DONE)
    assert set(ids(done)) == {other_vorgang.public_id, park.public_id}  # documents follow their case


def test_unknown_kind_is_refused(clerk):  # noqa: ANN001
    with pytest.raises(ValidationFailed):
        find(clerk, "x", kind="invoice")


def test_blank_query_lists_the_filtered_entries_newest_first(clerk, vorgang, file_text):  # noqa: ANN001
    older = file_text(clerk, vorgang, "eins", document_date=dt.date(2026, 1, 1))
    newer = file_text(clerk, vorgang, "zwei", document_date=dt.date(2026, 2, 1))
    assert ids(find(clerk, "  ", kind="document")) == [newer.public_id, older.public_id]


def test_paging(clerk, vorgang, file_text):  # noqa: ANN001
    for number in range(5):
        file_text(clerk, vorgang, f"Sperrmüll Abholung {number}")
    first, second = find(clerk, "Sperrmüll", limit=3), find(clerk, "Sperrmüll", limit=3, offset=3)
    assert first.total == second.total == 5
    assert not first.capped
    assert len(first.hits) == 3
    assert len(second.hits) == 2
    assert not set(ids(first)) & set(ids(second))


def test_blank_query_counts_up_to_the_cap(clerk, vorgang, file_text, monkeypatch):  # noqa: ANN001
    documents = [file_text(clerk, vorgang, "Sperrmüll", document_date=dt.date(2026, 1, day)) for day in (1, 2, 3)]
    monkeypatch.setattr(search_query, "BROWSE_COUNT_CAP", 2)
    results = find(clerk, "", kind="document")
    assert (results.total, results.capped) == (2, True)
    assert ids(results) == [documents[2].public_id, documents[1].public_id]  # only what was counted
    assert ids(find(clerk, "", kind="document", offset=2)) == []
    monkeypatch.setattr(search_query, "BROWSE_COUNT_CAP", 3)
    results = find(clerk, "", kind="document")
    assert (results.total, results.capped, len(results.hits)) == (3, False, 3)


@postgres_only
def test_only_the_newest_matches_are_ranked_when_there_are_too_many(clerk, vorgang, file_text, monkeypatch):  # noqa: ANN001
    oldest = file_text(clerk, vorgang, "Sperrmüll", title="Sperrmüll Sperrmüll", document_date=dt.date(2026, 1, 1))
    middle = file_text(clerk, vorgang, "Sperrmüll Abholung", document_date=dt.date(2026, 1, 2))
    newer = file_text(clerk, vorgang, "Abholung", title="Sperrmüll", document_date=dt.date(2026, 1, 3))
    newest = file_text(clerk, vorgang, "Sperrmüll Anmeldung", document_date=dt.date(2026, 1, 4))
    monkeypatch.setattr(postgres_search, "WINDOW", 3)
    results = find(clerk, "Sperrmüll", kind="document")
    assert (results.total, results.capped) == (3, True)
    # The best-ranked (title) hit first, among the newest three; the oldest document is beyond the window.
    assert ids(results) == [newer.public_id, newest.public_id, middle.public_id]
    assert oldest.public_id not in ids(find(clerk, "Sperrmüll", kind="document", offset=2))
    monkeypatch.setattr(postgres_search, "WINDOW", 4)
    results = find(clerk, "Sperrmüll", kind="document")
    assert (results.total, results.capped) == (4, False)
    assert ids(results)[:2] == [oldest.public_id, newer.public_id]


@postgres_only
@pytest.mark.parametrize(("scan_rows", "few"), [(10_000, False), (2, False), (10_000, True)])
def test_every_way_to_the_newest_matches_gives_the_same(clerk, vorgang, file_text, monkeypatch, scan_rows, few):  # noqa: ANN001
    # The scan of the newest entries (all, or too few of them) and the route through the indexes.
    documents = [file_text(clerk, vorgang, f"Sperrmüll Abholung {number}", title="Sperrmüll") for number in range(4)]
    file_text(clerk, vorgang, "Grünschnitt")
    monkeypatch.setattr(postgres_search, "WINDOW", 3)
    monkeypatch.setattr(postgres_search, "SCAN_ROWS", scan_rows)
    monkeypatch.setattr(postgres_search, "_few_matches", lambda *_args: few)
    results = find(clerk, "Sperrmüll", kind="document")
    assert (results.total, results.capped) == (3, True)
    assert ids(results) == [document.public_id for document in reversed(documents[1:])]
    assert ids(find(clerk, "Sperrmül", kind="document")) == ids(results)  # the substring in the keywords


@postgres_only
def test_similar_names_only_when_nothing_matches(clerk, vorgang, file_text):  # noqa: ANN001
    exact = file_text(clerk, vorgang, "Antrag auf Sondernutzung", sender="Anna Hoffmann")
    similar = file_text(clerk, vorgang, "Antrag auf Sondernutzung", sender="Anna Hofmann")
    assert ids(find(clerk, "Hoffmann", kind="document")) == [exact.public_id]
    assert ids(find(clerk, "Hofman", kind="document")) == [similar.public_id]  # "Hofman" is part of "Hofmann"
    assert set(ids(find(clerk, "Hofmannn", kind="document"))) == {exact.public_id, similar.public_id}


def test_rebuilt_entries_are_those_of_the_service(clerk, vorgang, file_text, django_capture_on_commit_callbacks):  # noqa: ANN001
    edited = file_text(clerk, vorgang, "Erste Fassung", title="Vertrag", sender="Stadtwerke")
    other = file_text(clerk, vorgang, "Antwortschreiben", title="Antwort", filename="antwort.txt")
    with tenant_scope(clerk.tenant), django_capture_on_commit_callbacks(execute=True):
        services.check_out(actor=clerk, document=edited)
        services.check_in(actor=clerk, document=edited, upload=b"Zweite Fassung", filename="vertrag.txt")
    with tenant_scope(clerk.tenant):
        documents = list(Document.objects.select_related("vorgang__akte").filter(pk__in=[edited.pk, other.pk]))
        bulk, single = build_entries(documents), [build_entry(document) for document in documents]
        stored = {entry.document_id: entry for entry in SearchEntry.objects.filter(kind="document")}
    fields = ["kind", "object_id", "akte_id", "plan_entry_id", "title", "reference", "keywords", "body", "date"]
    for document, one, other_one in zip(documents, bulk, single, strict=True):
        values = [getattr(one, name) for name in fields]
        assert values == [getattr(other_one, name) for name in fields]
        assert values == [getattr(stored[document.pk], name) for name in fields]
    assert "Zweite Fassung" in stored[edited.pk].body
    assert "Erste Fassung" not in stored[edited.pk].body


def test_confidential_files_are_found_only_by_permitted_members(  # leak test
    tenant_a,
    clerk,
    plan_entry,
    make_member,
    actor_for,
    admin_a,
    file_text,  # noqa: ANN001
):
    colleague = actor_for(make_member(tenant_a, Role.CLERK, Role.RECORDS_MANAGER))
    with tenant_scope(tenant_a):
        secret = services.create_akte(
            actor=clerk,
            plan_entry=plan_entry,
            title="Personalakte Geheim",
            confidentiality=Confidentiality.CONFIDENTIAL,
        )
        secret_vorgang = services.create_vorgang(actor=clerk, akte=secret, subject="Abmahnung")
        client, _token = tenant_services.create_api_client(actor=actor_for(admin_a), name="DMS", scopes=["files.read"])
        api = Actor.for_api_client(client)
    document = file_text(clerk, secret_vorgang, "Vertrauliche Abmahnung wegen Zuspätkommens")
    expected = {secret.public_id, secret_vorgang.public_id, document.public_id}

    assert set(ids(find(clerk, "Personalakte or Abmahnung"))) == expected
    for outsider in (colleague, api):
        for query in ("Abmahnung", "Zuspätkommens", "Personalakte", secret.aktenzeichen, ""):
            assert not set(ids(find(outsider, query))) & expected, (outsider.label, query)


def test_other_tenants_entries_never_show(tenant_b, make_member, actor_for, clerk, vorgang, file_text):  # noqa: ANN001
    ours = file_text(clerk, vorgang, "Winterdienst Streuplan")
    member_b = actor_for(make_member(tenant_b, Role.RECORDS_MANAGER, Role.CLERK))
    with tenant_scope(tenant_b):
        entry_b = services.create_plan_entry(actor=member_b, number="6.60", title="Straßen")
        akte_b = services.create_akte(actor=member_b, plan_entry=entry_b, title="Winterdienst B", year=2026)
        vorgang_b = services.create_vorgang(actor=member_b, akte=akte_b, subject="Streuplan B")
    theirs = file_text(member_b, vorgang_b, "Winterdienst Streuplan")
    hidden_b = {theirs.public_id, akte_b.public_id, vorgang_b.public_id}

    assert ours.public_id in ids(find(clerk, "Winterdienst Streuplan"))
    for query in ("Winterdienst", "Streuplan", "6.60/2026/0001", ""):
        assert not set(ids(find(clerk, query))) & hidden_b
        assert ours.public_id not in ids(find(member_b, query))


def test_test_cases_are_left_out(clerk, akte, file_text):  # noqa: ANN001
    with tenant_scope(clerk.tenant):
        sandbox = services.create_vorgang(actor=clerk, akte=akte, subject="Probelauf Sondernutzung", is_test=True)
    document = file_text(clerk, sandbox, "Sondernutzung Probelauf")
    assert not {sandbox.public_id, document.public_id} & set(ids(find(clerk, "Sondernutzung")))


HOSTILE = [
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(a b",
    "AND OR",
    "OR",
    "-",
    "- -x",
    "'); DROP TABLE files_searchentry; --",
    "a:b",
    "title:x",
    "^x",
    "(((",
    ")",
    "\x00Rechnung\x00",
    "%_\\",
    "x" * 10_000,
    "Rechnung " * 2_000,
    "ÄÖÜß 中文 🙂",
    '"unclosed phrase',
    "-Rechnung",
    "Rechnung -",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_error(clerk, vorgang, file_text, query):  # noqa: ANN001
    file_text(clerk, vorgang, "Rechnung über 10 % Skonto")
    results = find(clerk, query)
    assert results.total >= 0
    assert len(results.query) <= 300
    with tenant_scope(clerk.tenant):
        assert SearchEntry.objects.exists()  # nothing dropped


def test_remove_and_rebuild(clerk, vorgang, file_text):  # noqa: ANN001
    document = file_text(clerk, vorgang, "Hundesteuer Anmeldung")
    with tenant_scope(clerk.tenant):
        search.remove_object(document)
    assert find(clerk, "Hundesteuer").total == 0
    out = io.StringIO()
    call_command("rebuild_search_index", "--tenant", clerk.tenant.slug, stdout=out)
    assert out.getvalue() == f"{clerk.tenant.slug}: 3 entries indexed\n"  # Akte, Vorgang, Document
    assert ids(find(clerk, "Hundesteuer")) == [document.public_id]


@postgres_only
def test_german_stemming(clerk, vorgang, file_text):  # noqa: ANN001
    document = file_text(clerk, vorgang, "Die Rechnung wurde geprüft.")
    assert ids(find(clerk, "Rechnungen")) == [document.public_id]
    assert ids(find(clerk, "prüfen or geprüft")) == [document.public_id]


@postgres_only
def test_misspelled_name_is_found(clerk, vorgang, file_text):  # noqa: ANN001
    document = file_text(clerk, vorgang, "Antrag auf Sondernutzung", sender="Anna Hoffmann")
    assert document.public_id in ids(find(clerk, "Hofman"))
    assert document.public_id in ids(find(clerk, "Anna Hofman"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rechnung", '("Rechnung"*)'),
        ("ab", '("ab")'),
        ('"genau so"', '("genau so")'),
        ("Bau or Abriss Antrag", '("Bau"* OR "Abriss"*) AND ("Antrag"*)'),
        ("Antrag -Abriss", '("Antrag"*) NOT "Abriss"'),
        ('NEAR( "x', '("NEAR("*) AND ("x")'),
        ('a"b', '("a""b"*)'),
        ("* - \" ''", None),
        ("-nur", None),
    ],
)
def test_sqlite_match_expression_quotes_every_term(text, expected):  # noqa: ANN001
    assert match_expression(text) == expected


def test_very_long_texts_are_indexed(clerk, vorgang, file_text):  # noqa: ANN001
    # ~2 MB of distinct words: more than a PostgreSQL tsvector holds (1 MB); the beginning stays searchable.
    words = " ".join(f"wort{number:07d}" for number in range(180_000))
    document = file_text(clerk, vorgang, f"Anfangswort {words}", filename="lang.txt")
    assert ids(find(clerk, "Anfangswort")) == [document.public_id]
