"""The executive summary in sentences (assessments.reports.narrative), in the three languages.

Alice coordinates Demoland. Most tests read the scenario of test_reports, worked out by hand there:
heading 1 scores 25.0, heading 2 75.0, practice index 50.0, understanding index 75.0, 4 of 6
applicable items scored; gaps 1.1 (high priority, 3 levels) then 2.1 (no priority, 1 level);
CU1 flagged against heading 1; CU3 and 2.2 answered "Don't know".

A second scenario has three headings of two areas each: heading 1 at 4 and 4 (100.0), heading 2
at 3 and 4 (87.5), heading 3 at 1 and 1 (25.0); the practice index is 212.5 / 3 = 70.8.
"""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils.translation import override

from assessments.models import Assessment, User
from assessments.reports import data, narrative
from tests.assessments.test_reports import answer_all, client_for, scenario_assessment
from tests.helpers import make_agency, make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "es")


@pytest.fixture
def alice() -> User:
    return make_user("alice", role=User.Role.COORDINATOR, first_name="Alice", last_name="Martin")


def summary(assessment: Assessment, language: str) -> dict[str, str]:
    """The summary's paragraphs as {key: all its sentences}, built in `language`."""
    assessment = Assessment.objects.select_related("framework_version").get(pk=assessment.pk)
    with override(language):
        report = data.build_report(assessment)
        return {p.key: p.text for p in narrative.summary_paragraphs(report)}


def three_headings(alice: User, **kwargs) -> Assessment:
    version = make_framework("narrative-3", understandings=1, headings=3, areas=2)
    assessment = make_assessment(framework_version=version, created_by=alice, **kwargs)
    levels = {"1.1": "4", "1.2": "4", "2.1": "3", "2.2": "4", "3.1": "1", "3.2": "1"}
    answer_all(assessment, alice, {code: {"level": lv} for code, lv in levels.items()})
    return assessment


def set_dates(assessment: Assessment, **dates) -> None:
    """Fixed dates, written past `auto_now` (an update does not touch it)."""
    Assessment.objects.filter(pk=assessment.pk).update(**dates)


DECEMBER_1 = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


# Where the country stands ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "practice", "understanding", "coverage"),
    [
        (
            "en",
            "The practice index is 50.0 out of 100, in the band “Partially meets”.",
            "is 75.0 out of 100, in the band “Partially meets”.",
            "The scores rest on 4 of the 6 applicable items;",
        ),
        (
            "fr",
            "L'indice des pratiques est de 50,0 sur 100, dans la catégorie « Satisfait "
            "partiellement ».",
            "est de 75,0 sur 100, dans la catégorie « Satisfait partiellement ».",
            "Les notes reposent sur 4 des 6 éléments applicables ;",
        ),
        (
            "es",
            "El índice de prácticas es de 50,0 sobre 100, en la categoría «Cumple parcialmente».",
            "es de 75,0 sobre 100, en la categoría «Cumple parcialmente».",
            "Las puntuaciones se basan en 4 de los 6 elementos aplicables;",
        ),
    ],
)
def test_it_says_where_the_country_stands(alice, language, practice, understanding, coverage):
    standing = summary(scenario_assessment(alice), language)["standing"]
    assert practice in standing
    assert understanding in standing
    assert coverage in standing


@pytest.mark.parametrize(
    ("language", "index"),
    [
        ("en", "The practice index is 70.8 out of 100"),
        ("fr", "L'indice des pratiques est de 70,8 sur 100"),
        ("es", "El índice de prácticas es de 70,8 sobre 100"),
    ],
)
def test_scores_in_prose_have_the_languages_decimal_separator(alice, language, index):
    assert index in summary(three_headings(alice), language)["standing"]


def test_it_says_how_many_headings_the_practice_index_leaves_out(alice):
    version = make_framework("narrative-partial", understandings=1, headings=3, areas=1)
    assessment = make_assessment(framework_version=version, created_by=alice)
    answer_all(assessment, alice, {"1.1": {"level": "2"}, "2.1": {"level": "4"}})
    standing = summary(assessment, "en")["standing"]
    assert "It is the mean of the 2 scored heading scores." in standing
    assert "1 heading with nothing scored is left out." in standing


# Well-developed areas and areas with potential for further development ------------------------


