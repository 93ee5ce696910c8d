"""`make loadtest`: a bounded run of simulated officials against gunicorn on PostgreSQL.

It creates a throwaway database, starts gunicorn with several workers on 127.0.0.1 only, and
lets N officials (threads, each with its own session) read task lists, save answers to the same
and to different assessments, and download reports, for a fixed time. Afterwards it checks that
every save the server accepted is in the database and every one it refused was reported as a
conflict, and prints throughput, latency percentiles and errors.

Settings (environment): LOADTEST_USERS (50), LOADTEST_SECONDS (60), LOADTEST_WORKERS (5),
LOADTEST_DB (postgres://postgres@127.0.0.1:5432/iamm_load).
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", int(os.environ.get("LOADTEST_PORT", "8765"))
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "5"))
DB_URL = os.environ.get("LOADTEST_DB", "postgres://postgres@127.0.0.1:5432/iamm_load")
PASSWORD = "load-test-password-7f3a"
ASSESSMENTS = 5  # officials share a few assessments, so some saves collide

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "iamm.settings",
    "DATABASE_URL": DB_URL,
    "DEBUG": "false",
    "SECRET_KEY": "load-test-only-" + uuid.uuid4().hex,
    "ALLOWED_HOSTS": HOST,
    # Plain HTTP on loopback: no TLS redirect or secure-only cookies for this run.
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOGIN_THROTTLE_DISABLED": "true",
    "TWO_FACTOR_REQUIRED_ROLES": "",
    "LOG_LEVEL": "ERROR",
}


@dataclass
class Save:
    user: str
    answer_ids: list[int]
    marker: str
    status: int


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(error)


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=ENV, check=True)


def prepare_database() -> list[int]:
    """A fresh database with the IAMM, one country's team and a few assessments."""
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(DB_URL)
    admin_dsn = f"host={params['HOST']} port={params['PORT'] or 5432} user={params['USER']}"
    with psycopg.connect(admin_dsn + " dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{params["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{params["NAME"]}"')
    manage("migrate", "--noinput", "-v", "0")
    manage("loaddata", "iamm", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    script = f"""
from assessments.models import User
from assessments.questionnaire.services import assessment_create
from iamm.models import FrameworkVersion
from django.contrib.auth.hashers import make_password
version = FrameworkVersion.objects.get(code="iamm-2005")
password = make_password({PASSWORD!r})
users = User.objects.bulk_create([
    User(username=f"official{{n}}", country="QZ", role="contributor", password=password)
    for n in range({USERS})
])
ids = [
    assessment_create(country="QZ", framework_version=version, cycle=2020 + n,
                      created_by=users[0]).pk
    for n in range({ASSESSMENTS})
]
print(",".join(map(str, ids)))
"""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [int(pk) for pk in out.strip().splitlines()[-1].split(",")]


class Official:
    """One simulated person with a session of their own."""

    def __init__(self, username: str, results: Results) -> None:
        self.username = username
        self.results = results
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)

    def request(
        self, method: str, path: str, data: dict | None = None, kind: str = "page"
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            self.results.record(kind, time.perf_counter() - started, f"{method} {path}: {error}")
            return 0, ""
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        error = None if response.status < 500 else f"{method} {path}: HTTP {response.status}"
        self.results.record(kind, time.perf_counter() - started, error)
        if response.headers.get("Content-Type", "").startswith("application/pdf"):
            return response.status, ""
        return response.status, payload.decode("utf-8", "replace")

    def csrf(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match.group(1) if match else ""

    def login(self) -> None:
        _status, page = self.request("GET", "/accounts/login/")
        status, _page = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf(page),
                "username": self.username,
                "password": PASSWORD,
            },
            kind="sign-in",
        )
        if status != 302:
            self.results.errors.append(f"login of {self.username} answered {status}")

    def save_section(self, assessment: int, order: int) -> None:
        path = f"/assessments/{assessment}/sections/{order}/"
        status, page = self.request("GET", path)
        if status != 200:
            return
        marker = uuid.uuid4().hex
        data: dict[str, str] = {"later": "1", "csrfmiddlewaretoken": self.csrf(page)}
        ids = []
        for answer_id, version in re.findall(r'name="a(\d+)-version" value="(\d+)"', page):
            ids.append(int(answer_id))
            prefix = f"a{answer_id}"
            data |= {
                f"{prefix}-version": version,
                f"{prefix}-level": random.choice("01234"),
                f"{prefix}-target": "4",
                f"{prefix}-evidence": f"{self.username} {marker}",
            }
        # Someone else may save in between: the "think time" of a real official.
        time.sleep(random.uniform(0, 0.5))
        status, page = self.request("POST", path, data, kind="save")
        if status == 409 and "Someone else changed" not in page:
            self.results.errors.append(f"409 without a conflict page on {path}")
        elif status not in (302, 409):
            self.results.errors.append(f"save on {path} answered {status}")
        with self.results.lock:
            self.results.saves.append(Save(self.username, ids, marker, status))

    def run(self, assessments: list[int], deadline: float) -> None:
        rng = random.Random(self.username)
        # Officials arrive over the first ten seconds, not all in the same instant.
        time.sleep(rng.uniform(0, min(10, SECONDS / 4)))
        self.login()
        while time.monotonic() < deadline:
            assessment = rng.choice(assessments)
            roll = rng.random()
            if roll < 0.45:
                self.request("GET", f"/assessments/{assessment}/", kind="task list")
            elif roll < 0.97:
                # Half the saves go to heading 1 of the first assessment: real collisions.
                if rng.random() < 0.5:
                    self.save_section(assessments[0], 1)
                else:
                    self.save_section(assessment, rng.randint(0, 20))
            else:
                self.request("GET", f"/assessments/{assessment}/report.pdf", kind="report PDF")
            # Reading the page before the next click.
            time.sleep(rng.uniform(0.5, 2.0))


def verify(results: Results) -> tuple[int, int, int]:
    """(accepted saves found, accepted saves lost, refused saves wrongly stored)."""
    import django

    os.environ.update(ENV)
    django.setup()
    from assessments.models import AnswerChange

    stored: set[tuple[str, int, str]] = set()
    for change in AnswerChange.objects.select_related("changed_by").iterator():
        new_evidence = change.changes.get("evidence", ["", ""])[1]
        stored.add((change.changed_by.username, change.answer_id, new_evidence.split(" ")[-1]))
    found = lost = leaked = 0
    for save in results.saves:
        keys = {(save.user, answer_id, save.marker) for answer_id in save.answer_ids}
        if save.status == 302:
            if keys <= stored:
                found += 1
            else:
                lost += 1
        elif keys & stored:
            leaked += 1
    return found, lost, leaked


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def main() -> int:
    print(f"Preparing {DB_URL.rsplit('/', 1)[-1]}: {USERS} officials, {ASSESSMENTS} assessments")
    assessments = prepare_database()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "iamm.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"{HOST}:{PORT}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=ENV,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection(HOST, PORT, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        results = Results()
        officials = [Official(f"official{n}", results) for n in range(USERS)]
        started = time.monotonic()
        deadline = started + SECONDS
        threads = [threading.Thread(target=o.run, args=(assessments, deadline)) for o in officials]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    found, lost, leaked = verify(results)
    accepted = sum(s.status == 302 for s in results.saves)
    conflicts = sum(s.status == 409 for s in results.saves)
    ms = [s * 1000 for values in results.latencies.values() for s in values]
    print(f"gunicorn workers:      {WORKERS}")
    print(f"simulated officials:   {USERS} for {elapsed:.1f} s")
    print(f"requests:              {len(ms)} ({len(ms) / elapsed:.1f} per second)")
    for kind, values in [("all", ms)] + [
        (kind, [s * 1000 for s in values]) for kind, values in sorted(results.latencies.items())
    ]:
        print(
            f"latency ms {kind + ':':11} p50 {percentile(values, 50):6.0f}"
            f"  p95 {percentile(values, 95):6.0f}  p99 {percentile(values, 99):6.0f}"
            f"  max {max(values):6.0f}  (n={len(values)})"
        )
    print(f"saves:                 {accepted} accepted, {conflicts} refused as conflicts")
    print(f"accepted saves stored: {found} of {accepted} (lost: {lost})")
    print(f"refused saves stored:  {leaked}")
    print(f"errors:                {len(results.errors)}")
    for error in results.errors[:10]:
        print(f"  {error}")
    ok = not results.errors and lost == 0 and leaked == 0 and found == accepted
    print("RESULT:", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
