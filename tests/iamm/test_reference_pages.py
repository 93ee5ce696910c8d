"""The public reference pages: the IAMM, its versions' content and the regional processes."""

from __future__ import annotations

import html
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from iamm.models import FrameworkVersion, Membership, PracticeArea
from iamm.services import framework_version_clone, framework_version_publish
from tests.helpers import fixture_files, make_draft_framework, make_regional_process, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return framework_version_publish(version=make_draft_framework("v1"))


@pytest.fixture
def processes():
    ecowas = make_regional_process(
        "mida",
        short_name="MIDWA",
        name="Migration Dialogue for West Africa",
        year=2000,
        region="West Africa",
        secretariat="IOM Dakar",
        main_areas="Labour migration",
        members={"SN": "Senegal", "ML": "Mali"},
    )
    Membership.objects.filter(process=ecowas, country="ML").update(
        note="Listed under an older name"
    )
    budapest = make_regional_process(
        "budapest",
        short_name="Budapest Process",
        region="Europe",
        members={"FR": "France", "RS": "Serbia and Montenegro"},
    )
    Membership.objects.filter(process=budapest, country="RS").update(
        note="Serbia and Montenegro is shown as Serbia."
    )
    return ecowas, budapest


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed, for readable assertions."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def has_no_inline_style_or_script(response) -> bool:
    html = response.content.decode()
    return " style=" not in html and "<script>" not in html and " onclick=" not in html


# Home -----------------------------------------------------------------------------------------


def test_the_home_page_explains_the_iamm_and_quotes_its_five_uses(client, version):
    response = client.get(reverse("iamm:home"))
    assert response.status_code == 200
    text = text_of(response)
    assert "As an evaluation tool for States in reviewing and developing" in text
    assert "As a training instrument and capacity building tool" in text
    assert "Michele Klein Solomon" in text
    html = response.content.decode()
    assert "<blockquote" in html
    for name in ["current_understanding_list", "current_heading_list", "regional_process_list"]:
        assert reverse(f"iamm:{name}") in html
    assert reverse("assessments:dashboard") not in html
    assert has_no_inline_style_or_script(response)


def test_the_home_page_links_signed_in_users_to_their_assessments(client, version):
    client.force_login(make_user("alice"))
    response = client.get(reverse("iamm:home"))
    assert reverse("assessments:dashboard") in response.content.decode()


def test_the_home_page_works_before_any_version_is_published(client):
    assert client.get(reverse("iamm:home")).status_code == 200


def test_the_navigation_links_to_the_reference_pages(client, version):
    html = client.get(reverse("iamm:regional_process_list")).content.decode()
    nav = html[html.index('<nav class="container" aria-label="Main">') :]
    nav = nav[: nav.index("</nav>")]
    assert reverse("iamm:current_heading_list") in nav
    assert reverse("iamm:current_understanding_list") in nav
    assert 'active" aria-current="true" href="/regional-processes/"' in nav


# Common Understandings ------------------------------------------------------------------------


def test_the_understanding_list_shows_every_understanding_with_its_headings(client, version):
    response = client.get(reverse("iamm:understanding_list", args=["v1"]))
    assert response.status_code == 200
    text = text_of(response)
    for n in (1, 2, 3):
        assert f"Understanding {n}" in text
    assert reverse("iamm:heading", args=["v1", 2]) in response.content.decode()
    assert has_no_inline_style_or_script(response)


