"""The pages of Part C (SDG indicator 10.7.2), as a country team uses them.

Alice coordinates Demoland's assessment and decides whether it includes Part C; Bob contributes
(for an agency, with no section assigned); Carol only reads; Dave coordinates another country
and must not even learn that Demoland's assessment exists.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, SdgAnswer, User
from assessments.questionnaire.part_c import part_c_answers_save, part_c_include
from tests.assessments.test_part_c import EXAMPLE
from tests.helpers import fixtures_once, make_agency, make_assessment, make_framework, make_user
from tests.html_forms import read_page
from tests.site_walk import client_in

pytestmark = pytest.mark.django_db

loaded = fixtures_once("iamm", "lenses")


@pytest.fixture
def team(loaded):
    people = {
        "alice": make_user("alice", role=User.Role.COORDINATOR),
        "bob": make_user("bob", role=User.Role.CONTRIBUTOR, agency=make_agency()),
        "carol": make_user("carol", role=User.Role.VIEWER),
        "dave": make_user("dave", country="FR", role=User.Role.COORDINATOR),
    }
    return {**people, "assessment": make_assessment(created_by=people["alice"])}


@pytest.fixture
def with_part_c(team) -> Assessment:
    part_c_include(assessment=team["assessment"])
    return team["assessment"]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, assessment: Assessment) -> str:
    return reverse(f"assessments:{name}", args=[assessment.pk])


def stored(assessment: Assessment) -> dict[str, str]:
    return {
        a.subcategory.code: a.value
        for a in assessment.sdg_answers.select_related("subcategory__domain")
    }


def saved_later(path: str, html: str) -> dict[str, list[str]]:
    """What the page's form sends on "Save and come back later", as a browser reads it."""
    (form,) = [f for f in read_page(path, html).post_forms() if f.action == path]
    return form.submission(next(b for b in form.buttons if b.name == "later"))


def set_status(assessment: Assessment, status: str) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=status)


# Including and removing --------------------------------------------------------------------


def test_the_coordinator_adds_part_c_from_the_task_list(team):
    alice, assessment = client_for(team["alice"]), team["assessment"]
    page = alice.get(url("task_list", assessment)).content.decode()
    assert "Part C: SDG indicator 10.7.2 (optional)" in page
    assert url("part_c_include", assessment) in page

    response = alice.post(url("part_c_include", assessment))
    assert response.status_code == 302
    assert assessment.sdg_answers.count() == 30
    page = alice.get(url("task_list", assessment)).content.decode()
    assert "Part C has been added to the assessment." in page
    assert "0 of 30 answered" in page
    assert "Not yet started" in page
    assert url("part_c_remove", assessment) in page
    assert url("part_c_include", assessment) not in page


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_the_coordinator_may_include_or_remove_part_c(team, who):
    client, assessment = client_for(team[who]), team["assessment"]
    assert (
        url("part_c_include", assessment)
        not in client.get(url("task_list", assessment)).content.decode()
    )
    assert client.post(url("part_c_include", assessment)).status_code == 403
    assert not assessment.sdg_answers.exists()
    part_c_include(assessment=assessment)
    page = client.get(url("task_list", assessment)).content.decode()
    assert "0 of 30 answered" in page  # everyone who sees the assessment sees Part C
    assert url("part_c_remove", assessment) not in page
    assert client.get(url("part_c_remove", assessment)).status_code == 403
    assert client.post(url("part_c_remove", assessment)).status_code == 403
    assert assessment.sdg_answers.count() == 30


def test_another_country_gets_404_on_every_part_c_page(with_part_c, team):
    dave = client_for(team["dave"])
    for name in ("part_c", "part_c_check", "part_c_remove"):
        assert dave.get(url(name, with_part_c)).status_code == 404, name
    for name in ("part_c", "part_c_include", "part_c_remove"):
        assert dave.post(url(name, with_part_c), {"1a": "yes"}).status_code == 404, name
    assert stored(with_part_c)["1a"] == ""


def test_part_c_pages_answer_404_while_it_is_not_included(team):
    alice = client_for(team["alice"])
    assert alice.get(url("part_c", team["assessment"])).status_code == 404
    assert alice.get(url("part_c_check", team["assessment"])).status_code == 404


