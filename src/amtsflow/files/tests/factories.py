"""Factories of the E-Akte: rows built without a request (the factory names the tenant), content really stored."""

import datetime as dt
import tempfile
from pathlib import Path

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from amtsflow.files.constants import AkteState, Confidentiality, DisposalAction
from amtsflow.files.models import Akte, AktenplanEntry, Blob, Document, DocumentVersion, Vorgang
from amtsflow.files.storage import store_blob
from amtsflow.tenants.models import Tenant
from amtsflow.tenants.tests.factories import ScopedFactory, TenantFactory


def stored_blob(tenant: Tenant, content: bytes) -> Blob:
    """Store `content` in the document storage the way uploads are stored and return its Blob."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "content"
        path.write_bytes(content)
        with scopes_disabled():
            return store_blob(tenant=tenant, path=path)


class AktenplanEntryFactory(ScopedFactory):
    class Meta:
        model = AktenplanEntry

    tenant = factory.SubFactory(TenantFactory)
    number = factory.Sequence(lambda n: f"9.{n:03d}")
    title = factory.Sequence(lambda n: f"Planposition Nummer {n:03d}")
    retention_years = 10
    disposal_action = DisposalAction.ARCHIVE
    accepts_files = True

    class Params:
        heading = factory.Trait(accepts_files=False)


class AkteFactory(ScopedFactory):
    class Meta:
        model = Akte

    tenant = factory.SubFactory(TenantFactory)
    plan_entry = factory.SubFactory(AktenplanEntryFactory, tenant=factory.SelfAttribute("..tenant"))
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    sequence = factory.Sequence(lambda n: n + 1)
    aktenzeichen = factory.LazyAttribute(lambda o: f"{o.plan_entry.number}/{o.year}/{o.sequence:04d}")
    title = factory.Sequence(lambda n: f"Akte Nummer {n:03d}")

    class Params:
        closed = factory.Trait(
            state=AkteState.CLOSED,
            closed_at=factory.LazyFunction(timezone.now),
            retention_until=factory.LazyAttribute(lambda o: dt.date(o.year + 10, 12, 31)),
        )
        confidential = factory.Trait(confidentiality=Confidentiality.CONFIDENTIAL)


class VorgangFactory(ScopedFactory):
    class Meta:
        model = Vorgang

    tenant = factory.SubFactory(TenantFactory)
    akte = factory.SubFactory(AkteFactory, tenant=factory.SelfAttribute("..tenant"))
    number = factory.Sequence(lambda n: n + 1)
    subject = factory.Sequence(lambda n: f"Vorgang Nummer {n:03d}")


class DocumentVersionFactory(ScopedFactory):
    class Meta:
        model = DocumentVersion

    class Params:
        content = factory.Sequence(lambda n: f"Schreiben Nummer {n}\n".encode())

    tenant = factory.SubFactory(TenantFactory)
    document = factory.SubFactory(
        "amtsflow.files.tests.factories.DocumentFactory", tenant=factory.SelfAttribute("..tenant")
    )
    number = 1
    blob = factory.LazyAttribute(lambda o: stored_blob(o.tenant, o.content))
    filename = "schreiben.txt"
    media_type = "text/plain"
    size = factory.LazyAttribute(lambda o: len(o.content))


class DocumentFactory(ScopedFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    tenant = factory.SubFactory(TenantFactory)
    vorgang = factory.SubFactory(VorgangFactory, tenant=factory.SelfAttribute("..tenant"))
    title = factory.Sequence(lambda n: f"Dokument Nummer {n:03d}")
    version = factory.RelatedFactory(
        DocumentVersionFactory, factory_related_name="document", tenant=factory.SelfAttribute("..tenant")
    )
