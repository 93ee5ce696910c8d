"""How the app's processes are set up for load (issue 16): a web worker keeps its database
connection and keeps its long-lived objects away from the garbage collector; a PDF render's
child process does no garbage collection at all."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from assessments.reports.limits import bytes_before


def settings_of(script: str, **env: str) -> str:
    """What `script` prints in a fresh process with these environment variables."""
    return run_setup(script, **env).stdout.strip()


def run_setup(script: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "iamm.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=True,
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [("postgres://postgres@127.0.0.1:5432/iamm", "60 True"), ("sqlite:///var/x.db", "0 False")],
)
def test_postgresql_connections_are_kept_between_requests(url, expected):
    printed = settings_of(
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        " print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        DATABASE_URL=url,
    )
    assert printed == expected


def test_an_explicit_connection_age_wins():
    printed = settings_of(
        "from django.conf import settings as s; print(s.DATABASES['default']['CONN_MAX_AGE'])",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/iamm",
        DB_CONN_MAX_AGE="0",
    )
    assert printed == "0"


def test_the_web_worker_loads_its_views_and_freezes_them():
    printed = settings_of(
        "import gc, sys; import iamm.wsgi;"
        " print(gc.get_freeze_count() > 10000, 'assessments.questionnaire.views' in sys.modules)"
    )
    assert printed == "True True"


def test_a_render_child_collects_no_garbage_and_the_parent_still_does():
    assert gc.isenabled()
    child = bytes_before(lambda: str(gc.isenabled()).encode(), deadline=time.monotonic() + 30)
    assert child == b"False"
    assert gc.isenabled()


def test_a_django_log_record_is_printed_once():
    # Django's own console handler (DEBUG only) and the root's printed each record twice.
    printed = run_setup("import logging; logging.getLogger('django.tasks').info('worker says hi')")
    assert printed.stderr.count("worker says hi") == 1


def test_a_render_child_leaves_ctrl_c_to_its_parent():
    # Ctrl+C reaches the whole process group; the worker finishes the render it is on.
    def interrupted():
        os.kill(os.getpid(), signal.SIGINT)
        return b"finished"

    assert bytes_before(interrupted, deadline=time.monotonic() + 30) == b"finished"


def test_a_render_child_ends_itself_at_the_deadline_should_its_parent_be_killed():
    seconds_left = bytes_before(
        lambda: str(signal.alarm(0)).encode(), deadline=time.monotonic() + 30
    )
    assert 29 <= int(seconds_left) <= 30


def test_runserver_keeps_its_request_lines_format():
    printed = run_setup(
        "import logging; logging.getLogger('django.server').info('\"GET / HTTP/1.1\" 200 7')"
    )
    assert printed.stderr.startswith("[") and printed.stderr.count("GET /") == 1


def test_two_writes_at_once_on_sqlite_take_turns(tmp_path):
    # SQLite takes no row locks: two transactions that read, then write (a double click on
    # "Validate") left the second failing at once with "database is locked".
    database = tmp_path / "turns.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "iamm.settings", "DEBUG": "true"}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    run = "import django; django.setup(); from django.db import connection, transaction; "
    subprocess.run(
        [sys.executable, "-c", run + "connection.cursor().execute('CREATE TABLE t (n int)')"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    write = run + (
        "import time\n"
        "with transaction.atomic(), connection.cursor() as c:\n"
        "    c.execute('SELECT count(*) FROM t'); time.sleep(0.5)\n"
        "    c.execute('INSERT INTO t VALUES (1)')\n"
    )
    both = [
        subprocess.Popen([sys.executable, "-c", write], cwd=settings.BASE_DIR, env=env)
        for _ in range(2)
    ]
    assert [process.wait(timeout=60) for process in both] == [0, 0]
