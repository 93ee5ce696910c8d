"""`make loadtest`: bounded runs of simulated officials against gunicorn on PostgreSQL.

It creates a throwaway database, starts gunicorn with several workers on 127.0.0.1 only (and the
PDF task worker, when the app has one), and runs two scenarios:

- officials: N officials of one country (threads, each with its own session) read task lists,
  save answers to the same and to different assessments, and ask for report PDFs, for a fixed
  time;
- workshop: 45 delegates of 15 countries (three per country, one assessment each) open the same
  heading at the same moment, fill it in, and save, for a few rounds.

Afterwards it checks that every save the server accepted is in the database and every one it
refused was reported as a conflict, and prints throughput, latency percentiles, the PDF queue's
wait and render times, and errors. The run fails on any error (a GET that does not answer 200,
a 5xx, a lost or leaked save), when no save was accepted, or when a latency target is missed.

Settings (environment): LOADTEST_USERS (50), LOADTEST_SECONDS (60), LOADTEST_WORKERS (5),
LOADTEST_PORT (8765), LOADTEST_DB (postgres://postgres@127.0.0.1:5432/iamm_load: use a name of
your own on a shared machine), LOADTEST_SCENARIOS ("officials,workshop"),
LOADTEST_WORKSHOP_ROUNDS (4), LOADTEST_WORKSHOP_SECTION (1), LOADTEST_PDF_WORKERS (2) and
LOADTEST_PDF_NICENESS (19, as the README advises beside gunicorn).
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
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", int(os.environ.get("LOADTEST_PORT", "8765"))
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "5"))
DB_URL = os.environ.get("LOADTEST_DB", "postgres://postgres@127.0.0.1:5432/iamm_load")
SCENARIOS = os.environ.get("LOADTEST_SCENARIOS", "officials,workshop").split(",")
WORKSHOP_ROUNDS = int(os.environ.get("LOADTEST_WORKSHOP_ROUNDS", "4"))
WORKSHOP_SECTION = int(os.environ.get("LOADTEST_WORKSHOP_SECTION", "1"))
PASSWORD = "load-test-password-7f3a"
ASSESSMENTS = 5  # officials share a few assessments, so some saves collide
# Fifteen countries of a regional process, three delegates each.
WORKSHOP_COUNTRIES = "SN ML NE BF CI GH NG GM GN MR MA DZ TN CV TG".split()  # noqa: SIM905
DELEGATES_PER_COUNTRY = 3
PDF_READY_SECONDS = 60  # a PDF not ready by then is an error
PDF_WORKERS = int(os.environ.get("LOADTEST_PDF_WORKERS", "2"))
PDF_WORKER_NICENESS = int(os.environ.get("LOADTEST_PDF_NICENESS", "19"))
# The servers' own output (a warning per refused save, a line per task run) goes to files here,
# not between the figures; the run ends by saying what they hold.
LOG_DIR = BASE_DIR / "var" / "loadtest"

# p95 targets in milliseconds, per request kind (issue 16). The workshop opens one heading for
# 45 people in the same second, a burst no pool of 5 workers on 2 cores serves within 300 ms,
# so its page target allows for the burst; its saves, spread by the time people take to
# answer, have the everyday target.
TARGETS_MS = {
    "officials": {"page": 300, "save": 300, "task list": 300, "PDF ready": 10_000},
    "workshop": {"page": 1000, "save": 300},
}

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

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=ENV, check=True)


def django_script(script: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def prepare_database() -> dict[str, list[int]]:
    """A fresh database with the IAMM, one country's team and a few assessments, and the
    workshop's fifteen countries with three delegates and one assessment each."""
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
    out = django_script(f"""
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
officials = [
    assessment_create(country="QZ", framework_version=version, cycle=2020 + n,
                      created_by=users[0]).pk
    for n in range({ASSESSMENTS})
]
workshop = []
for country in {WORKSHOP_COUNTRIES!r}:
    delegates = User.objects.bulk_create([
        User(username=f"delegate-{{country}}-{{n}}", country=country, role="contributor",
             password=password)
        for n in range({DELEGATES_PER_COUNTRY})
    ])
    workshop.append(assessment_create(country=country, framework_version=version, cycle=2026,
                                      created_by=delegates[0]).pk)
print(",".join(map(str, officials)))
print(",".join(map(str, workshop)))
""")
    officials, workshop = out.strip().splitlines()[-2:]
    return {
        "officials": [int(pk) for pk in officials.split(",")],
        "workshop": [int(pk) for pk in workshop.split(",")],
    }


