"""Report benchmarks (`make bench`): how long the demo assessment's PDF takes, and where.

Runs on a throwaway PostgreSQL database (BENCH_DB; "sqlite" for a file) and media folder, with
the real framework content and the demo country (`seed_demo`). Prints, for the full demo
assessment: the median time to render its PDF (report data + HTML + WeasyPrint), the median
time of WeasyPrint alone on the same HTML, their ratio, the time to build the report data and its
share, the peak memory, the number of queries to build the report data (against a three-item
assessment, to show it is constant), the time to find and to serve the PDF once stored, and
the server time of the task list, the largest section page, check answers and a save;
the rendering time of the worst text the forms accept; then the regional report data of a
40-State process.
"""

from __future__ import annotations

import gc
import io
import itertools
import os
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
PAGE_RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "41"))
# The pages are measured on PostgreSQL, as in production; "sqlite" measures on a file instead.
DB_URL = os.environ.get("BENCH_DB", "postgres://postgres@127.0.0.1:5432/iamm_bench")
TARGET_SECONDS = 1.5
PAGE_TARGETS_MS = {"task list": 15, "section page": 40}
CACHE_HIT_TARGET = 100  # a stored PDF served this many times faster than a fresh render
SERVED_BATCH = 20
# The worst text the forms accept must render within this multiple of the demo report.
WORST_CASE_FACTOR = 3


def setup(workdir: Path) -> None:
    if DB_URL == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        os.environ["DATABASE_URL"] = DB_URL
        fresh_postgres_database(DB_URL)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DEMO_MODE"] = "1"
    os.environ.setdefault("DEBUG", "true")  # the settings fail closed; `make bench` sets it too
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iamm.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Measured as production runs: no query log, no template debugging.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]

    call_command("migrate", verbosity=0)
    call_command("loaddata", "iamm", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # As a gunicorn worker runs (iamm/wsgi.py): what is loaded at start is out of the
    # collector's reach.
    gc.freeze()


def fresh_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    admin_dsn = f"host={params['HOST']} port={params['PORT'] or 5432} user={params['USER']}"
    with psycopg.connect(admin_dsn + " dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{params["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{params["NAME"]}"')


GARBAGE: dict[str, list[tuple[float, float]]] = defaultdict(list)


def cpu_now() -> float:
    """CPU seconds of this process and of its children that have ended (a render's child)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(funcs: dict, runs: int = RUNS) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each function, run in turn so that they share whatever
    else the machine is doing.

    A render leaves tens of MiB of cyclic garbage that Python collects at some later point, in
    whatever runs next. So each run starts with none, and the time to collect what it left is
    measured apart (`GARBAGE`): no function pays for another's, and no cost goes uncounted.
    """
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in funcs}
    for _ in range(runs):
        for name, func in funcs.items():
            gc.collect()
            wall, cpu = time.perf_counter(), cpu_now()
            func()
            times[name].append((time.perf_counter() - wall, cpu_now() - cpu))
            wall, cpu = time.perf_counter(), cpu_now()
            gc.collect()
            GARBAGE[name].append((time.perf_counter() - wall, cpu_now() - cpu))
    return {name: medians(pairs) for name, pairs in times.items()}


def medians(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _c in pairs), statistics.median(c for _w, c in pairs)


def row(label: str, wall: float, cpu: float, share: float | None = None) -> None:
    line = f"  {label:40} {wall * 1000:6.0f} ms {cpu * 1000:6.0f} ms"
    print(line + (f"   = {100 * share:.1f} % of the whole PDF" if share is not None else ""))


def query_count(func) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


def small_assessment():
    """Three items, with a previous cycle like the demo's, to compare query counts."""
    from assessments.models import Assessment, User
    from tests.helpers import make_assessment, make_framework, make_user

    version = make_framework("bench-small", understandings=1, headings=1, areas=2)
    user = make_user("bench-coordinator", country="FR", role=User.Role.COORDINATOR)
    previous = make_assessment(country="FR", framework_version=version, created_by=user)
    current = make_assessment(
        country="FR", cycle=2027, framework_version=version, created_by=user, previous=previous
    )
    return Assessment.objects.select_related("framework_version").get(pk=current.pk)


def coordinator_client(assessment):
    """A client signed in as the demo coordinator, and the URL of the largest section."""
    from django.test import Client
    from django.urls import reverse

    from assessments.models import User

    client = Client()
    client.force_login(User.objects.get(username="coordinator"))
    sections = list(assessment.sections.order_by("order").values_list("order", flat=True))
    largest = max(
        sections, key=lambda order: assessment.answers.filter(section__order=order).count()
    )
    return client, reverse("assessments:section", args=[assessment.pk, largest])


# These 2-core machines run 1.6–1.9× slower for stretches of a second to minutes: another
# tenant's load on the host (the loop below slows alike on either core while nothing of ours
# runs). Such noise only adds time, so, as `timeit` keeps the best of its repeats, the pages are
# measured in blocks of PAGE_RUNS rounds and the block in which the machine ran closest to its
# own speed is kept: the first whose loop took on average at most QUIET times its best,
# else the quietest of PAGE_BLOCKS. Every block's speed is printed.
PAGE_BLOCKS = max(1, int(os.environ.get("BENCH_PAGE_BLOCKS", "5")))
QUIET = 1.1


@dataclass
class PageBlock:
    wall: dict[str, list[float]]
    cpu: dict[str, list[float]]
    loop: list[float]  # the timed loop's seconds, before each request

    def slowdown(self, best: float) -> float:
        # The mean, not the median: it grows with the share of the block spent slow.
        return statistics.fmean(self.loop) / best


def page_block(client, get: dict[str, str]) -> PageBlock:
    """PAGE_RUNS rounds in which the pages take turns, so that the machine's slower stretches
    fall on each page alike, with a loop timed before each request to show how fast it ran."""
    block = PageBlock(wall={name: [] for name in get}, cpu={name: [] for name in get}, loop=[])
    for _ in range(PAGE_RUNS):
        for name, url in get.items():
            block.loop.append(loop_seconds())
            started, started_cpu = time.perf_counter(), time.process_time()
            serve(client, url)
            block.wall[name].append(time.perf_counter() - started)
            block.cpu[name].append(time.process_time() - started_cpu)
    return block


def serve(client, url: str) -> None:
    """One GET through the whole middleware stack, its body read as a browser would."""
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)