def test_the_understanding_page_shows_its_text_and_linked_headings(client, version):
    understanding = version.understandings.get(number=2)
    response = client.get(understanding.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "Common Understanding 2" in text
    assert "1. Heading 1" in text
    assert "2. Heading 2" in text
    assert "Note H1" in text
    assert reverse("iamm:understanding", args=["v1", 3]) in response.content.decode()


def test_an_understanding_without_linked_headings_says_so(client, version):
    response = client.get(reverse("iamm:understanding", args=["v1", 3]))
    assert "No practice heading is linked to this understanding." in text_of(response)


def test_the_pages_follow_the_current_language(client, version):
    client.cookies["django_language"] = "fr"
    response = client.get(reverse("iamm:understanding", args=["v1", 1]))
    assert "Entente 1" in text_of(response)
    response = client.get(reverse("iamm:heading", args=["v1", 1]))
    assert "Pratique citée 1.1" in text_of(response)
    # Untranslated columns fall back to English.
    assert "Guidance 1.1" in text_of(response)


# Effective practices --------------------------------------------------------------------------


def test_the_heading_list_shows_headings_areas_and_understandings(client, version):
    response = client.get(reverse("iamm:heading_list", args=["v1"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "1. Heading 1" in text
    assert "Area 2.2" in text
    assert reverse("iamm:understanding", args=["v1", 2]) in response.content.decode()
    assert has_no_inline_style_or_script(response)


def test_the_heading_page_tells_quoted_iamm_text_from_project_guidance(client, version):
    heading = version.headings.get(number=1)
    response = client.get(heading.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    quote = re.search(r'<blockquote class="blockquote iamm-quote"><p>(.*?)</p>', html).group(1)
    assert quote == "Quoted practice 1.1"
    assert "IAMM effective practice" in html
    guidance = re.search(r'<div class="guidance mb-3">(.*?)</div>', html, re.S).group(1)
    assert "Guidance written by this project" in guidance
    assert "Guidance 1.1" in guidance
    assert "<blockquote" not in guidance
    assert "Area 1.2" in html
    assert reverse("iamm:understanding", args=["v1", 1]) in html
    assert has_no_inline_style_or_script(response)


def test_the_heading_page_groups_areas_as_temporary_and_permanent(client):
    draft = make_draft_framework("v2", headings=1, areas=3)
    PracticeArea.objects.filter(heading__version=draft, order__in=[1, 2]).update(group="temporary")
    PracticeArea.objects.filter(heading__version=draft, order=3).update(group="permanent")
    framework_version_publish(version=draft)
    response = client.get(reverse("iamm:heading", args=["v2", 1]))
    html = response.content.decode()
    temporary = html.index('<h2 class="h3">Temporary</h2>')
    permanent = html.index('<h2 class="h3">Permanent</h2>')
    assert temporary < html.index("Area 1.2") < permanent < html.index("Area 1.3")


def test_the_heading_page_links_to_its_neighbours(client, version):
    html = client.get(reverse("iamm:heading", args=["v1", 1])).content.decode()
    assert f'href="{reverse("iamm:heading", args=["v1", 2])}" rel="next"' in html
    assert 'rel="prev"' not in html


# Versions and shortcuts -----------------------------------------------------------------------


def test_the_shortcuts_show_the_newest_published_version(client, version):
    newer = framework_version_clone(source=version, code="v2")
    heading = newer.headings.get(number=1)
    heading.title_en = "Heading one, revised"
    heading.save()
    framework_version_publish(version=newer)
    for name in ["current_heading_list", "current_understanding_list"]:
        response = client.get(reverse(f"iamm:{name}"))
        assert response.status_code == 200
        assert response.context["version"] == newer
    response = client.get(reverse("iamm:current_heading", args=[1]))
    assert "Heading one, revised" in text_of(response)
    response = client.get(reverse("iamm:current_understanding", args=[2]))
    assert response.context["version"] == newer
    # The older version stays readable under its own code.
    response = client.get(reverse("iamm:heading", args=["v1", 1]))
    assert "Heading one, revised" not in text_of(response)


def test_the_shortcuts_answer_404_when_nothing_is_published(client):
    make_draft_framework("draft-only")
    assert client.get(reverse("iamm:current_heading_list")).status_code == 404
    assert client.get(reverse("iamm:current_understanding_list")).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/framework/nope/headings/",
        "/framework/nope/understandings/",
        "/framework/nope/headings/1/",
        "/framework/v1/headings/99/",
        "/framework/v1/understandings/99/",
        "/headings/99/",
        "/understandings/0/",
        "/regional-processes/nope/",
    ],
)
def test_unknown_codes_numbers_and_slugs_answer_404(client, version, url):
    assert client.get(url).status_code == 404


def test_a_draft_version_is_hidden_from_the_public(client, version):
    make_draft_framework("draft-9")
    assert client.get(reverse("iamm:heading_list", args=["draft-9"])).status_code == 404
    assert client.get(reverse("iamm:heading", args=["draft-9", 1])).status_code == 404


def test_staff_can_preview_a_draft_version(client, version):
    make_draft_framework("draft-9")
    client.force_login(make_user("editor", is_staff=True))
    response = client.get(reverse("iamm:heading", args=["draft-9", 1]))
    assert response.status_code == 200
    assert "Preview of a draft version" in text_of(response)
    # Shortcuts still mean the newest *published* version, for staff too.
    response = client.get(reverse("iamm:current_heading_list"))
    assert response.context["version"] == version


# Regional consultative processes --------------------------------------------------------------


def test_the_directory_lists_every_process_with_its_details(client, processes):
    response = client.get(reverse("iamm:regional_process_list"))
    assert response.status_code == 200
    text = text_of(response)
    for expected in [
        "MIDWA",
        "Migration Dialogue for West Africa",
        "2000",
        "West Africa",
        "IOM Dakar",
        "Labour migration",
        "Senegal",
        "Mali",
        "Budapest Process",
        "Serbia and Montenegro is shown as Serbia.",
    ]:
        assert expected in text
    assert has_no_inline_style_or_script(response)


def test_the_country_filter_offers_member_countries_by_name(client, processes):
    response = client.get(reverse("iamm:regional_process_list"))
    html = response.content.decode()
    options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', html)
    assert options == [("FR", "France"), ("ML", "Mali"), ("SN", "Senegal"), ("RS", "Serbia")]


def test_the_country_filter_uses_country_names_in_the_current_language(client, processes):
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("iamm:regional_process_list")).content.decode()
    assert ">Sénégal</option>" in html
    assert ">Serbie</option>" in html


def test_filtering_by_a_country_shows_the_processes_it_takes_part_in(client, processes):
    response = client.get(reverse("iamm:regional_process_list"), {"country": "SN"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Regional processes that Senegal takes part in" in text
    assert "MIDWA" in text
    assert "Budapest Process" not in text
    assert '<option value="SN" selected>' in response.content.decode()


def test_the_country_filter_accepts_lower_case_codes(client, processes):
    response = client.get(reverse("iamm:regional_process_list"), {"country": "rs"})
    assert "Regional processes that Serbia takes part in" in text_of(response)


def test_an_unknown_country_code_gets_a_clear_message(client, processes):
    response = client.get(reverse("iamm:regional_process_list"), {"country": "XX"})
    assert response.status_code == 200
    text = text_of(response)
    assert "There is no country with the code “XX”" in text
    assert "MIDWA" in text and "Budapest Process" in text


def test_a_country_in_no_process_gets_a_clear_message(client, processes):
    response = client.get(reverse("iamm:regional_process_list"), {"country": "NZ"})
    assert response.status_code == 200
    assert "lists New Zealand as a member" in text_of(response)


def test_a_hostile_country_value_is_escaped(client, processes):
    response = client.get(reverse("iamm:regional_process_list"), {"country": "<b>x"})
    assert response.status_code == 200
    assert "<B>" not in response.content.decode()


def test_the_process_page_shows_members_with_their_names_in_the_source(client, processes):
    response = client.get(reverse("iamm:regional_process", args=["budapest"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Budapest Process" in text
    assert "Serbia Serbia and Montenegro Serbia and Montenegro is shown as Serbia." in text
    assert "?country=FR" in response.content.decode()


# Query counts ---------------------------------------------------------------------------------


def test_the_heading_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    framework_version_publish(version=make_draft_framework("big", headings=12, areas=4))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("iamm:current_heading_list"))
    assert len(response.context["headings"]) == 12


def test_the_heading_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    framework_version_publish(version=make_draft_framework("big", headings=2, areas=8))
    # Two of them read the heading's GCM objective and SDG 10.7.2 domain links.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("iamm:heading", args=["big", 1]))
    assert "Area 1.8" in text_of(response)


def test_the_understanding_list_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    framework_version_publish(version=make_draft_framework("big", understandings=20))
    with django_assert_max_num_queries(3):
        client.get(reverse("iamm:current_understanding_list"))


def test_the_directory_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for n in range(10):
        make_regional_process(
            f"rcp-{n}", members={"SN": "Senegal", "FR": "France", "DE": "Germany"}
        )
    with django_assert_max_num_queries(3):
        client.get(reverse("iamm:regional_process_list"))
    with django_assert_max_num_queries(3):
        client.get(reverse("iamm:regional_process_list"), {"country": "SN"})


# The real content, once its fixtures exist ----------------------------------------------------


@pytest.fixture
def real_content():
    call_command("loaddata", *fixture_files("iamm", "regional_processes"), verbosity=0)
    return FrameworkVersion.objects.get(code="iamm-2005")


def test_every_real_reference_page_answers(client, real_content, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("iamm:current_heading_list"))
    assert len(response.context["headings"]) == 20
    for heading in real_content.headings.all():
        with django_assert_max_num_queries(8):
            assert client.get(heading.get_absolute_url()).status_code == 200
    for understanding in real_content.understandings.all():
        assert client.get(understanding.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(3):
        response = client.get(reverse("iamm:regional_process_list"))
    assert len(response.context["processes"]) == 18


def test_the_real_directory_shows_where_senegal_takes_part(client, real_content):
    response = client.get(reverse("iamm:regional_process_list"), {"country": "SN"})
    assert response.status_code == 200
    assert "Regional processes that Senegal takes part in" in text_of(response)
    assert response.context["processes"]


def test_a_member_without_a_current_country_name_shows_its_name_in_the_source(client):
    make_regional_process("old", members={"CS": "Serbia and Montenegro"})
    response = client.get(reverse("iamm:regional_process_list"))
    assert "Serbia and Montenegro" in text_of(response)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            [
                "Macedonia (FYR), l'ex-République yougoslave de Macédoine : officiellement "
                "nommée Macédoine du Nord depuis 2019.",
                "Serbie-et-Monténégro (dissoute en 2006) rattachée à la Serbie",
                "Turquie : officiellement nommée Türkiye depuis 2022.",
            ],
        ),
        (
            "es",
            [
                "Macedonia (FYR), la ex República Yugoslava de Macedonia: denominada "
                "oficialmente Macedonia del Norte desde 2019.",
                "Serbia y Montenegro (disuelta en 2006) asignada a Serbia",
                "Turquía: denominada oficialmente Türkiye desde 2022.",
            ],
        ),
    ],
)
def test_the_notes_on_names_in_the_source_are_in_the_page_language(client, lang, expected):
    call_command("loaddata", *fixture_files("regional_processes"), verbosity=0)
    with translation.override("en"):
        english = set(Membership.objects.exclude(note="").values_list("note", flat=True))
    client.cookies["django_language"] = lang
    for url in [
        reverse("iamm:regional_process_list"),
        reverse("iamm:regional_process", args=["budapest-process"]),
    ]:
        text = html.unescape(text_of(client.get(url)))
        for note in expected:
            assert note in text, url
        assert [note for note in english if note in text] == [], url
