"""Rendering helpers for htmx pages: a full page normally, the fragment alone on HX-Request."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    chosen = fragment if fragment and getattr(request, "htmx", False) else template
    return render(request, chosen, context, status=status)
