"""Settings for the test suite: the project's, in development mode.

The project's settings fail closed (DEBUG off unless set), so the tests say what they need
before reading them, as `make run` does.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")

from iamm.settings import *  # noqa: E402, F403
