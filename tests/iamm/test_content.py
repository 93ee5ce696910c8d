"""The framework content fixtures agree with the source paper and with DESIGN.md.

English text is checked against the paper itself, so a typo introduced while editing a fixture
fails here rather than reaching an official. The passages the checks need (Annexes A, C and D and
the paragraph quoting the IAMM's practices) are kept verbatim in `tests/iamm/sources/`, so the
checks run in a fresh clone too; when the whole paper is at hand (`../shared/sources/`), the
excerpts are checked against it.
"""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django_countries import countries
from modeltranslation.translator import translator

from iamm.models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Membership,
    Practice,
    PracticeArea,
    PracticeHeading,
    RegionalProcess,
)

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.BASE_DIR).parent / "shared" / "sources" / "000_0a1c433c14e4d743.txt"
EXCERPTS = Path(__file__).parent / "sources"
# Each excerpt and the line of the paper where it starts.
EXCERPT_FILES = {
    "annex_a.txt": 388,
    "quoted_practices.txt": 281,
    "annex_c.txt": 476,
    "annex_d.txt": 504,
}
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
VERSION = "iamm-2005"

# DESIGN.md, "Content model (iamm)": heading number -> Common Understanding numbers.
CROSSWALK = {
    1: {2, 5, 7, 9, 10},
    2: {1, 2, 3, 6, 11},
    3: {3, 13},
    4: {13, 17},
    5: {12, 13},
    6: {14, 15},
    7: {4, 8},
    8: {8},
    9: {16, 17},
    10: {16},
    11: {4, 14},
    12: {6},
    13: {12},
    14: {11, 13},
    15: {11},
    16: {11},
    17: {3, 15},
    18: {18},
    19: {19, 20},
    20: {9, 11},
}
AREAS_PER_HEADING = [2, 1, 3, 6, 1, 2, 5, 1, 1, 1, 5, 1, 4, 1, 1, 1, 1, 1, 4, 1]
MAJOR_SLUGS = [
    "igc",
    "budapest-process",
    "soderkoping-process",
    "cis-conference",
    "puebla-process",
    "south-american-conference",
    "5-plus-5-dialogue",
    "midsa",
    "midwa",
    "manila-process",
    "apc",
    "bali-process",
    "colombo-process",
]
OTHER_SLUGS = ["cluster-process", "marri", "ocam", "pidc", "jcms"]
DUMPS = {
    "iamm.json": [
        "iamm.frameworkversion",
        "iamm.commonunderstanding",
        "iamm.practiceheading",
        "iamm.crosswalklink",
        "iamm.practicearea",
        "iamm.practice",
    ],
    "regional_processes.json": ["iamm.regionalprocess", "iamm.membership"],
}


# The paper ------------------------------------------------------------------------------------


