"""Content-addressed blob storage: `blobs/<tenant>/<sha[:2]>/<sha256>` in the "documents" storage."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django_scopes import scopes_disabled

from amtsflow.files.models import Blob, DocumentVersion
from amtsflow.tenants.models import Tenant

CHUNK = 1024 * 1024


def document_storage() -> Storage:
    return storages["documents"]


def _storage_name(tenant: Tenant, sha256: str) -> str:
    return f"blobs/{tenant.pk}/{sha256[:2]}/{sha256}"


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def store_blob(*, tenant: Tenant, path: Path, sha256: str | None = None) -> Blob:
    """Store the file's content once per tenant and return its Blob (existing or new)."""
    with path.open("rb") as stream:
        digest = sha256 or sha256_of(stream)
        existing = Blob.objects.filter(tenant=tenant, sha256=digest).first()
        if existing is not None and document_storage().exists(existing.storage_name):
            return existing
        name = _storage_name(tenant, digest)
        storage = document_storage()
        if not storage.exists(name):
            # Written before the row: a crash leaves an orphan file, never a row without content.
            saved = storage.save(name, File(stream, name=digest))
            if saved != name:  # another writer won the race; same content, keep one copy
                storage.delete(saved)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Blob.objects.create(tenant=tenant, sha256=digest, size=path.stat().st_size, storage_name=name)
    except IntegrityError:
        return Blob.objects.get(tenant=tenant, sha256=digest)


def open_blob(blob: Blob) -> IO[bytes]:
    return document_storage().open(blob.storage_name, "rb")


@dataclass(frozen=True)
class BlobProblem:
    tenant_slug: str
    sha256: str
    storage_name: str
    problem: str  # "missing" or "hash mismatch: <actual>"


def verify_blobs(*, tenant: Tenant | None = None) -> Iterator[tuple[Blob, BlobProblem | None]]:
    """Re-hash every stored blob (of one tenant or all) and yield each with its problem, if any."""
    storage = document_storage()
    with scopes_disabled():
        blobs = Blob.objects.select_related("tenant").order_by("tenant_id", "pk")
        if tenant is not None:
            blobs = blobs.filter(tenant=tenant)
        for blob in blobs.iterator():
            if not storage.exists(blob.storage_name):
                yield blob, BlobProblem(blob.tenant.slug, blob.sha256, blob.storage_name, "missing")
                continue
            with storage.open(blob.storage_name, "rb") as stream:
                actual = sha256_of(stream)
            problem = None if actual == blob.sha256 else f"hash mismatch: {actual}"
            yield blob, problem and BlobProblem(blob.tenant.slug, blob.sha256, blob.storage_name, problem)


def delete_unreferenced_blobs(*, blob_ids: set[int]) -> list[Blob]:
    """Delete those of the given blobs no version references any more (after a destruction)."""
    referenced = set(DocumentVersion.objects.filter(blob_id__in=blob_ids).values_list("blob_id", flat=True)) | set(
        DocumentVersion.objects.filter(rendition_id__in=blob_ids).values_list("rendition_id", flat=True)
    )
    doomed = list(Blob.objects.filter(pk__in=blob_ids - referenced))
    storage = document_storage()
    for blob in doomed:
        name = blob.storage_name
        blob.delete()
        # The file goes only once the deletion is committed: a rollback must find its content.
        transaction.on_commit(lambda name=name: storage.delete(name))
    return doomed
