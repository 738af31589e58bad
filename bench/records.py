"""Records at scale: how fast documents are filed, and how fast the full-text search answers over N of them.

Generates synthetic German municipal letters (random combinations of administrative vocabulary, streets,
names, amounts and reference numbers; fixed seed, so every run files the same letters) and measures

1. the ingest rate through the real service `file_document` (content check, blob store, audit entry, search
   index and the eager text extraction of the .txt after commit), and
2. the latency (p50/p95) of the real `search(...)` selector as the records manager, per query kind: single
   words, two words, a case reference number, a rare word (3 documents) and a word no document contains.

Reference, measured in the same run: a primary-key lookup `Document.objects.get(pk=...)`; for comparison also
the brute-force alternative, a `LIKE '%word%'` scan over the extracted texts. When N is larger than
--service-documents, the remaining documents are bulk-created (documents, blobs rows without files, versions
with their extracted text, search entries built by the indexer's own `build_entries`, their search vectors
by the database trigger; no audit entries). On PostgreSQL the rows go in by COPY, and from 100 000 bulk
documents on the search indexes are dropped for the load and built again afterwards by `schema.install`.
The output says how many documents took which path; hits such as "200+" are capped results (more match).
A fresh database is needed for every run (the demo data and file plan are loaded first); 1 000 000
documents need about 5 GB on PostgreSQL.

    .venv/bin/python bench/records.py                  # 10 000 documents, SQLite in a temp dir
    .venv/bin/python bench/records.py --quick          # 1 000 documents (CI smoke)
    DATABASE_URL=postgres://... .venv/bin/python bench/records.py --documents 1000000   # manual run
"""

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["AMTSFLOW_DATA_DIR"] = tempfile.mkdtemp(prefix="amtsflow-bench-")
os.environ.setdefault("AMTSFLOW_HTTPS", "false")
os.environ["AMTSFLOW_LOG_LEVEL"] = "ERROR"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SETTINGS_MODULE"] = "amtsflow.conf.settings"
os.environ.pop("CELERY_BROKER_URL", None)  # extraction must run in-process (eagerly, after each commit)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.utils import timezone  # noqa: E402

SEED = 20260
DEFAULT_DOCUMENTS = 10_000
QUICK_DOCUMENTS = 1_000
DEFAULT_SERVICE_DOCUMENTS = 2_000
BULK_BATCH = 1_000
BULK_BATCH_POSTGRES = 5_000  # rows per COPY and transaction
INDEX_REBUILD_FROM = 100_000  # bulk documents from which the search indexes are built after the load
RARE_COPIES = 3

# --- Vocabulary ----------------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Anna", "Bernd", "Claudia", "Dieter", "Elke", "Frank", "Gisela", "Hans", "Ingrid", "Jürgen", "Karin",
    "Lars", "Monika", "Norbert", "Olga", "Peter", "Renate", "Stefan", "Tanja", "Uwe", "Vera", "Wolfgang",
    "Yvonne", "Zoran", "Mehmet", "Aylin", "Lukas", "Sophie", "Jonas", "Lea",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann",
    "Yılmaz", "Kaya", "Nowak", "Kowalski",
]  # fmt: skip
STREETS = [
    "Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Lindenweg", "Kirchgasse",
    "Bergstraße", "Waldstraße", "Ringstraße", "Mühlweg", "Am Marktplatz", "Rosenweg", "Goethestraße",
    "Schillerstraße", "Friedhofstraße", "Industriestraße", "Weinbergweg", "Talstraße", "Eichendorffstraße",
]  # fmt: skip
COMPANIES = [
    "Asphalt Müller GmbH", "Elektro Weber KG", "Grünpflege Braun", "Ingenieurbüro Hartmann",
    "Stadtwerke Musterstadt", "Gebäudereinigung Klein GmbH", "Tiefbau Krause & Söhne", "Bürobedarf Lange",
    "Architekturbüro Neumann", "Kanalservice Schröder GmbH",
]  # fmt: skip
CITIES = [("71332", "Musterstadt"), ("71334", "Musterstadt-Nord"), ("71336", "Beispielhausen"), ("70173", "Stuttgart")]

