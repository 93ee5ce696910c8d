"""The regional part of `make bench`: the regional report data for a process of 40 States
(the Bali Process's size), its time and its queries, against 4 States to show the number of
queries does not grow. Called from tests/bench.py once Django is set up."""

from __future__ import annotations

import random
import statistics
import time

TARGET_SECONDS = 0.2
STATES = 40


def regional_exercise(states: int, slug: str, cycle: int):
    """A process of `states` real countries, each sharing a validated, fully answered
    assessment of the IAMM 2005 with one exercise."""
    from django_countries import countries

    from assessments.models import Answer, Assessment, User
    from tests.helpers import load_framework, make_assessment, make_user
    from tests.regional.helpers import make_exercise, make_process, share

    version = load_framework()
    codes = [code for code, _name in countries][:states]
    exercise = make_exercise(make_process(codes, slug=slug), version)
    rng = random.Random(slug)
    for code in codes:
        coordinator = User.objects.filter(username=f"coordinator-{code.lower()}").first()
        coordinator = coordinator or make_user(
            f"coordinator-{code.lower()}", country=code, role=User.Role.COORDINATOR
        )
        assessment = make_assessment(
            country=code, cycle=cycle, framework_version=version, created_by=coordinator
        )
        answers = list(assessment.answers.all())
        for answer in answers:
            answer.level = rng.choice("01234")
        Answer.objects.bulk_update(answers, ["level"])
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.VALIDATED)
        assessment.refresh_from_db()
        share(exercise, assessment, anonymous=rng.random() < 0.3)
    return type(exercise).objects.select_related("process", "framework_version").get(pk=exercise.pk)


def main(row, query_count, runs: int) -> bool:
    from django.utils.translation import override

    from assessments.regional import report as regional

    big = regional_exercise(STATES, "bench-rcp-40", 2025)
    small = regional_exercise(4, "bench-rcp-4", 2026)

    def build(exercise):
        with override("en"):
            return regional.build_regional_report(exercise)

    build(big)  # warm up
    times = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        build(big)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    wall = statistics.median(w for w, _c in times)
    cpu = statistics.median(c for _w, c in times)
    big_queries = query_count(lambda: build(big))
    small_queries = query_count(lambda: build(small))
    print()
    print(f"Regional exercise of {STATES} sharing States ({runs} runs, medians):")
    row("Regional report data", wall, cpu)
    print(f"  Queries: {big_queries} for {STATES} States; {small_queries} for 4 States")
    met = wall < TARGET_SECONDS and big_queries == small_queries
    verdict = "met" if met else "NOT met"
    print(
        f"Target regional data under {TARGET_SECONDS * 1000:.0f} ms in a constant number of "
        f"queries: {verdict}."
    )
    return met