@pytest.mark.parametrize(
    ("language", "strengths", "further"),
    [
        (
            "en",
            "2 headings score 80 or more (“Meets” or above): 1. Heading 1 (100.0); "
            "2. Heading 2 (87.5).",
            "1 heading scores below 80: 3. Heading 3 (25.0).",
        ),
        (
            "fr",
            "2 rubriques obtiennent 80 ou plus (catégorie « Satisfait » ou supérieure) : "
            "1. Heading 1 (100,0) ; 2. Heading 2 (87,5).",
            "1 rubrique obtient moins de 80 : 3. Heading 3 (25,0).",
        ),
        (
            "es",
            "2 epígrafes obtienen 80 o más (categoría «Cumple» o superior): "
            "1. Heading 1 (100,0); 2. Heading 2 (87,5).",
            "1 epígrafe obtiene menos de 80: 3. Heading 3 (25,0).",
        ),
    ],
)
def test_it_names_the_strongest_and_weakest_headings(alice, language, strengths, further):
    paragraphs = summary(three_headings(alice), language)
    assert strengths in paragraphs["strengths"]
    assert further in paragraphs["further"]


def test_without_a_heading_in_the_top_bands_it_says_so(alice):
    paragraphs = summary(scenario_assessment(alice), "en")
    assert paragraphs["strengths"] == ("No heading scores 80 or more (“Meets” or above) yet.")
    assert (
        "2 headings score below 80, lowest first: 1. Heading 1 (25.0); 2. Heading 2 (75.0)."
        in (paragraphs["further"])
    )


def test_it_names_five_headings_at_most_lowest_first(alice):
    version = make_framework("narrative-7", understandings=1, headings=7, areas=1)
    assessment = make_assessment(framework_version=version, created_by=alice)
    levels = ["3", "0", "2", "1", "2", "0", "1"]  # headings 2 and 6 lowest, then 4 and 7
    answer_all(assessment, alice, {f"{h}.1": {"level": lv} for h, lv in enumerate(levels, 1)})
    further = summary(assessment, "en")["further"]
    assert further.endswith(
        "7 headings score below 80; the lowest 5: 2. Heading 2 (0.0); 6. Heading 6 (0.0); "
        "4. Heading 4 (25.0); 7. Heading 7 (25.0); 3. Heading 3 (50.0)."
    )


# The most urgent gaps --------------------------------------------------------------------------


@pytest.fixture
def gaps_assessment(alice) -> Assessment:
    """The scenario, 1.1 with the Ministry of Labour and a target date long past; 2.1 with
    no agency."""
    assessment = scenario_assessment(alice)
    labour = make_agency("QZ", "Ministry of Labour")
    answer_all(
        assessment,
        alice,
        {"1.1": {"responsible_agency": labour, "target_date": datetime.date(2020, 1, 15)}},
    )
    return assessment


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "2 practice areas are below their target.",
                "By priority: 1 high, 1 with no priority set.",
                "1 action of the action plan is past its target date.",
                "1.1 Area 1.1: 3 levels below target, high priority; responsible agency: "
                "Ministry of Labour; its target date, 15 January 2020, has passed.",
                "2.1 Area 2.1: 1 level below target, no priority set; no agency named yet.",
            ],
        ),
        (
            "fr",
            [
                "2 domaines de pratique se situent en dessous de leur cible.",
                "Par priorité : 1 de priorité élevée, 1 sans priorité définie.",
                "1.1 Area 1.1 : 3 niveaux sous la cible, priorité élevée ; organisme "
                "responsable : Ministry of Labour ; sa date cible, le 15 janvier 2020, est "
                "dépassée.",
                "2.1 Area 2.1 : 1 niveau sous la cible, aucune priorité définie ; aucun "
                "organisme désigné pour l'instant.",
            ],
        ),
        (
            "es",
            [
                "Por prioridad: 1 de prioridad alta, 1 sin prioridad definida.",
                "1.1 Area 1.1: 3 niveles por debajo de la meta, prioridad alta; organismo "
                "responsable: Ministry of Labour; su fecha prevista, el 15 de enero de 2020, "
                "ya ha pasado.",
                "2.1 Area 2.1: 1 nivel por debajo de la meta, sin prioridad definida; ningún "
                "organismo designado todavía.",
            ],
        ),
    ],
)
def test_it_names_the_top_gaps_with_their_agencies(gaps_assessment, language, expected):
    gaps = summary(gaps_assessment, language)["gaps"]
    for sentence in expected:
        assert sentence in gaps
    assert gaps.index("1.1 Area 1.1") < gaps.index("2.1 Area 2.1")  # the ranking's order


