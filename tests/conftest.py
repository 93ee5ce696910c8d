from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Real hashing costs a third of a second per user; tests create dozens.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    # A request through the test client leaves its language active in the thread (the locale
    # middleware activates it; nothing deactivates it), so a test that ran after a Spanish page
    # saw Spanish labels. Found when the tests first ran in two workers, in another order.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    # Tasks (PDF renders) run inside the request that queues them, so a test sees the result;
    # tests of the queue itself switch to the dummy backend, which only records them.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


# The browser tests' accessibility summary (tests/e2e). Under pytest-xdist (`make test` runs
# two workers) each worker keeps its own tally and hands it over when it finishes; the summary
# is printed once, by the process that prints the report.


def pytest_sessionfinish(session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker
        from tests.e2e.browser import TALLY

        workeroutput["axe_tally"] = TALLY.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    from tests.e2e.browser import TALLY

    TALLY.add(node.workeroutput.get("axe_tally") or {})


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.e2e.browser import TALLY

    if TALLY.pages:
        terminalreporter.write_line(TALLY.summary())
