"""`seed_demo` adds the demo regional exercise: five fictional members, four sharing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.translation import override

from assessments.models import RegionalExercise, RegionalShare, User
from assessments.regional import report as regional
from tests.helpers import load_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def output(settings):
    settings.DEMO_MODE = True
    load_framework()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_creates_a_process_of_five_fictional_states_four_sharing(output):
    exercise = RegionalExercise.objects.select_related("process", "framework_version").get()
    members = set(exercise.process.memberships.values_list("country", flat=True))
    assert members == {"QZ", "XA", "XB", "XC", "XD"}
    shares = exercise.shares.active()
    assert shares.count() == 4 and shares.filter(is_anonymous=True).count() == 1
    assert not shares.filter(country="QZ").exists()  # left for a trainer to share live
    assert all(share.assessment.is_validated for share in shares)
    with override("en"):
        report = regional.build_regional_report(exercise)
    assert report.has_figures and report.shared_gaps
    assert "Northland (fictional demo country)" in report.named


def test_the_secretariat_account_is_printed_with_the_others(output):
    secretariat = User.objects.get(username="secretariat")
    assert secretariat.is_secretariat and not secretariat.country
    assert secretariat.secretariat.process.slug == "demo-rcp"
    line = next(line for line in output.splitlines() if line.startswith("  secretariat "))
    assert secretariat.check_password(line.split()[1])
    assert "  coordinator-xa " in output


def test_running_it_again_keeps_a_withdrawn_share_withdrawn(output, settings):
    share = RegionalShare.objects.get(country="XA")
    share.withdrawn_at = share.shared_at
    share.save()
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert RegionalShare.objects.active().count() == 3
    assert "secretariat" in again.getvalue() and "already there" in again.getvalue()
