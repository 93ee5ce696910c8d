"""PDF rendering with WeasyPrint, through a URL fetcher that serves the app's own static files
and nothing else, so that nothing on the server's disk or network can end up in a PDF."""

from __future__ import annotations

import mimetypes
import posixpath
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .limits import bytes_before, render_deadline

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# Relative and root-relative URLs in report HTML resolve against this private origin (.invalid
# never resolves); the fetcher maps it to static files without any network access.
BASE_URL = "https://report.iamm.invalid/"
ALLOWED_TYPES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".svg", ".png", ".jpg", ".jpeg"}


class ResourceRefused(ValueError):
    pass


class StaticFilesFetcher(URLFetcher):
    """Serves the app's own static files to WeasyPrint and refuses everything else.

    Only `{BASE_URL}{STATIC_URL}…` is served, read from the static files finders (or
    STATIC_ROOT once collected). file:, data:, http(s): elsewhere and every other scheme raise,
    so nothing on the server's disk or network can end up in a PDF.
    """

    def __init__(self) -> None:
        # URLFetcher.__init__ installs urllib's network handlers (building an SSL context took 2 %
        # of each render); this fetcher never opens a URL, so it gets none of them.
        super(URLFetcher, self).__init__()
        self._fail_on_errors = False  # read by WeasyPrint's fetch(): refusals are warnings

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_prefix() -> str:
    """The path part of STATIC_URL ("/static/"), even when it names another host."""
    return "/" + urlsplit(settings.STATIC_URL).path.strip("/") + "/"


def static_path(url: str) -> Path:
    """The file a report URL names, or ResourceRefused."""
    base = urlsplit(BASE_URL)
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise ResourceRefused(f"Malformed URL: {url[:80]}") from exc
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise ResourceRefused(f"Only the app's static files can be used in reports: {url[:80]}")
    prefix = static_prefix()
    path = unquote(parts.path)
    if not path.startswith(prefix) or "\\" in path or "\x00" in path:
        raise ResourceRefused(f"Not a static file: {url[:80]}")
    relative = path[len(prefix) :]
    if posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
        raise ResourceRefused(f"Not a static file: {url[:80]}")
    if posixpath.splitext(relative)[1].lower() not in ALLOWED_TYPES:
        raise ResourceRefused(f"Not a file type reports use: {url[:80]}")
    try:
        found = finders.find(relative)
        if not found and settings.STATIC_ROOT:
            candidate = safe_join(str(settings.STATIC_ROOT), relative)
            found = candidate if Path(candidate).is_file() else None
    except SuspiciousFileOperation as exc:
        raise ResourceRefused(f"Not a static file: {url[:80]}") from exc
    if not found or not Path(found).is_file():
        raise ResourceRefused(f"No such static file: {url[:80]}")
    return Path(found)


STYLESHEET = "reports/report.css"
INTER_TAG_SPACE = re.compile(r">\s+<")
_thread = threading.local()


def _print_stylesheet(url_fetcher: URLFetcher) -> tuple[FontConfiguration, weasyprint.CSS]:
    """The report stylesheet, parsed once per thread with its fonts loaded.

    Parsing the CSS and loading its fonts took a tenth of each render; a font configuration
    must not be shared between threads, hence one per thread. Reloaded when the file changes.
    """
    path = Path(finders.find(STYLESHEET) or safe_join(str(settings.STATIC_ROOT), STYLESHEET))
    key = (str(path), path.stat().st_mtime_ns)
    cached = getattr(_thread, "stylesheet", None)
    if cached is None or cached[0] != key:
        font_config = FontConfiguration()
        css = weasyprint.CSS(
            url=urljoin(BASE_URL, static_prefix() + STYLESHEET),
            url_fetcher=url_fetcher,
            font_config=font_config,
        )
        cached = _thread.stylesheet = (key, font_config, css)
    return cached[1], cached[2]


def html_to_pdf(html: str, *, url_fetcher: URLFetcher | None = None) -> bytes:
    """A tagged PDF (PDF/UA-1) of report HTML, styled by the report stylesheet, with no
    embedded attachments."""
    url_fetcher = url_fetcher or StaticFilesFetcher()
    font_config, css = _print_stylesheet(url_fetcher)
    # Template indentation is a tenth of the HTML and WeasyPrint's parser is pure Python; any
    # whitespace between two tags means the same as a single newline (user text is escaped, so
    # no "<" or ">" of its own can border the whitespace it keeps).
    html = INTER_TAG_SPACE.sub(">\n<", html)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).render(
        stylesheets=[css], font_config=font_config, **PDF_OPTIONS
    )
    # Attachments would copy files into the PDF; reports never have any, so drop whatever
    # <link rel=attachment> or <a rel=attachment> might have asked for.
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]
    return document.write_pdf(**PDF_OPTIONS)


def html_to_pdf_in_time(html: str) -> bytes:
    """A PDF made while the person waits (a workshop's debriefs, a regional report: a few
    pages of figures, not worth a queue), laid out like a queued render in a child process that
    is stopped at PDF_RENDER_SECONDS (RenderTimeout), so that no text can hold a web worker
    longer."""
    return bytes_before(lambda: html_to_pdf(html), deadline=render_deadline())
