"""Rendering helpers for htmx pages: a full page normally, the fragment alone on HX-Request."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    # A history restore wants the whole page back, not the fragment.
    wants_fragment = bool(fragment and htmx and not htmx.history_restore_request)
    response = render(request, fragment if wants_fragment else template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # caches must not mix up page and fragment
    return response
