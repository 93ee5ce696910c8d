"""Small helpers shared by the views of every package (no view imports another view module),
and the one rule on HTTP methods that every view follows."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import render

from .reports.limits import RenderTimeout

# The pages and forms use GET and POST (and HEAD, as HTTP has it). Views that read both took
# any other method (PUT, DELETE…) for a GET; refused here, for every view, present and future.
ALLOWED_METHODS = ("GET", "HEAD", "POST")


def http_methods_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return get_response(request)

    return middleware


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data, or None on GET: an empty POST must still bind (and fail) the form."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, next to the field it is about."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A file to save (`filename`), never kept by a shared cache: it holds a country's data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def pdf_attachment(request: HttpRequest, make_pdf: Callable[[], bytes], filename: str):
    """A PDF made while the person waits, to save; if it took longer than PDF_RENDER_SECONDS,
    a page that says so (503) instead."""
    try:
        content = make_pdf()
    except RenderTimeout:
        return render(request, "reports/pdf_too_long.html", status=503)
    return attachment(content, "application/pdf", filename)
