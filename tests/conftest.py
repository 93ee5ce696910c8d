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
