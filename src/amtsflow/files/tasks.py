from celery import shared_task

from amtsflow.core.tasks import TenantTask


@shared_task(base=TenantTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def extract_text_task(self, *, tenant_id: int, version_id: int) -> str:  # noqa: ANN001, ARG001
    """Extract (and where needed OCR) the text of one document version; returns the final state."""
    from amtsflow.files import extraction

    return extraction.extract_version(version_id=version_id)
