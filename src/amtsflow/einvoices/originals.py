"""The received files themselves, stored unchanged under their SHA-256 before anything reads them.

Content-addressed, so the same file arriving twice is stored once and a stored original can be checked
against its name at any time. Tenant rows (receipts) and provider rows (intakes) point to these names.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

PREFIX = "einvoice-originals"


def _storage() -> Storage:
    return storages["documents"]


def storage_name(sha256: str) -> str:
    return f"{PREFIX}/{sha256[:2]}/{sha256}"


def store(content: bytes) -> tuple[str, str]:
    """Write `content` once (if not already there) and return (sha256, storage name)."""
    digest = hashlib.sha256(content).hexdigest()
    name = storage_name(digest)
    storage = _storage()
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(content, name=digest))
        if saved != name:  # a concurrent writer stored the same content first
            storage.delete(saved)
    return digest, name


def read(name: str) -> bytes:
    with _storage().open(name, "rb") as stream:
        return stream.read()


def store_named(name: str, content: bytes) -> str:
    """Derived artefacts (validation reports, booking files) under a caller-chosen name, written once."""
    storage = _storage()
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(content))