class Official:
    """One simulated person with a session of their own."""

    def __init__(self, username: str, results: Results) -> None:
        self.username = username
        self.results = results
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        kind: str = "page",
        expect: tuple[int, ...] | None = None,
    ) -> tuple[int, str, dict[str, str]]:
        """(status, body, headers). A GET answers 200 unless `expect` says otherwise; any other
        answer, and any 5xx to a POST, is an error."""
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
            return 0, "", {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        if expect is None:
            expect = (200,) if method == "GET" else tuple(range(100, 500))
        error = None
        if response.status not in expect:
            error = f"{method} {path}: HTTP {response.status} (expected {expect[0]})"
        self.results.record(kind, time.perf_counter() - started, error)
        response_headers = {k.lower(): v for k, v in response.headers.items()}
        if response_headers.get("content-type", "").startswith("application/pdf"):
            return response.status, "%PDF" if payload.startswith(b"%PDF") else "", response_headers
        return response.status, payload.decode("utf-8", "replace"), response_headers

    def csrf(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match.group(1) if match else ""

    def login(self) -> bool:
        _status, page, _headers = self.request("GET", "/accounts/login/", kind="sign-in")
        status, _page, _headers = self.request(
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
            self.results.error(f"login of {self.username} answered {status}")
        return status == 302

    def open_section(self, assessment: int, order: int) -> tuple[str, str] | None:
        path = f"/assessments/{assessment}/sections/{order}/"
        status, page, _headers = self.request("GET", path)
        return (path, page) if status == 200 else None

    def save_section(self, path: str, page: str) -> None:
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
        status, page, _headers = self.request("POST", path, data, kind="save")
        if status == 409 and "Someone else changed" not in page:
            self.results.error(f"409 without a conflict page on {path}")
        elif status not in (302, 409):
            self.results.error(f"save on {path} answered {status}")
        with self.results.lock:
            self.results.saves.append(Save(self.username, ids, marker, status))

    def fetch_pdf(self, assessment: int) -> None:
        """Ask for the report PDF and wait for it as a person would: a PDF answered at once, or
        a page that says how far the PDF has got and refreshes itself until it is ready."""
        started = time.perf_counter()
        url = page_url = f"/assessments/{assessment}/report.pdf"
        status, body, headers = self.request("GET", url, kind="report PDF", expect=(200, 302, 303))
        while status in (302, 303) or (status == 200 and body != "%PDF"):
            if time.perf_counter() - started > PDF_READY_SECONDS:
                self.results.error(f"{url}: not ready after {PDF_READY_SECONDS} s")
                return
            if status in (302, 303):
                page_url = urlsplit(headers.get("location", "")).path
                query = urlsplit(headers.get("location", "")).query
                page_url += f"?{query}" if query else ""
                status, body, headers = self.request(
                    "GET", page_url, kind="PDF status", expect=(200, 302)
                )
                continue
            state = re.search(r'data-pdf-state="([a-z]+)"', body)
            if state is None:
                self.results.error(f"{url}: neither a PDF nor a PDF status page")
                return
            if state.group(1) == "failed":
                self.results.error(f"{url}: the render failed")
                return
            if state.group(1) == "ready":
                link = re.search(r'data-pdf-download href="([^"]+)"', body)
                url = link.group(1).replace("&amp;", "&") if link else url
                status, body, headers = self.request("GET", url, kind="report PDF")
                continue
            refresh = re.search(r'http-equiv="refresh" content="(\d+)', body)
            time.sleep(int(refresh.group(1)) if refresh else 1)
            # 302: a newer revision's PDF replaced this one, and the page sends the person on.
            status, body, headers = self.request(
                "GET", page_url, kind="PDF status", expect=(200, 302)
            )
        if status == 200 and body == "%PDF":
            self.results.record("PDF ready", time.perf_counter() - started)

    def run(self, assessments: list[int], signed_in: threading.Barrier) -> None:
        rng = random.Random(self.username)
        # Officials arrive over the first ten seconds, not all in the same instant, and sign in
        # (argon2 hashes: CPU-heavy by design, measured and printed as "sign-in"). The timed
        # work starts once everyone is in, so the page, save and task-list figures are those of
        # 50 people at work, not of a sign-in storm.
        time.sleep(rng.uniform(0, min(10, SECONDS / 4)))
        self.login()
        try:
            signed_in.wait(timeout=180)
        except threading.BrokenBarrierError:
            self.results.error(f"{self.username}: the others never signed in")
            return
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            assessment = rng.choice(assessments)
            roll = rng.random()
            if roll < 0.45:
                self.request("GET", f"/assessments/{assessment}/", kind="task list")
            elif roll < 0.97:
                # Half the saves go to heading 1 of the first assessment: real collisions.
                if rng.random() < 0.5:
                    opened = self.open_section(assessments[0], 1)
                else:
                    opened = self.open_section(assessment, rng.randint(0, 20))
                if opened:
                    # Someone else may save in between: the "think time" of a real official.
                    time.sleep(random.uniform(0, 0.5))
                    self.save_section(*opened)
            else:
                self.fetch_pdf(assessment)
            # Reading the page before the next click.
            time.sleep(rng.uniform(0.5, 2.0))

    def attend(self, assessment: int, barrier: threading.Barrier) -> None:
        """A workshop delegate: each round, everyone opens the heading the facilitator names at
        the same moment, answers it, and saves."""
        rng = random.Random(self.username)
        self.login()
        for _round in range(WORKSHOP_ROUNDS):
            try:
                barrier.wait(timeout=120)
            except threading.BrokenBarrierError:
                self.results.error(f"{self.username}: the workshop fell apart")
                return
            opened = self.open_section(assessment, WORKSHOP_SECTION)
            # Reading the heading and choosing the answers, as discussed in the room.
            time.sleep(rng.uniform(2, 8))
            if opened:
                self.save_section(*opened)


def verify(results: Results) -> tuple[int, int, int]:
    """(accepted saves found, accepted saves lost, refused saves wrongly stored). A save that
    got no answer (a timeout, already counted as an error) may or may not have been stored."""
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
        elif save.status == 409 and keys & stored:
            leaked += 1
    return found, lost, leaked


def queue_times() -> dict[str, list[float]]:
    """Seconds each PDF render waited in the queue and took, from the task results the
    database queue keeps (none while PDFs are rendered inside the request).

    Not from the render records: a finished render deletes the older ones of the same report,
    so only the last render of each would be counted, and those ran after the load had ended.
    """
    try:
        from django_tasks_db.models import DBTaskResult
    except (ImportError, RuntimeError):
        return {}
    times: dict[str, list[float]] = {"PDF queue wait": [], "PDF render": []}
    finished = DBTaskResult.objects.filter(
        task_path="assessments.reports.queue.render_pdf",
        started_at__isnull=False,
        finished_at__isnull=False,
    ).values_list("enqueued_at", "started_at", "finished_at")
    for enqueued, started, ended in finished:
        times["PDF queue wait"].append((started - enqueued).total_seconds())
        times["PDF render"].append((ended - started).total_seconds())
    return times


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile, within the values measured: the default ("exclusive") method
    extrapolates past the largest of a small sample, which printed a p99 above the max."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def print_latencies(latencies: dict[str, list[float]], *, overall: bool = True) -> None:
    """Percentiles of each kind of request, and first of all requests together (`overall`)."""
    ms = [s * 1000 for kind, values in latencies.items() if kind != "PDF ready" for s in values]
    for kind, values in [("all", ms if overall else [])] + [
        (kind, [s * 1000 for s in values]) for kind, values in sorted(latencies.items())
    ]:
        if not values:
            continue
        print(
            f"latency ms {kind + ':':11} p50 {percentile(values, 50):6.0f}"
            f"  p95 {percentile(values, 95):6.0f}  p99 {percentile(values, 99):6.0f}"
            f"  max {max(values):6.0f}  (n={len(values)})"
        )


def missed_targets(scenario: str, latencies: dict[str, list[float]]) -> list[str]:
    missed = []
    for kind, target in TARGETS_MS[scenario].items():
        values = latencies.get(kind)
        if not values:
            missed.append(f"{scenario}: no {kind} measured")
        elif (p95 := percentile(values, 95) * 1000) > target:
            missed.append(f"{scenario}: {kind} p95 {p95:.0f} ms > {target} ms")
    return missed


def report(scenario: str, results: Results, elapsed: float, people: int) -> list[str]:
    """Prints the scenario's figures; returns why it failed (empty when it passed)."""
    found, lost, leaked = verify(results)
    accepted = sum(s.status == 302 for s in results.saves)
    conflicts = sum(s.status == 409 for s in results.saves)
    requests = sum(len(v) for kind, v in results.latencies.items() if kind != "PDF ready")
    print(f"gunicorn workers:      {WORKERS}")
    print(f"simulated people:      {people} for {elapsed:.1f} s")
    print(f"requests:              {requests} ({requests / elapsed:.1f} per second)")
    print_latencies(results.latencies)
    print(f"saves:                 {accepted} accepted, {conflicts} refused as conflicts")
    print(f"accepted saves stored: {found} of {accepted} (lost: {lost})")
    print(f"refused saves stored:  {leaked}")
    print(f"errors:                {len(results.errors)}")
    for error in results.errors[:10]:
        print(f"  {error}")
    failures = [f"{scenario}: {len(results.errors)} errors"] if results.errors else []
    if lost or leaked or found != accepted:
        failures.append(f"{scenario}: {lost} lost and {leaked} leaked saves")
    if not accepted:
        failures.append(f"{scenario}: no save was accepted")
    return failures + missed_targets(scenario, results.latencies)


def run_officials(assessments: list[int]) -> list[str]:
    print(f"\n== officials: {USERS} officials of one country, {ASSESSMENTS} assessments")
    results = Results()
    officials = [Official(f"official{n}", results) for n in range(USERS)]
    signed_in = threading.Barrier(USERS + 1)
    threads = [threading.Thread(target=o.run, args=(assessments, signed_in)) for o in officials]
    for thread in threads:
        thread.start()
    signed_in.wait(timeout=180)
    started = time.monotonic()
    for thread in threads:
        thread.join()
    return report("officials", results, time.monotonic() - started, USERS)


def run_workshop(assessments: list[int]) -> list[str]:
    people = len(WORKSHOP_COUNTRIES) * DELEGATES_PER_COUNTRY
    print(
        f"\n== workshop: {people} delegates of {len(WORKSHOP_COUNTRIES)} countries, "
        f"section {WORKSHOP_SECTION} at once, {WORKSHOP_ROUNDS} rounds"
    )
    results = Results()
    barrier = threading.Barrier(people)
    threads = [
        threading.Thread(
            target=Official(f"delegate-{country}-{n}", results).attend,
            args=(assessment, barrier),
        )
        for country, assessment in zip(WORKSHOP_COUNTRIES, assessments, strict=True)
        for n in range(DELEGATES_PER_COUNTRY)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return report("workshop", results, time.monotonic() - started, people)


def start_servers() -> list[subprocess.Popen]:
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
        **log_to("gunicorn"),
    )
    processes = [server]
    # The PDF worker, when PDFs are rendered off the request path by the database-backed
    # task queue, as `make run` starts it.
    from django.conf import settings

    # Run at a lower priority than gunicorn (README, Production): a render then takes the CPU
    # the pages leave, instead of making every official wait behind it.
    if "django_tasks_db" in settings.INSTALLED_APPS:
        processes += [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
                cwd=BASE_DIR,
                env=ENV | {"LOG_LEVEL": "WARNING"},
                preexec_fn=lambda: os.nice(PDF_WORKER_NICENESS),
                **log_to(f"pdf-worker-{number}"),
            )
            for number in range(1, PDF_WORKERS + 1)
        ]
    wait_until_serving()
    return processes


def log_to(name: str) -> dict:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = open(LOG_DIR / f"{name}.log", "w")  # noqa: SIM115 (the process writes it until the end)
    return {"stdout": log, "stderr": subprocess.STDOUT}


def print_server_logs() -> None:
    """What the servers logged: refused saves (a warning each, as intended), tasks run, and
    any traceback, shown in full as it is what to look at first."""
    print(f"Server logs in {LOG_DIR.relative_to(BASE_DIR)}/:")
    for path in sorted(LOG_DIR.glob("*.log")):
        lines = path.read_text(errors="replace").splitlines()
        conflicts = sum("Conflict: " in line for line in lines)
        tasks = sum("state=SUCCESSFUL" in line for line in lines)
        tracebacks = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
        print(
            f"  {path.name:22} {len(lines):6} lines: {conflicts} refused saves, {tasks} tasks"
            f" done, {len(tracebacks)} tracebacks"
        )
        for start in tracebacks[:3]:
            print("\n".join(f"    {line}" for line in lines[max(0, start - 1) : start + 30]))


def wait_until_serving(seconds: float = 180) -> None:
    """Until the sign-in page answers 200: on a busy machine, gunicorn's workers can take
    longer to start than the run lasts, and the run would measure their start-up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
        try:
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer within {seconds:.0f} s.")


def main() -> int:
    print(f"Preparing {DB_URL.rsplit('/', 1)[-1]}: {USERS} officials, {ASSESSMENTS} assessments")
    assessments = prepare_database()
    processes = start_servers()
    failures: list[str] = []
    try:
        if "officials" in SCENARIOS:
            failures += run_officials(assessments["officials"])
        if "workshop" in SCENARIOS:
            failures += run_workshop(assessments["workshop"])
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)

    queue = queue_times()
    print()
    print_server_logs()
    if any(queue.values()):
        print("PDF renders, from the task queue's records:")
        print_latencies(queue, overall=False)
    else:
        print("PDF queue:             no render recorded by the database queue")
    print("RESULT:", "ok" if not failures else "FAILED")
    for failure in failures:
        print(f"  {failure}")
    return 0 if not failures else 1


if __name__ == "__main__":
    os.environ.update(ENV)
    import django

    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    sys.exit(main())