# One topic per file plan position that takes files: subjects (document titles) and topic sentences.
TOPICS: dict[str, tuple[list[str], list[str]]] = {
    "6.10.01": (
        ["Bauantrag Einfamilienhaus", "Bauantrag Carport", "Bauvoranfrage Dachgeschossausbau",
         "Nachforderung Bauvorlagen", "Baugenehmigung Garage", "Abweichungsantrag Grenzabstand"],
        ["Hiermit beantrage ich die Baugenehmigung für {object} auf dem Grundstück {street} {no}, Flurstück {flur}.",
         "Die Bauvorlagen sind unvollständig; es fehlen {missing}.",
         "Der Lageplan und die Standsicherheitsnachweise werden bis zum {date} nachgereicht.",
         "Die Nachbarbeteiligung ergab keine Einwendungen gegen das Vorhaben.",
         "Die Baugenehmigung wird unter Auflagen zum Brandschutz erteilt."],
    ),
    "2.10.01": (
        ["Rechnung Straßenbeleuchtung", "Rechnung Grünflächenpflege", "Zahlungsanordnung", "Mahnung",
         "Rechnung Winterdienst", "Gutschrift Abschlagszahlung"],
        ["Für die erbrachten Leistungen stellen wir Ihnen {amount} Euro in Rechnung.",
         "Bitte überweisen Sie den Betrag von {amount} Euro unter Angabe des Kassenzeichens bis zum {date}.",
         "Die Rechnung wurde sachlich und rechnerisch geprüft und zur Zahlung angewiesen.",
         "Trotz Zahlungserinnerung ist der Betrag von {amount} Euro noch offen.",
         "Die Abschlagszahlung über {amount} Euro wird mit der Schlussrechnung verrechnet."],
    ),
    "6.60.01": (
        ["Schadensmeldung Schlagloch", "Beschwerde Straßenbeleuchtung", "Anfrage Gehwegsanierung",
         "Meldung umgestürzter Baum", "Antrag Verkehrsberuhigung"],
        ["In der {street} vor Hausnummer {no} befindet sich seit Wochen ein tiefes Schlagloch.",
         "Die Straßenlaterne gegenüber {street} {no} ist defekt.",
         "Die Verkehrssicherungspflicht erfordert eine Ausbesserung bis spätestens {date}.",
         "Die Kostenschätzung für die Sanierung beläuft sich auf {amount} Euro brutto.",
         "Die Straßenbegehung hat weitere Schäden am Gehweg ergeben."],
    ),
    "3.20.01": (
        ["Gewerbeanmeldung Friseursalon", "Gewerbeabmeldung Imbiss", "Gewerbeummeldung Handwerksbetrieb",
         "Gaststättenerlaubnis", "Anfrage Sondernutzung Außenbewirtung"],
        ["Hiermit melde ich zum {date} ein Gewerbe in der {street} {no} an.",
         "Die Gewerbeanmeldung wurde an das Finanzamt und die Handwerkskammer weitergeleitet.",
         "Für die Sondernutzung des Gehwegs wird eine Gebühr von {amount} Euro festgesetzt.",
         "Bitte legen Sie ein Führungszeugnis und die Gewerbezentralregisterauskunft vor.",
         "Der Betrieb wird zum {date} aufgegeben."],
    ),
    "2.00.01": (
        ["Stellungnahme Haushaltsentwurf", "Nachtragshaushalt", "Mittelanmeldung", "Haushaltssperre"],
        ["Für das Haushaltsjahr werden Mittel in Höhe von {amount} Euro angemeldet.",
         "Der Nachtragshaushalt sieht Mehrausgaben von {amount} Euro vor.",
         "Die Haushaltssperre betrifft alle freiwilligen Leistungen bis zum {date}.",
         "Der Gemeinderat berät den Haushaltsentwurf in seiner Sitzung am {date}."],
    ),
    "0.10.01": (
        ["Dienstanweisung Posteingang", "Organisationsuntersuchung", "Geschäftsordnung", "Vertretungsregelung"],
        ["Die Dienstanweisung zum Posteingang tritt am {date} in Kraft.",
         "Die Organisationsuntersuchung des Bürgerbüros ist abgeschlossen.",
         "Die Vertretung während der Urlaubszeit übernimmt {name}.",
         "Eingehende Schreiben sind am Tag des Eingangs zu scannen und zu den Akten zu nehmen."],
    ),
    "0.11.01": (
        ["Störungsmeldung Fachverfahren", "Lizenzverlängerung", "Datenschutzfolgenabschätzung", "Releasewechsel"],
        ["Das Fachverfahren war am {date} wegen einer Störung nicht erreichbar.",
         "Die Lizenzverlängerung kostet {amount} Euro jährlich.",
         "Der Releasewechsel ist für den {date} geplant.",
         "Die Datenschutzfolgenabschätzung wurde mit dem Datenschutzbeauftragten abgestimmt."],
    ),
}  # fmt: skip
GENERAL_SENTENCES = [
    "Gegen den Gebührenbescheid vom {date} lege ich hiermit fristgerecht Widerspruch ein.",
    "Wir bitten um Rückmeldung bis zum {date}.",
    "Für Rückfragen steht Ihnen {name} unter der Durchwahl {phone} zur Verfügung.",
    "Der Vorgang wurde an das zuständige Fachamt weitergeleitet.",
    "Eine Ortsbesichtigung findet am {date} um {hour} Uhr statt.",
    "Die Anhörung nach § 28 Verwaltungsverfahrensgesetz ist erfolgt.",
    "Wir nehmen Bezug auf Ihr Schreiben vom {date} und teilen Ihnen Folgendes mit.",
    "Der Bescheid ist bestandskräftig geworden.",
    "Die Unterlagen wurden zur Akte genommen.",
    "Bitte geben Sie bei Zahlungen stets das Kassenzeichen an.",
]
OBJECTS = ["ein Einfamilienhaus", "einen Carport", "eine Doppelgarage", "einen Wintergarten", "eine Gartenmauer"]
MISSING = ["der Lageplan", "die Baubeschreibung", "die Statik", "der Entwässerungsplan", "die Wohnflächenberechnung"]

