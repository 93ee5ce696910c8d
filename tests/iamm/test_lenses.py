"""The GCM and SDG 10.7.2 lens content: fixtures, versioning, admin and public pages.

English text is checked against the reference notes in ../shared/reference (read at test time),
so a typo introduced while editing fixtures/lenses.json fails here.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessments.scoring.lenses import gcm_lens, sdg_indications
from iamm.lens_selectors import (
    gcm_link_rows,
    gcm_objective_numbers,
    sdg_domain_numbers,
    sdg_link_rows,
)
from iamm.models import (
    FrameworkVersion,
    FrozenVersionError,
    GcmObjective,
    HeadingDomainLink,
    HeadingObjectiveLink,
    PracticeHeading,
    SdgDomain,
    SdgSubcategory,
)
from iamm.services import framework_version_clone, framework_version_publish
from tests.helpers import fixtures_once, make_draft_framework

pytestmark = pytest.mark.django_db

REFERENCE = Path(settings.BASE_DIR).parent / "shared" / "reference"
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "lenses.json"
LENS_MODELS = [
    "iamm.gcmobjective",
    "iamm.headingobjectivelink",
    "iamm.sdgdomain",
    "iamm.sdgsubcategory",
    "iamm.headingdomainlink",
]
# The GCM objectives that no IAMM heading covers as its main subject (the project's mapping).
NOT_ASSESSED = {4, 7, 8, 12, 13, 14, 18, 22}


loaded = fixtures_once("iamm", "lenses")


@pytest.fixture
def content(loaded) -> FrameworkVersion:
    return FrameworkVersion.objects.get(code="iamm-2005")


def reference(name: str) -> str:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"The reference note {path} is not available; cannot compare with it.")
    return path.read_text(encoding="utf-8")


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Fixture content ------------------------------------------------------------------------------


def test_the_23_gcm_objective_titles_are_verbatim_from_the_resolution(content):
    rows = re.findall(r"^\| (\d+) \| ([^|]+?) \| ([^|]+?) \|", reference("gcm_objectives.md"), re.M)
    titles = {int(number): title for number, title, _label in rows}
    labels = {int(number): label for number, _title, label in rows}
    assert sorted(titles) == list(range(1, 24))
    stored = content.gcm_objectives.order_by("number")
    assert {o.number: o.title_en for o in stored} == titles
    assert {o.number: o.short_label_en for o in stored} == labels


def test_every_objective_says_where_its_french_and_spanish_titles_come_from(content):
    for objective in content.gcm_objectives.all():
        assert objective.title_fr and objective.title_es
        assert objective.translation_note_en == ""
        assert re.search(r"officiel|non officielle", objective.translation_note_fr)
        assert re.search(r"oficial|no oficial", objective.translation_note_es)
    # Objective 1's French title is the official one (A/RES/73/195, French version).
    first = content.gcm_objectives.get(number=1)
    assert first.title_fr.startswith("Collecter et utiliser des données précises et ventilées")
    assert first.translation_note_fr.startswith("Titre officiel")
    assert content.gcm_objectives.get(number=22).translation_note_es.startswith("Traducción")


def test_the_six_domains_and_30_sub_categories_are_verbatim_from_the_metadata(content):
    note = reference("sdg_10_7_2.md")
    table_1 = note[note.index("## Table 1") : note.index("## Table 2")]
    domains = dict(re.findall(r"^\| (\d) \| ([^|]+?) \| [^|]+? \|$", table_1, re.M))
    assert {d.number: d.name_en for d in content.sdg_domains.all()} == {
        int(n): name.replace("/ ", "/") for n, name in domains.items()
    }
    flat = re.sub(r"\s+", " ", note)  # the note wraps long lines
    for domain in content.sdg_domains.all():
        assert domain.question_en in flat
        assert domain.proxy_measure_en in flat
        subcategories = list(domain.subcategories.order_by("letter"))
        assert [s.letter for s in subcategories] == list("abcde")
        for subcategory in subcategories:
            assert f"{subcategory.letter}. {subcategory.text_en}" in flat, subcategory.code
    assert SdgSubcategory.objects.filter(domain__version=content).count() == 30


def test_only_domain_1_has_the_middle_answer_option(content):
    middle = dict(content.sdg_domains.values_list("number", "middle_option_en"))
    assert middle.pop(1) == "Yes, only for those with legal immigration status"
    assert set(middle.values()) == {""}


def test_every_objective_domain_and_heading_is_reached_by_the_mapping(content):
    objectives = content.gcm_objectives.all()
    assert all(o.heading_links.exists() for o in objectives)
    assert all(d.heading_links.exists() for d in content.sdg_domains.all())
    assert all(h.objective_links.exists() for h in content.headings.all())


def test_the_objectives_without_a_primary_link_are_the_iamms_thin_spots(content):
    primary = HeadingObjectiveLink.objects.filter(
        heading__version=content, strength=HeadingObjectiveLink.Strength.PRIMARY
    )
    covered = set(primary.values_list("objective__number", flat=True))
    assert set(range(1, 24)) - covered == NOT_ASSESSED


def test_every_link_gives_its_reason_in_three_languages(content):
    links = [
        *HeadingObjectiveLink.objects.filter(heading__version=content),
        *HeadingDomainLink.objects.filter(heading__version=content),
    ]
    assert len(links) == 59 + 18
    for link in links:
        assert link.reason_en and link.reason_fr and link.reason_es, link
        assert link.reason_fr != link.reason_en


def test_dumpdata_reproduces_the_lens_fixture(content):
    out = StringIO()
    call_command("dumpdata", *LENS_MODELS, natural_foreign=True, natural_primary=True, stdout=out)
    assert json.loads(out.getvalue()) == json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_loading_the_lens_fixture_twice_creates_no_duplicates(content):
    call_command("loaddata", "lenses", verbosity=0)
    assert GcmObjective.objects.count() == 23
    assert HeadingObjectiveLink.objects.count() == 59
    assert SdgDomain.objects.count() == 6
    assert SdgSubcategory.objects.count() == 30
    assert HeadingDomainLink.objects.count() == 18


# Versioning -----------------------------------------------------------------------------------


@pytest.fixture
def draft() -> FrameworkVersion:
    """A small draft framework with two objectives, one domain and links from heading 1."""
    version = make_draft_framework("lens-1")
    heading = version.headings.get(number=1)
    for number in (1, 2):
        objective = GcmObjective.objects.create(
            version=version,
            number=number,
            title_en=f"Objective {number}",
            title_fr=f"Objectif {number}",
            short_label_en=f"O{number}",
        )
    HeadingObjectiveLink.objects.create(
        heading=heading, objective=objective, strength="primary", reason_en="Because."
    )
    domain = SdgDomain.objects.create(
        version=version, number=1, name_en="Migrant rights", proxy_measure="p", question="q?"
    )
    SdgSubcategory.objects.create(domain=domain, letter="a", text_en="Health care")
    HeadingDomainLink.objects.create(heading=heading, domain=domain, reason_en="Health.")
    return version


def lens_rows(version: FrameworkVersion) -> dict[str, list]:
    """The lens content of a version by natural keys without the version, so ids do not matter."""
    return {
        "objectives": list(
            version.gcm_objectives.order_by("number").values_list("number", "title_fr")
        ),
        "objective_links": list(
            HeadingObjectiveLink.objects.filter(heading__version=version)
            .order_by("heading__number", "objective__number")
            .values_list("heading__number", "objective__number", "strength", "reason_en")
        ),
        "domains": list(version.sdg_domains.values_list("number", "name_en")),
        "subcategories": list(
            SdgSubcategory.objects.filter(domain__version=version).values_list(
                "domain__number", "letter", "text_en"
            )
        ),
        "domain_links": list(
            HeadingDomainLink.objects.filter(heading__version=version).values_list(
                "heading__number", "domain__number", "reason_en"
            )
        ),
    }


def test_lens_rows_of_a_published_version_are_frozen(draft):
    framework_version_publish(version=draft)
    objective = GcmObjective.objects.get(version=draft, number=1)
    objective.title = "Changed"
    with pytest.raises(FrozenVersionError):
        objective.save()
    for model in (HeadingObjectiveLink, HeadingDomainLink, SdgSubcategory, SdgDomain):
        row = model.objects.filter(**_version_lookup(model, draft)).first()
        with pytest.raises(FrozenVersionError):
            row.save()
        with pytest.raises(FrozenVersionError):
            row.delete()


def _version_lookup(model, version) -> dict:
    if model in (HeadingObjectiveLink, HeadingDomainLink):
        return {"heading__version": version}
    if model is SdgSubcategory:
        return {"domain__version": version}
    return {"version": version}


def test_cloning_a_version_copies_its_lens_content_and_links_only_its_own_rows(draft):
    source = framework_version_publish(version=draft)
    clone = framework_version_clone(source=source, code="lens-2")
    assert lens_rows(clone) == lens_rows(source)
    assert lens_rows(clone)["objective_links"] == [(1, 2, "primary", "Because.")]
    link = HeadingObjectiveLink.objects.get(heading__version=clone)
    assert link.objective.version == clone
    assert HeadingDomainLink.objects.get(heading__version=clone).domain.version == clone
    assert SdgSubcategory.objects.get(domain__version=clone).domain.version == clone


def test_a_link_must_stay_within_one_version(draft):
    other = make_draft_framework("lens-other")
    foreign = GcmObjective.objects.create(version=other, number=3, title="x", short_label="x")
    link = HeadingObjectiveLink(
        heading=draft.headings.get(number=1), objective=foreign, strength="secondary", reason="r"
    )
    with pytest.raises(ValidationError):
        link.full_clean()


def test_an_objective_number_is_between_1_and_23(draft):
    objective = GcmObjective(version=draft, number=24, title="x", short_label="x")
    with pytest.raises(ValidationError):
        objective.full_clean()


# Public pages ---------------------------------------------------------------------------------


def test_the_gcm_page_lists_the_23_objectives_with_their_linked_headings(client, content):
    response = client.get(reverse("iamm:current_gcm_list"))
    assert response.status_code == 200
    text = text_of(response)
    assert text.count("Objective ") >= 23
    assert "Objective 23: Strengthen international cooperation" in text
    assert "this project's own proposal" in text
    html = response.content.decode()
    assert reverse("iamm:heading", args=["iamm-2005", 1]) in html
    # Objective 13 (detention) is reached only through secondary links.
    section = html[html.index('id="gcm-13"') : html.index('id="gcm-14"')]
    assert "Not assessed by the IAMM" in section
    assert (
        "Not assessed by the IAMM"
        not in html[html.index('id="gcm-11"') : html.index('id="gcm-12"')]
    )
    assert f"{len(NOT_ASSESSED)} objectives have no primary link" in text


def test_the_gcm_page_takes_a_bounded_number_of_queries(
    client, content, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(reverse("iamm:current_gcm_list"))


def test_the_gcm_page_in_french_shows_the_french_titles_and_their_source(client, content):
    with translation.override("fr"):
        url = reverse("iamm:current_gcm_list")
    response = client.get(url, headers={"accept-language": "fr"})
    text = text_of(response)
    assert "Collecter et utiliser des données précises et ventilées" in text
    assert "Titre officiel" in text
    assert "Traduction du projet" in text


def test_the_sdg_page_lists_six_domains_30_sub_categories_and_the_method(client, content):
    response = client.get(reverse("iamm:current_sdg_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<section class="border-bottom py-3" id="domain-') == 6
    text = text_of(response)
    assert "Essential and/or emergency health care" in text
    assert "Formal strategies to address trafficking in persons and migrant smuggling" in text
    assert "Yes, only for those with legal immigration status (0.5)" in text
    assert "not the United Nations' computation" in text
    assert "this project's own proposal" in text


def test_a_heading_page_shows_its_gcm_objectives_and_sdg_domain(client, content):
    response = client.get(reverse("iamm:heading", args=["iamm-2005", 15]))
    text = text_of(response)
    assert "Objective 15: Provide access to basic services for migrants" in text
    assert "Objective 7: Address and reduce vulnerabilities in migration" in text
    assert text.index("Objective 15") < text.index("Objective 7:")  # primary first
    assert "Domain 1. Migrant rights" in text
    assert "not an IOM or United Nations mapping" in text
    assert reverse("iamm:sdg_list", args=["iamm-2005"]) + "#domain-1" in response.content.decode()


def test_a_heading_without_a_domain_says_so(client, content):
    response = client.get(reverse("iamm:heading", args=["iamm-2005", 14]))
    assert "No SDG 10.7.2 domain is linked to this heading." in text_of(response)


def test_a_draft_versions_lens_pages_are_for_staff_only(client, draft):
    url = reverse("iamm:gcm_list", args=[draft.code])
    assert client.get(url).status_code == 404
    staff = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert "Objective 2: Objective 2" in text_of(response)


# Admin ----------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", [GcmObjective, HeadingObjectiveLink, SdgDomain, HeadingDomainLink]
)
def test_the_admin_lists_lens_content(admin_client_, content, model):
    response = admin_client_.get(reverse(f"admin:iamm_{model._meta.model_name}_changelist"))
    assert response.status_code == 200


def test_the_admin_edits_a_drafts_heading_links_on_the_objective_page(admin_client_, draft):
    objective = GcmObjective.objects.get(version=draft, number=1)
    url = reverse("admin:iamm_gcmobjective_change", args=[objective.pk])
    response = admin_client_.get(url)
    assert response.status_code == 200
    heading = PracticeHeading.objects.get(version=draft, number=2)
    data = {
        "version": draft.pk,
        "number": 1,
        "title_en": "Objective 1",
        "title_fr": "Objectif 1",
        "title_es": "",
        "short_label_en": "O1",
        "short_label_fr": "",
        "short_label_es": "",
        "translation_note_en": "",
        "translation_note_fr": "",
        "translation_note_es": "",
        "heading_links-TOTAL_FORMS": "1",
        "heading_links-INITIAL_FORMS": "0",
        "heading_links-MIN_NUM_FORMS": "0",
        "heading_links-MAX_NUM_FORMS": "1000",
        "heading_links-0-heading": heading.pk,
        "heading_links-0-strength": "secondary",
        "heading_links-0-reason_en": "Overlaps one action.",
        "heading_links-0-reason_fr": "",
        "heading_links-0-reason_es": "",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    link = HeadingObjectiveLink.objects.get(objective=objective)
    assert (link.heading.number, link.strength) == (2, "secondary")


def test_the_admin_shows_a_published_objective_read_only(admin_client_, content):
    objective = content.gcm_objectives.get(number=1)
    response = admin_client_.get(reverse("admin:iamm_gcmobjective_change", args=[objective.pk]))
    assert response.status_code == 200
    assert b'name="title_en"' not in response.content


# The content read by the lens computations ----------------------------------------------------


def test_the_real_mapping_leaves_the_thin_spots_unscored_even_with_full_marks(content):
    full_marks = {number: 100 for number in range(1, 21)}
    lenses = gcm_lens(
        objectives=gcm_objective_numbers(version=content),
        links=gcm_link_rows(version=content),
        heading_scores=full_marks,
    )
    assert len(lenses) == 23
    assert {lens.objective for lens in lenses if lens.indication is None} == NOT_ASSESSED
    assert {lens.shown for lens in lenses if lens.assessed} == {Decimal("100.0")}


def test_the_real_domain_links_give_each_domain_an_indication_from_its_headings(content):
    scores = {number: 5 * number for number in range(1, 21)}  # heading n scores 5n
    indications = sdg_indications(
        domains=sdg_domain_numbers(version=content),
        links=sdg_link_rows(version=content),
        heading_scores=scores,
    )
    # Domain 1: headings 5, 7, 9 and 15 → (25 + 35 + 45 + 75) / 4 = 45.
    assert [(i.domain, i.shown) for i in indications][0] == (1, Decimal("45.0"))
    assert [i.domain for i in indications] == [1, 2, 3, 4, 5, 6]
    assert all(i.headings for i in indications)
