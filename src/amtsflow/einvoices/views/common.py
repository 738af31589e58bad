from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from amtsflow.tenants.actor import Actor


def actor_of(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"einvoices:{name}", kwargs={"tenant_slug": request.tenant.slug, **kwargs})  # type: ignore[attr-defined]


def download(content: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """A stored file as a download; never rendered by the browser as a page of ours (nosniff, sandbox)."""
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266 quoting with a UTF-8 form for umlauts; quotes and line breaks in names cannot break out.
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response