def excerpt(name: str) -> str:
    return (EXCERPTS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paper() -> str:
    """The passages of the paper the fixtures are checked against."""
    return "\n".join(excerpt(name) for name in EXCERPT_FILES)


def test_the_excerpts_are_verbatim_runs_of_lines_of_the_paper():
    for name, first_line in EXCERPT_FILES.items():
        text = excerpt(name)
        assert text.endswith("\n") and text.strip(), name
        if SOURCE.exists():  # the shared checkout: compare with the paper itself
            lines = SOURCE.read_text(encoding="utf-8").split("\n")
            count = text.count("\n")
            assert "\n".join(lines[first_line - 1 : first_line - 1 + count]) + "\n" == text, name


def squash(text: str) -> str:
    """Text without HTML tags or Markdown emphasis, with runs of whitespace as one space."""
    text = re.sub(r"</?[a-z]+[^>]*>", " ", text)
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def annex(name: str) -> list[str]:
    """The lines of an annex after its title."""
    return excerpt(name).split("\n")[1:]


def numbered(lines: list[str]) -> dict[int, str]:
    items = {}
    for line in lines:
        match = re.match(r"^(\d+)\. (.*)$", line.strip())
        if match:
            items[int(match.group(1))] = match.group(2).strip()
    return items


@pytest.fixture(scope="module")
def annex_c() -> dict[int, str]:
    return numbered(annex("annex_c.txt"))


@pytest.fixture(scope="module")
def annex_d() -> dict[int, str]:
    """Heading number -> its Annex D line, without the Markdown emphasis marks."""
    return {n: line.replace("*", "") for n, line in numbered(annex("annex_d.txt")).items()}


@pytest.fixture(scope="module")
def annex_a() -> dict[int, list[str]]:
    """Row number -> the cells of that row of the Annex A matrix."""
    rows = {}
    for line in annex("annex_a.txt"):
        cells = line.split("\t")
        match = re.match(r"^(\d+)\. ", line)
        if match and len(cells) >= 6:
            rows[int(match.group(1))] = cells
    return rows


# The database ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Both fixtures, loaded once for this module (loading takes seconds) in a transaction that
    is rolled back after its last test; each test still runs in a savepoint of its own."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("loaddata", "iamm", "regional_processes", verbosity=0)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def content(loaded) -> FrameworkVersion:
    return FrameworkVersion.objects.get(code=VERSION)


def fixture_objects(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def content_counts() -> dict[str, int]:
    models = [
        FrameworkVersion,
        CommonUnderstanding,
        PracticeHeading,
        CrosswalkLink,
        PracticeArea,
        Practice,
        RegionalProcess,
        Membership,
    ]
    return {model.__name__: model.objects.count() for model in models}


# The framework version ------------------------------------------------------------------------


def test_the_2005_version_is_published_with_its_title_in_three_languages(content):
    assert content.is_published
    assert content.title_en == "International Agenda for Migration Management"
    assert content.title_fr == "Agenda international pour la gestion des migrations"
    assert content.title_es == "Agenda Internacional para la Gestión de la Migración"
    assert "Klein Solomon" in content.source
    assert "Annexes C and D" in content.source


# Common Understandings (Annex C) --------------------------------------------------------------


def test_there_are_twenty_understandings_verbatim_from_annex_c(content, annex_c):
    assert sorted(annex_c) == list(range(1, 21))
    stored = dict(content.understandings.values_list("number", "text_en"))
    assert stored == annex_c


def test_understanding_translations_are_marked_as_the_projects_own(content):
    for cu in content.understandings.all():
        assert cu.source_note_en == f"Annex C, item {cu.number}"
        assert "non officielle" in cu.source_note_fr
        assert "no oficial" in cu.source_note_es
        assert cu.text_fr != cu.text_en
        assert cu.text_es != cu.text_en


# Headings and areas (Annex D) -----------------------------------------------------------------


def test_there_are_twenty_headings_with_the_annex_d_titles(content, annex_d):
    assert sorted(annex_d) == list(range(1, 21))
    expected = {n: re.split(r" \(| – ", line)[0] for n, line in annex_d.items()}
    assert dict(content.headings.values_list("number", "title_en")) == expected


def test_there_are_43_areas_named_as_in_annex_d_in_order(content, annex_d):
    areas = PracticeArea.objects.filter(heading__version=content)
    assert areas.count() == 43
    for heading in content.headings.all():
        line = annex_d[heading.number]
        names = list(heading.areas.order_by("order").values_list("name_en", flat=True))
        assert len(names) == AREAS_PER_HEADING[heading.number - 1], heading
        if "(" not in line:
            assert names == [heading.title_en]
            continue
        listed = line[line.index("(") :]
        positions = [listed.find(name) for name in names]
        assert -1 not in positions, (heading.number, names)
        assert positions == sorted(positions), (heading.number, names)


def test_area_codes_and_orders_follow_their_heading(content):
    for area in PracticeArea.objects.filter(heading__version=content).select_related("heading"):
        assert area.code == f"{area.heading.number}.{area.order}"


def test_regular_migration_has_three_temporary_then_three_permanent_areas(content, annex_d):
    line = annex_d[4]
    temporary = re.search(r"Temporary \((.*?)\)", line).group(1)
    permanent = re.search(r"Permanent \((.*?)\)", line).group(1)
    areas = list(PracticeArea.objects.filter(heading__version=content, heading__number=4))
    assert [area.group for area in areas] == ["temporary"] * 3 + ["permanent"] * 3
    assert all(area.name_en in temporary for area in areas[:3])
    assert all(area.name_en in permanent for area in areas[3:])
    others = PracticeArea.objects.filter(heading__version=content).exclude(heading__number=4)
    assert set(others.values_list("group", flat=True)) == {""}


# Crosswalk ------------------------------------------------------------------------------------


def test_every_understanding_links_to_a_heading(content):
    for cu in content.understandings.all():
        assert cu.crosswalk_links.exists(), f"Common Understanding {cu.number} has no heading"


def test_the_crosswalk_is_the_mapping_of_the_design(content):
    stored: dict[int, set[int]] = {}
    links = CrosswalkLink.objects.filter(heading__version=content)
    for heading, understanding in links.values_list("heading__number", "understanding__number"):
        stored.setdefault(heading, set()).add(understanding)
    assert stored == CROSSWALK


# Practices ------------------------------------------------------------------------------------


def test_the_four_quoted_practices_are_verbatim_from_the_paper(content, paper):
    quoted = Practice.objects.filter(area__heading__version=content, kind=Practice.Kind.IAMM)
    assert sorted(quoted.values_list("area__code", flat=True)) == ["13.1", "13.2", "13.3", "13.4"]
    for practice in quoted:
        assert practice.text_en in paper, practice.area.code
        assert not practice.text_en.startswith(("“", '"'))
        assert not practice.text_en.endswith(("”", '"'))
        assert practice.source_note_en.startswith("Quoted in the source paper")


def test_every_area_has_guidance_after_any_quoted_practice(content, paper):
    for area in PracticeArea.objects.filter(heading__version=content):
        practices = list(area.practices.order_by("order"))
        kinds = [p.kind for p in practices]
        assert Practice.Kind.GUIDANCE in kinds, f"area {area.code} has no guidance"
        assert kinds == sorted(kinds, key=lambda kind: kind != Practice.Kind.IAMM), area.code
        for practice in practices:
            if practice.kind == Practice.Kind.GUIDANCE:
                assert "not IAMM text" in practice.source_note_en
                # Project guidance is never passed off as text of the paper.
                assert practice.text_en not in paper


# Translations ---------------------------------------------------------------------------------


def test_every_translatable_field_has_french_and_spanish(content):
    missing = []
    for model in translator.get_registered_models():
        for row in model.objects.all():
            for field in translator.get_options_for_model(model).fields:
                if not getattr(row, f"{field}_en"):
                    continue
                for lang in ("fr", "es"):
                    if not (getattr(row, f"{field}_{lang}") or "").strip():
                        missing.append(f"{model.__name__} {row}: {field}_{lang}")
    assert missing == []


@pytest.mark.parametrize("name", DUMPS)
def test_the_original_columns_hold_the_english_text(name):
    for obj in fixture_objects(name):
        fields = obj["fields"]
        assert "pk" not in obj
        for field, value in fields.items():
            if f"{field}_en" in fields:
                assert value == fields[f"{field}_en"], (obj["model"], field)


# Loading and exporting ------------------------------------------------------------------------


def test_loading_the_fixtures_twice_creates_no_duplicates(content):
    before = content_counts()
    call_command("loaddata", "iamm", "regional_processes", verbosity=0)
    assert content_counts() == before
    assert before == {
        "FrameworkVersion": 1,
        "CommonUnderstanding": 20,
        "PracticeHeading": 20,
        "CrosswalkLink": sum(len(cus) for cus in CROSSWALK.values()),
        "PracticeArea": 43,
        "Practice": 47,
        "RegionalProcess": 18,
        "Membership": 337,
    }


@pytest.mark.parametrize("name", DUMPS)
def test_dumpdata_reproduces_the_fixture_file(content, name):
    out = StringIO()
    call_command(
        "dumpdata",
        *DUMPS[name],
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        stdout=out,
    )
    assert json.loads(out.getvalue()) == fixture_objects(name)


# Regional consultative processes (Annex A) ----------------------------------------------------


def test_there_are_thirteen_major_processes_and_five_others(content):
    major = RegionalProcess.objects.filter(is_major=True).order_by("number")
    assert list(major.values_list("slug", flat=True)) == MAJOR_SLUGS
    assert list(major.values_list("number", flat=True)) == list(range(1, 14))
    others = RegionalProcess.objects.filter(is_major=False)
    assert sorted(others.values_list("slug", flat=True)) == sorted(OTHER_SLUGS)
    assert set(others.values_list("number", flat=True)) == {None}


def test_major_processes_match_their_annex_a_row(content, annex_a):
    for process in RegionalProcess.objects.filter(is_major=True):
        cells = annex_a[process.number]
        assert process.name_en == re.sub(r"^\d+\. ", "", cells[0]).strip()
        assert process.year == int(cells[1][:4])
        assert squash(process.main_areas_en) == squash(cells[5])
        assert squash(process.observers) == squash(cells[3])
        assert squash(process.secretariat) == squash(cells[4])
        assert process.source_note == "Annex A, as of 19 May 2005"


def test_major_processes_have_as_many_members_as_their_annex_a_total(content, annex_a):
    for process in RegionalProcess.objects.filter(is_major=True):
        total = re.search(r"\(Total: ([^)]*)\)", annex_a[process.number][2]).group(1)
        expected = sum(int(n) for n in re.findall(r"\d+", total)) + ("Hong Kong" in total)
        assert process.memberships.count() == expected, process.slug


def test_other_processes_quote_the_note_to_annex_a(content, paper):
    text = squash(paper).lower()
    for process in RegionalProcess.objects.filter(is_major=False):
        assert squash(process.main_areas_en).lower() in text, process.slug
        assert process.memberships.exists(), process.slug


def test_every_membership_is_a_real_iso_country_named_in_the_paper(content, paper):
    for membership in Membership.objects.all():
        assert membership.country.code in countries, membership
        assert membership.country.code != "QZ", "the demo country is not a real member"
        assert membership.name_in_source in paper, membership


def test_senegal_takes_part_only_in_midwa(content):
    processes = RegionalProcess.objects.filter(memberships__country="SN")
    assert list(processes.values_list("slug", flat=True)) == ["midwa"]


def test_serbia_and_montenegro_is_mapped_to_serbia_with_a_note(content):
    rows = Membership.objects.filter(name_in_source__startswith="Serbia")
    assert sorted(rows.values_list("process__slug", flat=True)) == ["budapest-process", "marri"]
    for membership in rows:
        assert membership.country.code == "RS"
        assert "dissolved in 2006" in membership.note
        assert "Montenegro (ME)" in membership.note
    assert not Membership.objects.filter(country="ME").exists()


@pytest.mark.parametrize(
    ("name_in_source", "code"),
    [
        ("Swaziland", "SZ"),
        ("Macedonia (FYR)", "MK"),
        ("FYR of Macedonia", "MK"),
        ("Surinam", "SR"),
        ("Cape Verde", "CV"),
        ("Hong Kong (SAR of China)", "HK"),
        ("New Caledonia (France)", "NC"),
        ("France (New Caledonia)", "NC"),
        ("Commonwealth of Northern Mariana Islands (CNMI)", "MP"),
        ("American Samoa", "AS"),
        ("Guam", "GU"),
        ("Norfolk Island", "NF"),
    ],
)
def test_historical_names_and_territories_map_to_their_current_code_with_a_note(
    content, name_in_source, code
):
    rows = Membership.objects.filter(name_in_source=name_in_source)
    assert rows.exists()
    for membership in rows:
        assert membership.country.code == code
        assert membership.note


def test_a_member_listed_twice_in_one_process_has_one_row(content):
    for process in RegionalProcess.objects.all():
        codes = list(process.memberships.values_list("country", flat=True))
        assert len(codes) == len(set(codes)), process.slug