def measure_pages(assessment) -> dict[str, float]:
    """Median server time (ms) of the pages officials use most, through the whole middleware
    stack, as the demo coordinator; prints them with their query counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client, section_url = coordinator_client(assessment)
    pk = assessment.pk
    get = {
        "task list": reverse("assessments:task_list", args=[pk]),
        "section page": section_url,
        "check answers": reverse("assessments:check", args=[pk]),
        "report PDF, ready (whole request)": reverse("assessments:report_pdf", args=[pk]),
    }
    for url in get.values():
        assert client.get(url).status_code == 200, url
    blocks: list[PageBlock] = []
    while len(blocks) < PAGE_BLOCKS:
        blocks.append(page_block(client, get))
        best = min(min(block.loop) for block in blocks)
        if blocks[-1].slowdown(best) <= QUIET:
            break
    kept = min(blocks, key=lambda block: block.slowdown(best))
    speeds = ", ".join(f"{block.slowdown(best):.2f}×" for block in blocks)
    print(
        f"Pages: median of {PAGE_RUNS} requests, in-process (no network), {connection.vendor},"
        f" in the quietest of {len(blocks)} blocks:"
    )
    results: dict[str, float] = {}
    for name, url in get.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[name] = statistics.median(kept.wall[name]) * 1000
        cpu_ms = statistics.median(kept.cpu[name]) * 1000
        print(
            f"  {name:40} {results[name]:6.1f} ms wall {cpu_ms:6.1f} ms CPU"
            f"  ({len(queries)} queries)"
        )
    print(
        f"  (the machine: the same loop took {best * 1000:.2f} ms at best; on average in"
        f" each block, {speeds} that)"
    )
    return results


def loop_seconds() -> float:
    """CPU seconds of the same pure-Python loop: timed between the pages, it shows how fast the
    machine ran while they were measured."""
    started = time.process_time()
    sum(i * i for i in range(20_000))
    return time.process_time() - started


def measure_saves(assessment) -> float:
    """Median server time (ms) of saving the largest section, every answer changed. Run after
    the PDFs are measured: the saves change the demo assessment."""
    client, section_url = coordinator_client(assessment)
    levels = itertools.cycle("0123")  # each save changes every answer
    times = []
    for _ in range(PAGE_RUNS):
        page = client.get(section_url).content.decode()
        data = {"later": "1"}
        for answer, version in re.findall(r'name="a(\d+)-version" value="(\d+)"', page):
            data |= {f"a{answer}-version": version, f"a{answer}-level": next(levels)}
            data |= {f"a{answer}-target": "4"}
        started = time.perf_counter()
        response = client.post(section_url, data)
        times.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    return statistics.median(times) * 1000


def worst_accepted_input(assessment, text: str, comments: int) -> None:
    """Every text field of every item at the forms' limit, each Part B item "not applicable"
    (so its justification is printed too), and `comments` comments at their limit on each."""
    from assessments.models import Answer, Comment, User
    from assessments.questionnaire.forms import MAX_TEXT

    author = User.objects.filter(country=assessment.country).first()
    longest_comment = 5000  # CommentForm's max_length
    text = (text * (MAX_TEXT // len(text) + 1))[:MAX_TEXT]
    answers = Answer.objects.filter(assessment=assessment)
    answers.update(evidence=text, planned_action=text)
    answers.filter(area__isnull=False).update(level="na", na_justification=text)
    Comment.objects.filter(answer__assessment=assessment).delete()
    Comment.objects.bulk_create(
        Comment(answer=answer, author=author, text=text[:longest_comment])
        for answer in answers
        for _n in range(comments)
    )


# Text that made WeasyPrint slow: one word with no break opportunity (quadratic with
# overflow-wrap: anywhere), and words longer than a line.
WORST_TEXTS = {"unbroken string": "x", "60-letter words": "y" * 60 + " "}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="iamm-bench-") as tmp:
        print("Setting up a throwaway database with the IAMM content and the demo country…")
        setup(Path(tmp))
        from django.urls import reverse
        from django.utils.translation import override

        from assessments.models import Assessment
        from assessments.reports import queue
        from assessments.reports.blank import build_blank, render_blank_document
        from assessments.reports.data import build_report
        from assessments.reports.html import render_report_document
        from assessments.reports.limits import bytes_before, render_deadline
        from assessments.reports.pdf import html_to_pdf

        # The 2026 draft: every item answered (copied from 2024, then revised), a previous
        # cycle, comments and a DRAFT mark, so every section of the report is drawn.
        assessment = Assessment.objects.select_related("framework_version").get(
            country="QZ", cycle=2026
        )
        items = assessment.answers.count()

        def build():
            with override("en"):
                return build_report(assessment)

        def build_and_render_html():
            return render_report_document(build())

        # The pages first, in a process that has rendered no PDF in itself, as a web worker
        # (renders happen in task workers' child processes; this one forks for its own).
        queue.report_file(assessment=assessment, language="en")  # store it once
        cached = measure(
            {"cached": lambda: queue.report_file(assessment=assessment, language="en")},
            runs=PAGE_RUNS,
        )["cached"]
        pages_ms = measure_pages(assessment)

        html = build_and_render_html()
        html_to_pdf(html)  # warm up: imports, fonts, template caches

        def whole_pdf():
            return html_to_pdf(build_and_render_html())

        # The ratio compares two costs, so both are timed in the same rounds: the machine's
        # slow stretches then fall on each alike. A served request is short, so a round serves
        # the stored PDF SERVED_BATCH times and counts their mean.
        client, _section_url = coordinator_client(assessment)
        pdf_url = reverse("assessments:report_pdf", args=[assessment.pk])

        def served_pdf():
            for _ in range(SERVED_BATCH):
                serve(client, pdf_url)

        def worker_pdf():
            # As a task worker renders it: the HTML here, the PDF in a child process.
            document = build_and_render_html()
            return bytes_before(lambda: html_to_pdf(document), deadline=render_deadline())

        times = measure(
            {
                "whole": whole_pdf,
                "served": served_pdf,
                "worker": worker_pdf,
                "weasyprint": lambda: html_to_pdf(html),
                "data": build,
                "html": build_and_render_html,
            }
        )
        pdf = whole_pdf()
        queries = query_count(build)
        small = small_assessment()
        with override("en"):
            small_queries = query_count(lambda: build_report(small))

        tracemalloc.start()
        html_to_pdf(build_and_render_html())
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # The blank questionnaire: the longest PDF, rendered once per framework version and
        # language, then served from storage like the report.
        with override("en"):
            workbook_html = render_blank_document(build_blank(assessment.framework_version))
        workbook_pdf = html_to_pdf(workbook_html)
        workbook = measure({"workbook": lambda: html_to_pdf(workbook_html)}, runs=3)

        save_ms = measure_saves(assessment)

        worst = {}
        for label, text in WORST_TEXTS.items():
            worst_accepted_input(assessment, text, comments=20)
            worst[label] = measure({"worst": whole_pdf}, runs=min(3, RUNS))["worst"]

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        whole, weasy, data, html_time = (times[k] for k in ("whole", "weasyprint", "data", "html"))
        served = times["served"][0] / SERVED_BATCH
        load = os.getloadavg()[0]
        print()
        print(f"Demo assessment: {assessment} ({items} items), {pages} pages, {len(pdf) >> 10} KiB")
        print(f"{RUNS} runs per measure, medians; {os.cpu_count()} CPUs, load average {load:.2f}")
        print(f"  {'':40} {'wall':>9} {'CPU':>9}")
        row("Whole PDF (data + HTML + WeasyPrint)", *whole)
        row("WeasyPrint alone, same HTML", *weasy)
        row("Whole PDF as a task worker renders it", *times["worker"])
        ratio = (whole[0] / weasy[0], whole[1] / weasy[1])
        print(f"  {'Ratio whole / WeasyPrint alone':40} {ratio[0]:9.2f} {ratio[1]:9.2f}")
        garbage = medians(GARBAGE["whole"])
        row("Collecting the garbage a whole PDF left", *garbage)
        row("Report data (queries + scoring)", *data, share=data[0] / whole[0])
        row("Report data + HTML templates", *html_time, share=html_time[0] / whole[0])
        row("Stored PDF found again (cache hit)", *cached)
        print(
            f"  {'Stored PDF served (whole request)':40} {served * 1000:6.1f} ms wall"
            f" (mean of {SERVED_BATCH} per round)"
        )
        print(f"  {'Save of the largest section (POST)':40} {save_ms:6.1f} ms wall")
        workbook_pages = len(PdfReader(io.BytesIO(workbook_pdf)).pages)
        row(f"Blank questionnaire PDF ({workbook_pages} pages)", *workbook["workbook"])
        print(
            f"  Peak memory: {peak_rss:.0f} MiB resident (whole process); "
            f"{traced_peak / 2**20:.1f} MiB of Python allocations during one render"
        )
        print(
            f"  Queries to build the report data: {queries} for {items} items; "
            f"{small_queries} for a {small.answers.count()}-item assessment"
        )
        for label, times_worst in worst.items():
            row(f"Worst accepted input: {label}", *times_worst)
        print(
            "    (every text field of every item at 10,000 characters, 20 comments of 5,000 on "
            "each item)"
        )
        print()
        # Judged with the garbage the render leaves, which some later request collects.
        with_garbage = whole[0] + garbage[0]
        verdict = "met" if with_garbage < TARGET_SECONDS else "NOT met"
        share = "met" if data[0] / whole[0] < 0.10 else "NOT met"
        print(
            f"Target whole PDF under {TARGET_SECONDS} s (wall): {verdict} "
            f"({with_garbage * 1000:.0f} ms with its garbage collected)."
        )
        print(f"Target report data under 10 % of the whole: {share}.")
        for label, ratio in (("found", whole[0] / cached[0]), ("served", whole[0] / served)):
            verdict = "met" if ratio >= CACHE_HIT_TARGET else "NOT met"
            print(
                f"Target stored PDF {label} at least {CACHE_HIT_TARGET}× faster than a fresh "
                f"render: {verdict} ({ratio:.0f}×)."
            )
        for name, target in PAGE_TARGETS_MS.items():
            verdict = "met" if pages_ms[name] <= target else "NOT met"
            print(f"Target {name} at most {target} ms: {verdict} ({pages_ms[name]:.1f} ms).")
        slowest = max(w for w, _c in worst.values())
        verdict = "met" if slowest < WORST_CASE_FACTOR * whole[0] else "NOT met"
        print(
            f"Target worst accepted input within {WORST_CASE_FACTOR}x the demo report: {verdict} "
            f"({slowest / whole[0]:.1f}x)."
        )

        # Regional exercises (issue 17): 40 sharing States, in a constant number of queries.
        from tests.regional import bench as regional_bench

        regional_bench.main(row, query_count, RUNS)


if __name__ == "__main__":
    main()
