from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from amtsflow.tenants.actor import Actor


def actor_of(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"einvoices:{name}", kwargs={"tenant_slug": request.tenant.slug, **kwargs})  # type: ignore[attr-defined]


def download(content: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """A stored file as a download; never rendered by the browser as a page of ours (nosniff, sandbox)."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
    response["Content-Disposition"] = f'{disposition}; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response