SINGLE_WORDS = ["Widerspruch", "Baugenehmigung", "Hauptstraße", "Schmidt", "Kassenzeichen"]
TWO_WORDS = [
    "Widerspruch Gebührenbescheid",
    "Bauantrag Carport",
    "Rechnung Straßenbeleuchtung",
    "Schlagloch Bahnhofstraße",
    "Gewerbeanmeldung Friseursalon",
]
RARE_WORDS = ["Streuobstwiese", "Taubenschlag", "Maibaumaufstellung", "Biberdamm", "Glockenstuhl"]
ABSENT_WORDS = ["Quantenkryptographie", "Zeppelinlandeplatz", "Walfangquote", "Vulkanausbruch", "Skisprungschanze"]


@dataclass(frozen=True)
class Letter:
    title: str
    sender: str
    document_date: dt.date
    direction: str
    text: str


class LetterWriter:
    """Deterministic letters: the same seed and index give the same letter."""

    def __init__(self, seed: int, total: int) -> None:
        self.rng = random.Random(seed)
        # Each rare word goes into exactly RARE_COPIES documents, spread over the whole range.
        picked = random.Random(seed + 1).sample(range(total), min(total, RARE_COPIES * len(RARE_WORDS)))
        self.rare = {index: RARE_WORDS[n // RARE_COPIES] for n, index in enumerate(picked)}

    def _date(self) -> dt.date:
        return dt.date(2025, 1, 1) + dt.timedelta(days=self.rng.randrange(540))

    def _name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _fill(self, sentence: str) -> str:
        rng = self.rng
        return sentence.format(
            object=rng.choice(OBJECTS),
            missing=rng.choice(MISSING),
            street=rng.choice(STREETS),
            no=rng.randint(1, 120),
            flur=f"{rng.randint(1, 3000)}/{rng.randint(1, 20)}",
            date=self._date().strftime("%d.%m.%Y"),
            amount=f"{rng.randint(50, 250_000):,}".replace(",", ".") + f",{rng.randint(0, 99):02d}",
            name=self._name(),
            phone=f"07151 {rng.randint(100, 999)}-{rng.randint(10, 99)}",
            hour=f"{rng.randint(8, 16)}:{rng.choice(['00', '15', '30', '45'])}",
        )

    def write(self, index: int, plan_number: str, reference: str) -> Letter:
        rng = self.rng
        subjects, sentences = TOPICS[plan_number]
        title = rng.choice(subjects)
        incoming = rng.random() < 0.7
        person = self._name()
        sender = person if rng.random() < 0.6 else rng.choice(COMPANIES)
        plz, city = rng.choice(CITIES)
        when = self._date()
        body = [self._fill(s) for s in rng.sample(sentences, k=min(len(sentences), rng.randint(2, 4)))]
        body += [self._fill(s) for s in rng.sample(GENERAL_SENTENCES, k=rng.randint(1, 3))]
        rng.shuffle(body)
        if index in self.rare:
            body.insert(rng.randrange(len(body) + 1), f"Betroffen ist auch die {self.rare[index]} am Ortsrand.")
        paragraphs = [" ".join(body[i : i + 2]) for i in range(0, len(body), 2)]
        text = "\n".join(
            [
                f"{sender} · {rng.choice(STREETS)} {rng.randint(1, 120)} · {plz} {city}",
                "",
                "Stadt Musterstadt",
                "Rathausplatz 1",
                "71332 Musterstadt",
                "",
                f"{city}, den {when.strftime('%d.%m.%Y')}",
                f"Unser Zeichen: {reference}   Kassenzeichen: {rng.randint(10**9, 10**10 - 1)}",
                "",
                f"Betreff: {title}",
                "",
                "Sehr geehrte Damen und Herren," if incoming else f"Sehr geehrte/r {person},",
                "",
                *[p + "\n" for p in paragraphs],
                "Mit freundlichen Grüßen",
                person if sender == person else self._name(),
                "",
            ]
        )
        return Letter(title, sender, when, "incoming" if incoming else "outgoing", text)


# --- Measuring -----------------------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(call: Callable[[], object], repeat: int, budget_s: float) -> list[float]:
    """Up to `repeat` timings in milliseconds (at least 3, fewer when the budget is spent)."""
    samples: list[float] = []
    started = time.perf_counter()
    for _ in range(repeat):
        begin = time.perf_counter()
        call()
        samples.append((time.perf_counter() - begin) * 1000)
        if len(samples) >= 3 and time.perf_counter() - started > budget_s:
            break
    return samples


def server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        return str(cursor.fetchone()[0])


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


PLAIN = {str, int, bool, float, type(None), dt.date, uuid.UUID}


def copy_insert(model: type[Model], objs: list[Model]) -> None:
    """PostgreSQL: INSERT by COPY, ids taken from the table's sequence first (COPY returns none). Values
    go through the fields' own `pre_save`/`get_db_prep_save`, as in `bulk_create`; row triggers fire."""
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                row = []
                for field in fields:
                    value = field.pre_save(obj, add=True)
                    # Plain values go to psycopg as they are; the field's conversion costs ~10 µs a value.
                    row.append(value if type(value) in PLAIN else field.get_db_prep_save(value, connection))
                copy.write_row(row)


def insert(model: type[Model], objs: list[Model]) -> None:
    if connection.vendor == "postgresql":
        copy_insert(model, objs)
    else:
        model.objects.bulk_create(objs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=DEFAULT_DOCUMENTS, help="documents in total (N)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_DOCUMENTS} documents (CI smoke)")
    parser.add_argument(
        "--service-documents",
        type=int,
        default=DEFAULT_SERVICE_DOCUMENTS,
        help="how many of them go through file_document; the rest are bulk-created",
    )
    parser.add_argument("--repeat", type=int, default=10, help="timings per query string")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    total = QUICK_DOCUMENTS if args.quick else args.documents
    through_service = max(1, min(total, args.service_documents))
    bulk_batch = BULK_BATCH_POSTGRES if connection.vendor == "postgresql" else BULK_BATCH

    from amtsflow.files import services
    from amtsflow.files.demo import PLAN
    from amtsflow.files.models import Blob, Document, DocumentVersion, SearchEntry
    from amtsflow.files.search import schema, search
    from amtsflow.files.search.indexing import build_entries
    from amtsflow.tenants import demo
    from amtsflow.tenants.actor import Actor
    from amtsflow.tenants.context import tenant_scope
    from amtsflow.tenants.models import Tenant, User
    from amtsflow.tenants.selectors import get_membership

    started_all = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo.load()
    tenant = Tenant.objects.get(slug="musterstadt")

    def actor_of(username: str) -> Actor:
        return Actor.for_membership(get_membership(tenant=tenant, user=User.objects.get(username=username)))

    registratur = actor_of("registratur")  # records manager: sees every file, maintains the plan
    clerk = actor_of("sachbearbeitung")
    writer = LetterWriter(args.seed, total)
    rng = writer.rng

    # File plan, files and cases through the services (set-up, not measured).
    vorgaenge_count = max(10, min(total // 25, 2_000))
    akten_count = max(len(TOPICS), min(vorgaenge_count // 10, 200))
    with tenant_scope(tenant):
        entries = {}
        for number, title, years, action, accepts in PLAN:
            entries[number] = services.create_plan_entry(
                actor=registratur,
                number=number,
                title=title,
                retention_years=years,
                disposal_action=action,
                accepts_files=accepts,
            )
        topics = sorted(TOPICS)
        akten = [
            services.create_akte(
                actor=clerk,
                plan_entry=entries[topics[i % len(topics)]],
                title=f"{TOPICS[topics[i % len(topics)]][0][0]} {rng.choice(STREETS)} ({i + 1})",
            )
            for i in range(akten_count)
        ]
        vorgaenge = []
        for i in range(vorgaenge_count):
            akte = akten[i % akten_count]
            subjects = TOPICS[akte.plan_entry.number][0]
            vorgang = services.create_vorgang(actor=clerk, akte=akte, subject=f"{rng.choice(subjects)} {i + 1}")
            vorgang.akte = akte
            vorgaenge.append(vorgang)
        references = [f"{v.akte.aktenzeichen}-{v.number}" for v in vorgaenge]

        def letter(index: int) -> tuple:
            position = rng.randrange(vorgaenge_count)
            vorgang = vorgaenge[position]
            return vorgang, writer.write(index, vorgang.akte.plan_entry.number, references[position])

        # (1) Ingest through the real service. Outside any transaction: each filing commits, and the commit
        # runs the (eager) text extraction task, which indexes the extracted text.
        filed: list[int] = []
        started = time.perf_counter()
        for index in range(through_service):
            vorgang, doc = letter(index)
            filed.append(
                services.file_document(
                    actor=clerk,
                    vorgang=vorgang,
                    upload=doc.text.encode(),
                    filename=f"{doc.title.replace(' ', '_')}_{index:07d}.txt",
                    title=doc.title,
                    direction=doc.direction,
                    document_date=doc.document_date,
                    sender=doc.sender,
                ).pk
            )
        service_seconds = time.perf_counter() - started
        extracted = DocumentVersion.objects.filter(document_id__in=filed[:500], extraction_state="done").count()
        assert extracted == min(500, len(filed)), f"text extraction did not run ({extracted} done)"

        # The rest: the same rows in bulk, search entries from the indexer's own build_entries.
        bulk_seconds = index_seconds = 0.0
        remaining = total - through_service
        if remaining:
            started = time.perf_counter()
            # On PostgreSQL the search indexes are built once after the load (same content, far faster than
            # row by row); the trigger still computes every search_vector.
            dropped = schema.drop_indexes(connection) if remaining >= INDEX_REBUILD_FROM else []
            for batch in chunks(list(range(through_service, total)), bulk_batch):
                with transaction.atomic():
                    letters = [letter(index) for index in batch]
                    now = timezone.now()
                    documents = [
                        Document(
                            tenant=tenant,
                            vorgang=vorgang,
                            title=doc.title,
                            direction=doc.direction,
                            document_date=doc.document_date,
                            sender=doc.sender,
                            received_at=now if doc.direction == "incoming" else None,
                        )
                        for vorgang, doc in letters
                    ]
                    insert(Document, documents)
                    contents = [doc.text.encode() for _vorgang, doc in letters]
                    digests = [hashlib.sha256(content).hexdigest() for content in contents]
                    blobs = [
                        Blob(tenant=tenant, sha256=digest, size=len(content), storage_name=f"bulk/{digest}")
                        for digest, content in zip(digests, contents, strict=True)
                    ]
                    insert(Blob, blobs)
                    insert(
                        DocumentVersion,
                        [
                            DocumentVersion(
                                tenant=tenant,
                                document=document,
                                number=1,
                                blob=blob,
                                filename=f"{document.title.replace(' ', '_')}_{index:07d}.txt",
                                media_type="text/plain",
                                size=blob.size,
                                created_by=clerk.membership,
                                extraction_state="done",
                                text=doc.text.strip(),
                            )
                            for index, document, blob, (_vorgang, doc) in zip(
                                batch, documents, blobs, letters, strict=True
                            )
                        ],
                    )
                    insert(SearchEntry, build_entries(documents))
                done = batch[-1] + 1 - through_service
                if remaining >= 50_000 and done * 10 // remaining != (done - len(batch)) * 10 // remaining:
                    rate = done / (time.perf_counter() - started)
                    print(f"  … {done} bulk documents ({rate:.0f}/s)", file=sys.stderr)  # noqa: T201
            bulk_seconds = time.perf_counter() - started
            if dropped:
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute("SET maintenance_work_mem = '1GB'")  # index builds only; session-local
                schema.install(connection)
                index_seconds = time.perf_counter() - started
        schema.optimize(connection)  # fresh statistics (PostgreSQL) / merged FTS segments (SQLite)

        # (2) Search latency as the records manager, against the reference in the same run.
        document_ids = list(Document.objects.values_list("pk", flat=True))
        table = connection.ops.quote_name(DocumentVersion._meta.db_table)

        def like_scan(word: str) -> int:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*) FROM {table} WHERE tenant_id = %s AND text LIKE %s",  # noqa: S608
                    [tenant.pk, f"%{word}%"],
                )
                return cursor.fetchone()[0]

        picker = random.Random(args.seed + 2)
        kinds = {
            "single word": SINGLE_WORDS,
            "two words": TWO_WORDS,
            "reference number": picker.sample(references, 5),
            "rare word": RARE_WORDS,
            "absent word": ABSENT_WORDS,
        }
        entry_count = SearchEntry.objects.count()
        for query in ("Widerspruch", "Hauptstraße Schlagloch"):  # warm-up (caches, FTS5 pages)
            search(actor=registratur, query=query, limit=20)
        pk_samples = timed(lambda: Document.objects.get(pk=picker.choice(document_ids)), 500, 10)
        like_samples: list[float] = []
        for word in SINGLE_WORDS:
            like_samples += timed(lambda word=word: like_scan(word), max(3, args.repeat // 3), 20)
        results: dict[str, tuple[list[float], list[int]]] = {}
        for kind, queries in kinds.items():
            samples: list[float] = []
            totals: list[str] = []
            for query in queries:
                found = search(actor=registratur, query=query, limit=20)
                totals.append(f"{found.total}+" if found.capped else str(found.total))
                samples += timed(lambda query=query: search(actor=registratur, query=query, limit=20), args.repeat, 20)
            results[kind] = (samples, totals)

    ref50, ref95 = percentile(pk_samples, 0.5), percentile(pk_samples, 0.95)
    bulk_note = (
        f"{through_service} through file_document, {remaining} bulk-created "
        f"({'COPY' if connection.vendor == 'postgresql' else 'bulk_create'}; same rows, search entries from "
        "the indexer's build_entries and the database's own trigger; no blob files, no audit entries)"
        if remaining
        else f"all {total} through file_document"
    )
    lines = [
        f"database: {connection.vendor} {server_version()}",
        f"N: {total} documents in {vorgaenge_count} cases of {akten_count} files ({bulk_note}); "
        f"{entry_count} search entries",
        f"ingest via file_document: {through_service / service_seconds:8.1f} documents/s "
        f"({service_seconds * 1000 / through_service:.1f} ms per document, {service_seconds:.1f} s)",
    ]
    if remaining:
        lines.append(
            f"bulk path (not the service rate): {remaining / bulk_seconds:8.1f} documents/s ({bulk_seconds:.1f} s)"
            + (f"; then search indexes built in {index_seconds:.1f} s" if index_seconds else "")
        )
    lines += [
        "",
        f"{'search latency (limit 20)':<34}{'p50 ms':>9}{'p95 ms':>9}{'×ref p50':>10}{'×ref p95':>10}"
        f"{'samples':>9}  hits (total per query; N+: capped, more match)",
        f"{'reference Document.objects.get(pk)':<34}{ref50:9.2f}{ref95:9.2f}{1:10.1f}{1:10.1f}{len(pk_samples):9d}",
    ]
    everything: list[float] = []
    for kind, (samples, totals) in results.items():
        everything += samples
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        lines.append(
            f"{'search: ' + kind:<34}{p50:9.2f}{p95:9.2f}{p50 / ref50:10.1f}{p95 / ref95:10.1f}{len(samples):9d}  "
            f"{', '.join(totals)}"
        )
    p50, p95 = percentile(everything, 0.5), percentile(everything, 0.95)
    lines.append(
        f"{'search: overall':<34}{p50:9.2f}{p95:9.2f}{p50 / ref50:10.1f}{p95 / ref95:10.1f}{len(everything):9d}"
    )
    l50, l95 = percentile(like_samples, 0.5), percentile(like_samples, 0.95)
    lines.append(
        f"{'comparison: LIKE %word% scan':<34}{l50:9.2f}{l95:9.2f}{l50 / ref50:10.1f}{l95 / ref95:10.1f}"
        f"{len(like_samples):9d}  (count over all extracted texts, single words)"
    )
    lines.append(f"\nqueries: {kinds}")
    lines.append(
        f"mean search latency {statistics.fmean(everything):.2f} ms; run took {time.perf_counter() - started_all:.0f} s"
    )
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