def test_a_version_without_10_7_2_content_does_not_offer_part_c(team):
    plain = make_assessment(
        framework_version=make_framework("plain"), created_by=team["alice"], cycle=2027
    )
    page = client_for(team["alice"]).get(url("task_list", plain)).content.decode()
    assert "Part C" not in page


def test_removing_part_c_without_answers_asks_for_confirmation(with_part_c, team):
    alice = client_for(team["alice"])
    page = alice.get(url("part_c_remove", with_part_c)).content.decode()
    assert "Remove Part C from the assessment?" in page
    assert 'name="discard_answers"' not in page  # nothing to lose, nothing to confirm
    assert alice.post(url("part_c_remove", with_part_c)).status_code == 302
    assert not with_part_c.sdg_answers.exists()


def test_removing_part_c_with_answers_needs_the_deletion_confirmed(with_part_c, team):
    part_c_answers_save(assessment=with_part_c, values={"1a": "yes"}, user=team["alice"])
    alice = client_for(team["alice"])
    page = alice.get(url("part_c_remove", with_part_c)).content.decode()
    assert "1 sub-category of Part C is answered." in page
    assert 'name="discard_answers"' in page

    response = alice.post(url("part_c_remove", with_part_c))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert with_part_c.sdg_answers.count() == 30

    response = alice.post(url("part_c_remove", with_part_c), {"discard_answers": "on"})
    assert response.status_code == 302
    assert not with_part_c.sdg_answers.exists()


def test_part_c_cannot_be_added_or_removed_once_submitted(with_part_c, team):
    set_status(with_part_c, Assessment.Status.IN_REVIEW)
    alice = client_for(team["alice"])
    page = alice.get(url("task_list", with_part_c)).content.decode()
    assert url("part_c_remove", with_part_c) not in page
    response = alice.post(url("part_c_remove", with_part_c), {"discard_answers": "on"})
    assert response.status_code == 302
    assert with_part_c.sdg_answers.count() == 30


# Answering ---------------------------------------------------------------------------------


def test_the_answer_page_asks_the_un_questions_with_their_own_answers(with_part_c, team):
    response = client_for(team["bob"]).get(url("part_c", with_part_c))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<fieldset") == 30
    assert page.count("<legend") == 30
    assert "Does the Government provide non-nationals equal access" in page
    assert "1a. Essential and/or emergency health care" in page
    assert "Yes, regardless of immigration status" in page
    assert page.count('value="legal_only"') == 5  # domain 1 only
    assert page.count('value="no"') == 30


def test_a_contributor_saves_answers_and_comes_back_later(with_part_c, team):
    response = client_for(team["bob"]).post(
        url("part_c", with_part_c), {"later": "1", "1a": "legal_only", "2c": "no"}
    )
    assert response.status_code == 302
    assert response.url == with_part_c.get_absolute_url()
    values = stored(with_part_c)
    assert (values["1a"], values["2c"], values["1b"]) == ("legal_only", "no", "")
    answer = with_part_c.sdg_answers.get(subcategory__domain__number=1, subcategory__letter="a")
    assert answer.updated_by == team["bob"]
    page = client_for(team["bob"]).get(url("task_list", with_part_c)).content.decode()
    assert "2 of 30 answered" in page
    assert "In progress" in page


