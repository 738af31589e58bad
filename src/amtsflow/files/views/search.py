"""Full-text search over files, cases and documents."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from amtsflow.core.exceptions import ValidationFailed
from amtsflow.core.forms import add_domain_error
from amtsflow.core.htmx import render_page
from amtsflow.files import forms, selectors
from amtsflow.files import search as files_search
from amtsflow.files.views.common import actor_of, page_query

PER_PAGE = 20


@dataclass(frozen=True)
class Pages:
    number: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def search_page(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    form = forms.SearchForm(request.GET, plan_entries=selectors.list_plan_entries(actor=actor))
    results, pages = None, None
    number = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    number = max(number, 1)
    if form.is_valid() and any(form.cleaned_data.values()):
        data = form.cleaned_data
        try:
            results = files_search.search(
                actor=actor,
                query=data["q"],
                kind=data["kind"] or None,
                plan_entry=data["plan_entry"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                status=data["status"] or None,
                direction=data["direction"] or None,
                limit=PER_PAGE,
                offset=(number - 1) * PER_PAGE,
            )
            pages = Pages(number=number, count=max(1, -(-results.total // PER_PAGE)))
        except ValidationFailed as error:
            add_domain_error(form, error)
    return render_page(
        request,
        "files/search.html",
        {
            "form": form,
            "results": results,
            "pages": pages,
            "first_position": (number - 1) * PER_PAGE + 1,
            "page_query": page_query(request),
        },
        fragment="files/partials/search_results.html",
        status=400 if form.errors else 200,
    )
