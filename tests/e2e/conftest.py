"""Browser tests: Debian's Chromium, driven by Playwright, against the live test server.

One browser for the whole session; every test gets fresh contexts (no cookies). Failing tests
leave a screenshot and the HTML of each of their pages in test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from . import demoland, flow
from .browser import AXE_JS, ROOT, Auditor, Visitor

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",  # needed when running as root (CI)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts"
PAGES = pytest.StashKey[list[Page]]()


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """One browser for all the browser tests. Package-scoped, not session-scoped: while
    Playwright's sync API runs, an event loop is running in the test thread, and Django refuses
    ORM calls under a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Both must end with
    these tests, before the rest of the suite (and its subprocesses) runs."""
    missing = [str(p) for p in (CHROMIUM, AXE_JS) if not p.exists()]
    if missing:
        pytest.fail(f"Missing {', '.join(missing)}: run `make install` (apt chromium, npm ci).")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def e2e_settings(settings, tmp_path):
    settings.TWO_FACTOR_REQUIRED_ROLES = []  # the scenarios sign in with a password only
    settings.AXES_ENABLED = False  # many sign-ins from one address
    settings.MEDIA_ROOT = tmp_path / "media"  # rendered PDFs, never var/media
    return settings


@pytest.fixture
def open_browser(
    request: pytest.FixtureRequest, chromium: Browser, live_server, e2e_settings
) -> Iterator[Callable[..., Visitor]]:
    """Opens a fresh browser window for a person: `open_browser()`, or without JavaScript."""
    auditor = Auditor(chromium)
    visitors: list[Visitor] = []
    request.node.stash[PAGES] = []

    def open_(*, javascript: bool = True) -> Visitor:
        context = chromium.new_context(
            java_script_enabled=javascript,
            locale="en-GB",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        Auditor.prepare(context)
        # Browsers ask for it on every page; the app has none, and the 404s clutter the log.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        page = context.new_page()
        request.node.stash[PAGES].append(page)
        visitor = Visitor(page, live_server.url, auditor, javascript=javascript)
        visitors.append(visitor)
        return visitor

    yield open_
    try:
        for visitor in visitors:
            visitor.assert_every_page_audited()
    finally:
        for visitor in visitors:
            visitor.page.context.close()
        auditor.close()


@pytest.fixture
def team() -> demoland.Team:
    return demoland.team()


@pytest.fixture
def en(team) -> flow.Words:
    return flow.words("en")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and report.when in ("setup", "call"):
        kept = _keep_artifacts(item)
        if kept:
            report.sections.append(("artifacts", "\n".join(kept)))
    return report


def _keep_artifacts(item: pytest.Item) -> list[str]:
    """A screenshot and the HTML of each page the test still has open."""
    pages = [p for p in item.stash.get(PAGES, []) if not p.is_closed()]
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / re.sub(r"[^\w-]+", "_", item.nodeid)
    kept = []
    for n, page in enumerate(pages, start=1):
        try:
            page.screenshot(path=f"{stem}-{n}.png", full_page=True)
            Path(f"{stem}-{n}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # an artifact must never hide the test's own failure
            Path(f"{stem}-{n}.txt").write_text(f"No artifact: {error}", encoding="utf-8")
        kept.append(f"{stem}-{n}.png and .html ({page.url})")
    return kept