def test_without_gaps_it_says_none_is_below_its_target(alice):
    version = make_framework("narrative-full", understandings=1, headings=1, areas=1)
    assessment = make_assessment(framework_version=version, created_by=alice)
    answer_all(assessment, alice, {"CU1": {"level": "4"}, "1.1": {"level": "4"}})
    paragraphs = summary(assessment, "en")
    assert paragraphs["gaps"] == "No scored practice area is below its target."
    assert paragraphs["further"] == "Every scored heading scores 80 or more."
    assert "All 2 applicable items are scored." in paragraphs["standing"]


# Change since the previous cycle ---------------------------------------------------------------


@pytest.fixture
def next_cycle(alice) -> Assessment:
    """The scenario in 2024, then 2026 with 1.1 raised to 3 (heading 1: 25 → 75) and CU2 lowered
    to 1 (understanding index 75 → 62.5)."""
    version = make_framework("narrative-cycles")
    previous = scenario_assessment(alice, cycle=2024, framework_version=version)
    current = make_assessment(
        framework_version=version,
        created_by=alice,
        cycle=2026,
        previous=previous,
        copy_answers=True,
    )
    answer_all(current, alice, {"1.1": {"level": "3"}, "CU2": {"level": "1"}})
    return current


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "The practice index has risen from 50.0 in 2024 to 75.0.",
                "The understanding index has fallen from 75.0 in 2024 to 62.5.",
                "1 heading scores higher than in 2024.",
            ],
        ),
        (
            "fr",
            [
                "L'indice des pratiques a progressé, de 50,0 en 2024 à 75,0.",
                "L'indice des principes communs a reculé, de 75,0 en 2024 à 62,5.",
                "1 rubrique obtient une note plus élevée qu'en 2024.",
            ],
        ),
        (
            "es",
            [
                "El índice de prácticas ha subido de 50,0 en 2024 a 75,0.",
                "El índice de entendimientos comunes ha bajado de 75,0 en 2024 a 62,5.",
                "1 epígrafe obtiene una puntuación más alta que en 2024.",
            ],
        ),
    ],
)
def test_it_tells_the_change_since_the_previous_cycle(next_cycle, language, expected):
    change = summary(next_cycle, language)["change"]
    for sentence in expected:
        assert sentence in change
    assert "lower" not in change  # no heading fell: no sentence about it


def test_without_a_previous_cycle_it_says_there_is_nothing_to_compare(alice):
    change = summary(scenario_assessment(alice), "en")["change"]
    assert change == (
        "This assessment is not linked to a previous cycle, so there is nothing to compare with."
    )


# Flags and data gaps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "flag", "data_gaps"),
    [
        (
            "en",
            "1 Common Understanding is reported as largely or fully reflected while a heading "
            "that puts it into practice scores below 40, a commitment–practice gap: "
            "CU1 (heading 1).",
            "2 items are answered “Don't know”: that information is still to be found. "
            "Every item has an answer.",
        ),
        (
            "fr",
            "soit un écart entre engagement et pratique : CU1 (rubrique 1).",
            "2 éléments ont reçu la réponse « Ne sait pas » : ces informations restent à "
            "trouver. Tous les éléments ont une réponse.",
        ),
        (
            "es",
            "una brecha entre compromiso y práctica: CU1 (epígrafe 1).",
            "2 elementos se han respondido con «No se sabe»: esa información aún está por "
            "buscar. Todos los elementos tienen respuesta.",
        ),
    ],
)
def test_it_names_the_flags_and_counts_the_data_gaps(alice, language, flag, data_gaps):
    paragraphs = summary(scenario_assessment(alice), language)
    assert flag in paragraphs["coherence"]
    assert paragraphs["data"] == data_gaps


# Nothing scored --------------------------------------------------------------------------------


