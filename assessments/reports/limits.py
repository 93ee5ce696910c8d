"""PDF renders within a time limit, and one render at a time for the same PDF.

A report whose text makes WeasyPrint slow must not hold a gunicorn worker past its timeout
(the request would die with a 500 and, with a few of them, every worker would be busy), and
two people asking for the same new PDF must not render it twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import select
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

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
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read_fd)
            data = make()
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
            status = 0
        except BaseException:
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
                    raise RuntimeError("The PDF renderer failed (its error is in the log).")
                return b"".join(chunks)
        raise RenderTimeout
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


@contextmanager
def one_at_a_time(key: str, *, deadline: float) -> Iterator[None]:
    """Hold the lock named `key`, an flock on a file under MEDIA_ROOT/locks, so shared by every
    process of the server; wait for it until `deadline`, then RenderTimeout."""
    lock_dir = Path(settings.MEDIA_ROOT) / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".lock")
    with open(path, "a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RenderTimeout from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def render_deadline() -> float:
    """When a render that starts now must have ended (PDF_RENDER_SECONDS)."""
    return time.monotonic() + settings.PDF_RENDER_SECONDS