def test_save_and_continue_asks_for_every_answer_and_keeps_what_was_chosen(with_part_c, team):
    response = client_for(team["bob"]).post(
        url("part_c", with_part_c), {"continue": "1", "1a": "yes"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error:" in page
    assert "There is a problem" in page
    assert "Select an answer for 1b. Public education" in page
    assert 'href="#id_1b_0"' in page
    assert 'value="yes" id="id_1a_0" checked' in page
    assert set(stored(with_part_c).values()) == {""}  # nothing saved


def test_the_error_summary_follows_the_order_of_the_questions(with_part_c, team):
    response = client_for(team["bob"]).post(
        url("part_c", with_part_c), {"continue": "1", "1a": "yes", "3a": "legal_only"}
    )
    page = response.content.decode()
    start = page.index("There is a problem")
    summary = page[start : page.index("</ul>", start)]
    assert summary.index("#id_1b_0") < summary.index("#id_3a_0") < summary.index("#id_6e_0")


def test_save_and_continue_with_every_answer_leads_to_the_answers(with_part_c, team):
    response = client_for(team["bob"]).post(
        url("part_c", with_part_c), {"continue": "1", **EXAMPLE}
    )
    assert response.status_code == 302
    assert response.url == url("part_c_check", with_part_c)
    assert stored(with_part_c) == EXAMPLE
    page = client_for(team["bob"]).get(url("task_list", with_part_c)).content.decode()
    assert "Completed" in page


@pytest.mark.parametrize(
    "values", [{"1a": "yes", "3a": "legal_only"}, {"1a": "yes", "2b": "maybe"}]
)
def test_an_answer_not_offered_is_refused_and_nothing_is_saved(with_part_c, team, values):
    response = client_for(team["bob"]).post(url("part_c", with_part_c), {"later": "1", **values})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select one of the answers offered for" in page
    assert set(stored(with_part_c).values()) == {""}


def test_a_viewer_reads_part_c_and_cannot_answer(with_part_c, team):
    carol = client_for(team["carol"])
    response = carol.get(url("part_c", with_part_c))
    assert response.status_code == 302
    assert response.url == url("part_c_check", with_part_c)
    assert carol.post(url("part_c", with_part_c), {"1a": "yes"}).status_code == 403
    assert stored(with_part_c)["1a"] == ""
    page = carol.get(url("part_c_check", with_part_c)).content.decode()
    assert ">Change<" not in page


@pytest.mark.parametrize("status", [Assessment.Status.IN_REVIEW, Assessment.Status.VALIDATED])
def test_part_c_is_read_only_once_submitted(with_part_c, team, status):
    part_c_answers_save(assessment=with_part_c, values=EXAMPLE, user=team["alice"])
    set_status(with_part_c, status)
    alice = client_for(team["alice"])
    response = alice.get(url("part_c", with_part_c))
    assert response.status_code == 302
    assert response.url == url("part_c_check", with_part_c)
    assert alice.post(url("part_c", with_part_c), {"1a": "no"}).status_code == 403
    assert stored(with_part_c) == EXAMPLE
    response = alice.get(url("part_c_check", with_part_c))
    page = response.content.decode()
    assert response.status_code == 200
    assert ">Change<" not in page
    task_list = alice.get(url("task_list", with_part_c)).content.decode()
    assert f'href="{url("part_c_check", with_part_c)}"' in task_list


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_saving_the_page_untouched_changes_nothing(with_part_c, team, language):
    part_c_answers_save(assessment=with_part_c, values={**EXAMPLE, "4c": ""}, user=team["alice"])
    before = list(SdgAnswer.objects.values_list("pk", "value", "updated_at", "updated_by"))
    client = client_in(team["bob"], language)
    path = url("part_c", with_part_c)
    page = read_page(path, client.get(path).content.decode())
    (form,) = [f for f in page.post_forms() if f.action == path]
    later = next(b for b in form.buttons if b.name == "later")
    response = client.post(form.action, form.submission(later))
    assert response.status_code == 302
    assert list(SdgAnswer.objects.values_list("pk", "value", "updated_at", "updated_by")) == before


def test_saving_never_puts_back_an_answer_someone_else_changed_meanwhile(with_part_c, team):
    bob, path = client_for(team["bob"]), url("part_c", with_part_c)
    data = saved_later(path, bob.get(path).content.decode())
    part_c_answers_save(assessment=with_part_c, values={"1a": "no"}, user=team["alice"])
    data["2a"] = ["yes"]
    assert bob.post(path, data).status_code == 302
    values = stored(with_part_c)
    assert (values["1a"], values["2a"]) == ("no", "yes")


@pytest.mark.parametrize("shown", [None, "", ",,,", "x," * 30])
def test_a_request_without_the_answers_erases_none_of_them(with_part_c, team, shown):
    # Without the page's record of what it showed, every unsent answer was saved as empty.
    part_c_answers_save(
        assessment=with_part_c, values={"1a": "no", "2a": "yes"}, user=team["alice"]
    )
    data = {"later": "1", "3a": "yes"} | ({} if shown is None else {"shown": shown})
    assert client_for(team["bob"]).post(url("part_c", with_part_c), data).status_code == 302
    values = stored(with_part_c)
    assert (values["1a"], values["2a"], values["3a"]) == ("no", "yes", "yes")


def test_an_answer_someone_else_changed_meanwhile_is_a_conflict_not_overwritten(with_part_c, team):
    # Both change 1a: the second save replaced the first without a word, and Part C keeps no
    # history to find it again.
    bob, path = client_for(team["bob"]), url("part_c", with_part_c)
    data = saved_later(path, bob.get(path).content.decode())
    part_c_answers_save(assessment=with_part_c, values={"1a": "yes"}, user=team["alice"])
    data["1a"], data["2a"] = ["legal_only"], ["no"]
    conflict = bob.post(path, data)
    assert conflict.status_code == 409
    assert "Someone else changed the answer to 1a." in conflict.content.decode()
    assert (stored(with_part_c)["1a"], stored(with_part_c)["2a"]) == ("yes", "")  # nothing

    # The page now stands for the answers saved: saving it again keeps Bob's.
    assert bob.post(path, saved_later(path, conflict.content.decode())).status_code == 302
    values = stored(with_part_c)
    assert (values["1a"], values["2a"]) == ("legal_only", "no")


# Reading the result ------------------------------------------------------------------------


def test_the_answers_show_the_un_method_result_by_domain_and_overall(with_part_c, team):
    part_c_answers_save(assessment=with_part_c, values=EXAMPLE, user=team["alice"])
    page = client_for(team["carol"]).get(url("part_c_check", with_part_c)).content.decode()
    for value, band in (
        ("60.0", "Partially meets"),
        ("100.0", "Fully meets"),
        ("80.0", "Meets"),
        ("40.0", "Partially meets"),
        ("0.0", "Requires further progress"),
        ("56.7", "Partially meets"),  # overall: 17 of 30
    ):
        assert f'<td class="text-end">{value}</td><td>{band}</td>' in page
    assert "Yes, only for those with legal immigration status" in page


def test_a_domain_with_an_unanswered_sub_category_is_shown_incomplete(with_part_c, team):
    part_c_answers_save(assessment=with_part_c, values={**EXAMPLE, "4c": ""}, user=team["alice"])
    page = client_for(team["alice"]).get(url("part_c_check", with_part_c)).content.decode()
    assert "Incomplete: 1 sub-category not answered" in page
    assert '<td class="text-end">80.0</td>' not in page  # domain 4 gets no value, no band
    assert "Incomplete: every domain must be answered in full" in page
    assert "Not provided" in page
    assert '<td class="text-end">60.0</td><td>Partially meets</td>' in page  # domain 1 still is


def test_values_are_written_the_languages_way(with_part_c, team):
    part_c_answers_save(assessment=with_part_c, values=EXAMPLE, user=team["alice"])
    page = client_in(team["alice"], "fr").get(url("part_c_check", with_part_c)).content.decode()
    assert '<td class="text-end">56,7</td>' in page


def test_check_answers_lists_part_c_with_its_result(with_part_c, team):
    part_c_answers_save(assessment=with_part_c, values=EXAMPLE, user=team["alice"])
    page = client_for(team["alice"]).get(url("check", with_part_c)).content.decode()
    assert "Part C: SDG indicator 10.7.2" in page
    assert '<td class="text-end">56.7</td><td>Partially meets</td>' in page
    assert f"{url('part_c', with_part_c)}#domain-1" in page


@pytest.mark.parametrize("name", ["part_c", "part_c_check", "task_list", "check"])
def test_part_c_pages_use_a_bounded_number_of_queries(
    with_part_c, team, name, django_assert_max_num_queries
):
    part_c_answers_save(assessment=with_part_c, values=EXAMPLE, user=team["alice"])
    client = client_for(team["alice"])
    client.get(url(name, with_part_c))  # warm the session and caches
    with django_assert_max_num_queries(8):
        assert client.get(url(name, with_part_c)).status_code == 200
