"""A person at a real browser, and the accessibility check run on every page they see.

Every navigation goes through `Visitor.goto` or `Visitor.navigates()`, which wait for the new
page and run axe-core on it. A page loaded any other way is caught at the end of the test:
`Visitor.assert_every_page_audited` fails when a page was seen that axe never checked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Download,
    Locator,
    Page,
    Response,
    expect,
)

from tests.helpers import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 200)})),
  }));
}"""


@dataclass
class AxeTally:
    """Every axe run of the session, for the summary printed at the end."""

    pages: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    def add(self, other: dict) -> None:
        """Another process's tally (a pytest-xdist worker's)."""
        self.pages += other.get("pages", [])
        self.violations += other.get("violations", [])
        self.seconds += other.get("seconds", 0.0)

    def summary(self) -> str:
        distinct = len({_pattern(url) for url in self.pages})
        return (
            f"axe: {len(self.pages)} pages checked, {len(self.violations)} violations "
            f"(WCAG 2.1 A and AA rules; {distinct} distinct pages; {self.seconds:.1f} s)"
        )


TALLY = AxeTally()


def _pattern(url: str) -> str:
    """The page a URL shows, with ids and query strings left out: /assessments/<n>/check/."""
    return re.sub(r"/\d+(?=/|$|\.)", "/<n>", urlsplit(url).path)


class Auditor:
    """Runs axe on pages. Pages of a context without JavaScript cannot run it, so their HTML
    is shown again, at the same address, in a page that can (the stylesheets load as before)."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.mirror: Page | None = None

    @staticmethod
    def prepare(context: BrowserContext) -> None:
        """Every page of the context gets axe-core as it opens. Injected by the browser, it runs
        whatever the app's Content-Security-Policy says, and that policy stays in force."""
        context.add_init_script(path=AXE_JS)

    def close(self) -> None:
        if self.mirror is not None:
            self.mirror.context.close()

    def check(self, page: Page, *, javascript: bool) -> None:
        started = time.perf_counter()
        target = page if javascript else self._mirror(page)
        violations = target.evaluate(RUN_AXE, WCAG_TAGS)
        TALLY.seconds += time.perf_counter() - started
        TALLY.pages.append(page.url)
        TALLY.violations += [f"{page.url} {v['id']}" for v in violations]
        assert not violations, _describe(page.url, violations)

    def _mirror(self, page: Page) -> Page:
        if self.mirror is None:
            context = self.browser.new_context()
            self.prepare(context)
            self.mirror = context.new_page()
        html, url = page.content(), page.url

        def same_page(candidate: str) -> bool:
            return candidate == url

        self.mirror.route(
            same_page, lambda route: route.fulfill(body=html, content_type="text/html")
        )
        self.mirror.goto(url)
        self.mirror.unroute(same_page)
        return self.mirror


def _describe(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} WCAG violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['html']}" for n in v["nodes"][:5]]
    return "\n".join(lines)


class Visitor:
    """One person's browser tab. Methods are the things a person does."""

    def __init__(self, page: Page, base_url: str, auditor: Auditor, *, javascript: bool) -> None:
        self.page = page
        self.base_url = base_url
        self.auditor = auditor
        self.javascript = javascript
        self.status: int | None = None  # of the last page loaded
        self._loaded = 0
        self._audited = 0
        page.on("load", self._on_load)
        page.on("response", self._on_response)
        self.csp_reports: list[str] = []
        page.on("console", self._on_console)

    def _on_load(self, _page: Page) -> None:
        self._loaded += 1

    def _on_response(self, response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.status = response.status

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp_reports.append(message.text)

    # Getting around ----------------------------------------------------------------------------

    def goto(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, (
            f"{path} answered {response and response.status}, expected {status}"
        )
        self.audit()

    @contextmanager
    def navigates(self, *, status: int | None = None) -> Iterator[None]:
        """Wraps an action that loads a new page (a click, Enter on a link or a button)."""
        with self.page.expect_event("load"):
            yield
        if status is not None:
            assert self.status == status, f"{self.page.url} answered {self.status}, not {status}"
        self.audit()

    def click(self, target: Locator, *, status: int | None = None) -> None:
        with self.navigates(status=status):
            target.click()

    def link(self, name: str | re.Pattern, **kwargs) -> None:
        self.click(self.page.get_by_role("link", name=name, exact=True).first, **kwargs)

    def button(self, name: str | re.Pattern, **kwargs) -> None:
        self.click(self.page.get_by_role("button", name=name, exact=True), **kwargs)

    def pdf(self, link: Locator) -> bytes:
        """Follows a link to a PDF and returns the file the person gets.

        Sent as an attachment, the PDF arrives as a download. Sent inline, Chromium shows it in
        its viewer, which hands the page no bytes: the test then fetches the same URL with
        the same session."""
        downloads = []

        def on_download(download: Download) -> None:
            downloads.append(download)

        self.page.on("download", on_download)
        rendered = self.page.expect_response(
            lambda r: r.request.is_navigation_request(), timeout=60_000
        )  # a PDF is rendered on demand: give it time on a busy machine
        with rendered as info:
            link.click(timeout=60_000)  # the click waits for the navigation it starts
        response = info.value
        self.page.remove_listener("download", on_download)
        assert response.status == 200, f"{response.url} answered {response.status}"
        assert response.headers["content-type"] == "application/pdf"
        if response.headers.get("content-disposition", "").startswith("attachment"):
            download = downloads[0] if downloads else self.page.wait_for_event("download")
            return Path(download.path()).read_bytes()
        self.page.wait_for_url(response.url)
        self.page.wait_for_load_state()
        self._audited = self._loaded  # the PDF viewer is no HTML page of the app
        return self.page.context.request.get(response.url).body()

    def back(self) -> None:
        """The browser's Back button."""
        self.page.go_back()
        if self._loaded > self._audited:  # not restored from the back-forward cache
            self.audit()

    def audit(self) -> None:
        self._audited = self._loaded
        self.auditor.check(self.page, javascript=self.javascript)

    def assert_every_page_audited(self) -> None:
        assert self._audited == self._loaded, "a page was loaded that axe did not check"
        assert not self.csp_reports, f"the Content-Security-Policy blocked: {self.csp_reports}"

    # Common errands ----------------------------------------------------------------------------

    def sign_in(self, username: str, *, password: str = PASSWORD) -> None:
        self.goto("/accounts/login/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(password)
        self.click(self.page.locator("main form button[type=submit]"), status=200)
        expect(self.page.locator("form[action$='/logout/']")).to_be_visible()

    def sign_out(self) -> None:
        self.click(self.page.locator("form[action$='/logout/'] button"))
        expect(self.page.locator("form[action$='/logout/']")).to_have_count(0)

    def switch_language(self, code: str) -> None:
        self.page.locator("#language-select").select_option(code)
        self.click(self.page.locator("form[action$='/setlang/'] button"))
        expect(self.page.locator("html")).to_have_attribute("lang", code)

    def region(self, name: str | re.Pattern) -> Locator:
        """A questionnaire item (a <section> labelled by its heading)."""
        return self.page.get_by_role("region", name=name)