def test_with_nothing_scored_it_says_so_plainly():
    assessment = make_assessment(framework_version=make_framework("narrative-empty"))
    paragraphs = summary(assessment, "en")
    assert paragraphs["standing"] == (
        "No practice heading has a score yet, so there is no practice index. "
        "No Common Understanding has a score yet, so there is no understanding index. "
        "None of the 7 applicable items has a score yet."
    )
    assert paragraphs["strengths"] == "No heading has a score yet."
    assert "further" not in paragraphs
    assert paragraphs["gaps"] == "No scored practice area is below its target."
    assert paragraphs["coherence"] == (
        "No Common Understanding is flagged as a commitment–practice gap."
    )
    assert paragraphs["data"] == "No item is answered “Don't know”. 7 items are not answered yet."
    assert not any(" 0 " in text for text in paragraphs.values())


@pytest.mark.parametrize("language", ["fr", "es"])
def test_with_nothing_scored_every_sentence_is_translated(language):
    assessment = make_assessment(framework_version=make_framework("narrative-empty"))
    english = summary(assessment, "en")
    translated = summary(assessment, language)
    assert english.keys() == translated.keys()
    for key, text in translated.items():
        assert text != english[key]


# Scope and limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "validated"),
    [
        ("en", "Validated by Alice Martin on 1 December 2026."),
        ("fr", "Validée par Alice Martin le 1 décembre 2026."),
        ("es", "Validada por Alice Martin el 1 de diciembre de 2026."),
    ],
)
def test_a_validated_report_says_who_validated_it_and_when(alice, language, validated):
    assessment = scenario_assessment(alice)
    set_dates(
        assessment,
        status=Assessment.Status.VALIDATED,
        validated_at=DECEMBER_1,
        validated_by=alice,
    )
    scope = summary(assessment, language)["scope"]
    assert scope.startswith(validated)
    assert "draft" not in scope and "projet" not in scope and "borrador" not in scope


@pytest.mark.parametrize(
    ("language", "draft", "limits"),
    [
        (
            "en",
            "This is a draft, not yet validated: the answers are still being filled in and the "
            "figures will change (answers as of 1 December 2026).",
            "not a ranking of countries or an external evaluation",
        ),
        (
            "fr",
            "Il s'agit d'un projet, pas encore validé : les réponses sont encore en cours de "
            "saisie et les chiffres vont changer (réponses arrêtées au 1 décembre 2026).",
            "et non d'un classement des pays ni d'une évaluation externe",
        ),
        (
            "es",
            "Se trata de un borrador, aún no validado: las respuestas todavía se están "
            "completando y las cifras cambiarán (respuestas a fecha de 1 de diciembre de 2026).",
            "y no de una clasificación de países ni de una evaluación externa",
        ),
    ],
)
def test_a_draft_says_it_is_not_validated_and_what_it_is_not(alice, language, draft, limits):
    assessment = scenario_assessment(alice)
    set_dates(assessment, updated_at=DECEMBER_1)
    scope = summary(assessment, language)["scope"]
    assert scope.startswith(draft)
    assert limits in scope


def test_a_report_in_review_says_when_it_was_submitted(alice):
    assessment = scenario_assessment(alice)
    set_dates(assessment, status=Assessment.Status.IN_REVIEW, submitted_at=DECEMBER_1)
    assert summary(assessment, "en")["scope"].startswith(
        "Submitted for review on 1 December 2026 and not yet validated"
    )


# The report page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        (
            "en",
            [
                "The practice index is 50.0 out of 100, in the band “Partially meets”.",
                "2.1 Area 2.1: 1 level below target, no priority set; no agency named yet.",
                "Ministry of <Labour> & Co",
            ],
        ),
        (
            "fr",
            [
                "L'indice des pratiques est de 50,0 sur 100, dans la catégorie « Satisfait "
                "partiellement ».",
                "sa date cible, le 15 janvier 2020, est dépassée.",
            ],
        ),
    ],
)
def test_the_report_page_reads_the_summary_in_sentences(alice, language, sentences):
    assessment = scenario_assessment(alice)
    agency = make_agency("QZ", "Ministry of <Labour> & Co")
    answer_all(
        assessment,
        alice,
        {"1.1": {"responsible_agency": agency, "target_date": datetime.date(2020, 1, 15)}},
    )
    url = reverse("assessments:report", args=[assessment.pk])
    page = client_for(alice).get(url, {"lang": language}).content.decode()
    assert "<Labour>" not in page  # names typed by people are escaped
    section = page.split('id="summary"', 1)[1].split("</section>", 1)[0]
    text = html.unescape(section)
    for sentence in sentences:
        assert sentence in text
