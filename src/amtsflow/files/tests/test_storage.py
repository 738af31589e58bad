"""Content-addressed storage: one copy per tenant and content, verification finds tampering, safe deletion."""

import hashlib

import pytest
from django_scopes import scopes_disabled

from amtsflow.files import services
from amtsflow.files.models import Blob
from amtsflow.files.storage import delete_unreferenced_blobs, verify_blobs
from amtsflow.files.tests.factories import stored_blob
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def _problems(**kwargs: object) -> dict[str, str]:
    return {blob.sha256: problem.problem for blob, problem in verify_blobs(**kwargs) if problem is not None}


def test_same_content_is_stored_once_per_tenant(tenant_a, tenant_b, document_root) -> None:  # noqa: ANN001
    first, again = stored_blob(tenant_a, b"Bescheid\n"), stored_blob(tenant_a, b"Bescheid\n")
    other = stored_blob(tenant_b, b"Bescheid\n")
    assert first.pk == again.pk and other.pk != first.pk
    assert first.sha256 == other.sha256 == hashlib.sha256(b"Bescheid\n").hexdigest()
    assert first.storage_name != other.storage_name  # tenants never share files, even with equal content
    assert (document_root / first.storage_name).read_bytes() == b"Bescheid\n"


def test_verification_passes_then_finds_tampered_and_missing_content(
    tenant_a, tenant_b, clerk, vorgang, document_root
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        services.file_document(actor=clerk, vorgang=vorgang, upload=b"Antrag\n", filename="antrag.txt")
        services.file_document(actor=clerk, vorgang=vorgang, upload=b"Bescheid\n", filename="bescheid.txt")
    foreign = stored_blob(tenant_b, b"Fremd\n")
    assert [problem for _blob, problem in verify_blobs()] == [None, None, None]
    with scopes_disabled():
        tampered, deleted = Blob.objects.filter(tenant=tenant_a).order_by("pk")

    # On purpose: overwrite one blob's bytes (same length, so only the hash can tell) and delete another.
    forged = b"Antraq\n"
    (document_root / tampered.storage_name).write_bytes(forged)
    (document_root / deleted.storage_name).unlink()

    problems = _problems()
    assert problems == {
        tampered.sha256: f"hash mismatch: {hashlib.sha256(forged).hexdigest()}",
        deleted.sha256: "missing",
    }
    assert _problems(tenant=tenant_b) == {}
    assert foreign.sha256 not in problems


def test_unreferenced_blobs_go_only_after_commit(
    tenant_a, clerk, vorgang, document_root, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        document = services.file_document(actor=clerk, vorgang=vorgang, upload=b"Behalten\n", filename="a.txt")
        kept = document.versions.get().blob
        orphan = stored_blob(tenant_a, b"Verwaist\n")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            deleted = delete_unreferenced_blobs(blob_ids={kept.pk, orphan.pk})
        assert [blob.sha256 for blob in deleted] == [orphan.sha256]
        assert not Blob.objects.filter(pk=orphan.pk).exists() and Blob.objects.filter(pk=kept.pk).exists()
        # A rollback must still find the content: the file goes with the commit, not before.
        assert (document_root / orphan.storage_name).exists()
        for callback in callbacks:
            callback()
        assert not (document_root / orphan.storage_name).exists()
        assert (document_root / kept.storage_name).exists()
