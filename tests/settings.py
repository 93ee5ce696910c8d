"""Settings for the test suite: the project's, in development mode.

The project's settings fail closed (DEBUG off unless set), so the tests say what they need
before reading them, as `make run` does.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
# A shared test machine can take many times the usual 1.5 s for a report; the tests of the
# time limit itself set their own.
os.environ.setdefault("PDF_RENDER_SECONDS", "600")

from iamm.settings import *  # noqa: E402, F403
