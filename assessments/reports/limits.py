"""PDF renders within a time limit.

A report whose text makes WeasyPrint slow must not hold a task worker for minutes (every PDF
queued behind it would wait). One render per PDF is not kept here but by the render record's
unique key (assessments.models.PdfRender, assessments.reports.queue).
"""

from __future__ import annotations

import gc
import math
import os
import select
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable

from django.conf import settings

# Python warns that a child forked from a process with threads may deadlock on a lock another
# thread held. Here the child only lays out a PDF, and if it ever hangs it is killed at its
# deadline like any slow render; gunicorn's sync workers have no other threads anyway.
warnings.filterwarnings(
    "ignore",
    message=r"This process .* is multi-threaded, use of fork\(\)",
    category=DeprecationWarning,
)


class RenderTimeout(Exception):
    """A PDF took longer than PDF_RENDER_SECONDS; its render was stopped."""


def bytes_before(make: Callable[[], bytes], *, deadline: float) -> bytes:
    """`make()` run in a forked child that is killed at `deadline` (time.monotonic()), when
    RenderTimeout is raised.

    A render cannot be interrupted safely from inside (WeasyPrint spends its time in pure
    Python and in Pango; a signal would leave either half-done and the worker unusable), so it
    runs in a child process: killing the child ends the render cleanly, whatever it was doing.
    The child inherits everything already imported, so forking costs milliseconds; it only
    computes and writes bytes to a pipe, and leaves with os._exit, so it never touches the
    parent's database connections. The parent loads no fonts for it: WeasyPrint's font
    configurations are not independent of each other within one process (a thread's, once
    dropped, spoilt the glyphs of another's), so each render's fonts live and die with its child.
    A render that fails in the child raises RuntimeError here with the child's error.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        # The child's memory goes back whole when it exits, so the cyclic collector would only
        # spend time: left running, it took about a tenth of a render's CPU, and it traversed
        # the parent's objects too, copying the pages they sit on.
        gc.disable()
        # The parent decides when the child stops: it kills it at the deadline or when it
        # leaves itself. So Ctrl+C and a stop signal, which reach the whole process group, are
        # not the child's to handle (the worker's handlers, inherited, printed a second
        # "shutting down" and, on a second Ctrl+C, a traceback). The alarm ends a child whose
        # parent was killed outright, at the deadline, like any slow render.
        for stop in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
            signal.signal(stop, signal.SIG_IGN)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(max(1, math.ceil(deadline - time.monotonic())))
        try:
            os.close(read_fd)
            try:
                data = make()
            except BaseException as error:
                traceback.print_exc(file=sys.stderr)
                # The parent reports it (a failed render's record says why); status 1 tells
                # the parent these bytes are an error, not a PDF.
                data = f"{type(error).__name__}: {error}".encode()
            else:
                status = 0
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
        except BrokenPipeError:
            status = 2  # the parent has gone: there is nobody to tell
        except BaseException:
            status = 2
            traceback.print_exc(file=sys.stderr)
        finally:
            os._exit(status)
    os.close(write_fd)
    chunks: list[bytes] = []
    try:
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while (remaining := deadline - time.monotonic()) > 0:
                if not select.select([pipe], [], [], remaining)[0]:
                    break
                chunk = pipe.read(1 << 20)
                if chunk:
                    chunks.append(chunk)
                    continue
                _pid, status = os.waitpid(pid, 0)
                pid = 0
                if os.waitstatus_to_exitcode(status) != 0:
                    error = b"".join(chunks).decode(errors="replace")[:1000]
                    raise RuntimeError(f"The PDF renderer failed: {error or 'see the log'}")
                return b"".join(chunks)
        raise RenderTimeout
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def render_deadline() -> float:
    """When a render that starts now must have ended (PDF_RENDER_SECONDS)."""
    return time.monotonic() + settings.PDF_RENDER_SECONDS
