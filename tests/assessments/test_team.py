"""Team management: a coordinator manages their own country's people and agencies.

Alice coordinates Demoland (QZ); Bob contributes for its Ministry of Labour; Carol only reads.
Dave coordinates France and Frank works there: neither country may even learn of the other's
people or agencies. Sam is a Demoland staff administrator, managed in the admin only.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Agency, User
from tests.helpers import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    labour = make_agency("QZ", "Ministry of Labour")
    interior = make_agency("QZ", "Ministry of the Interior")
    french = make_agency("FR", "Ministère de l'Intérieur")
    return {
        "alice": make_user(
            "alice", role=User.Role.COORDINATOR, agency=interior, first_name="Alice"
        ),
        "bob": make_user("bob", role=User.Role.CONTRIBUTOR, agency=labour, first_name="Bob"),
        "carol": make_user("carol", role=User.Role.VIEWER, first_name="Carol"),
        "dave": make_user("dave", country="FR", role=User.Role.COORDINATOR),
        "frank": make_user("frank", country="FR", role=User.Role.CONTRIBUTOR, agency=french),
        "sam": make_user("sam", role=User.Role.VIEWER, is_staff=True),
        "labour": labour,
        "interior": interior,
        "french": french,
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_person(**overrides) -> dict:
    data = {
        "username": "erin",
        "first_name": "Erin",
        "last_name": "Ndiaye",
        "email": "erin@example.org",
        "role": User.Role.CONTRIBUTOR,
        "agency": "",
    }
    return {**data, **overrides}


def person_form(user: User, **overrides) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "agency": user.agency_id or "",
    }
    return {**data, **overrides}


def team_urls(team, *, only_about_someone: bool = False) -> list[tuple[str, str, dict]]:
    """Every team page, as (method, url, POST data); or only those about a person or agency."""
    bob, labour = team["bob"], team["labour"]
    lists = [
        ("get", reverse("assessments:team"), {}),
        ("get", reverse("assessments:user_create"), {}),
        ("post", reverse("assessments:user_create"), new_person()),
        ("get", reverse("assessments:agencies"), {}),
        ("get", reverse("assessments:agency_create"), {}),
        ("post", reverse("assessments:agency_create"), {"name": "Ministry of Health"}),
    ]
    about_someone = [
        ("get", reverse("assessments:user_edit", args=[bob.pk]), {}),
        ("post", reverse("assessments:user_edit", args=[bob.pk]), person_form(bob, role="viewer")),
        ("get", reverse("assessments:user_deactivate", args=[bob.pk]), {}),
        ("post", reverse("assessments:user_deactivate", args=[bob.pk]), {}),
        ("post", reverse("assessments:user_reactivate", args=[bob.pk]), {}),
        ("post", reverse("assessments:user_invite", args=[bob.pk]), {}),
        ("get", reverse("assessments:agency_edit", args=[labour.pk]), {}),
        ("post", reverse("assessments:agency_edit", args=[labour.pk]), {"name": "Renamed"}),
        ("get", reverse("assessments:agency_deactivate", args=[labour.pk]), {}),
        ("post", reverse("assessments:agency_deactivate", args=[labour.pk]), {}),
        ("post", reverse("assessments:agency_reactivate", args=[labour.pk]), {}),
    ]
    return about_someone if only_about_someone else lists + about_someone


def assert_nothing_changed(team) -> None:
    assert not User.objects.filter(username="erin").exists()
    assert not Agency.objects.filter(name__in=["Ministry of Health", "Renamed"]).exists()
    bob = User.objects.get(pk=team["bob"].pk)
    assert bob.role == User.Role.CONTRIBUTOR and bob.is_active
    assert Agency.objects.get(pk=team["labour"].pk).is_active


# Who gets in ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_contributors_and_viewers_are_refused_every_team_page(team, who, mailoutbox):
    client = client_for(team[who])
    for method, url, data in team_urls(team):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    assert_nothing_changed(team)
    assert not mailoutbox


def test_a_staff_member_without_the_coordinator_role_is_refused(team):
    admin = make_user("root", country="", role=User.Role.VIEWER, is_staff=True)
    assert client_for(admin).get(reverse("assessments:team")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, team):
    for method, url, data in team_urls(team):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("login")), (method, url)
    assert_nothing_changed(team)


def test_another_countrys_coordinator_gets_404_for_every_page_about_our_people(team, mailoutbox):
    client = client_for(team["dave"])
    for method, url, data in team_urls(team, only_about_someone=True):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    assert_nothing_changed(team)
    assert not mailoutbox


def test_a_coordinator_answers_200_on_every_page_of_their_team(team):
    client = client_for(team["alice"])
    for method, url, _data in team_urls(team):
        if method == "get":
            assert client.get(url).status_code == 200, url


# The team list -------------------------------------------------------------------------------


def test_the_team_lists_only_the_coordinators_country_without_staff(team):
    response = client_for(team["alice"]).get(reverse("assessments:team"))
    names = {member.username for member in response.context["members"]}
    assert names == {"alice", "bob", "carol"}
    assert "frank" not in response.text
    assert "sam" not in names


def test_the_team_list_takes_a_constant_number_of_queries(team, django_assert_max_num_queries):
    for n in range(15):
        make_user(f"person{n}", agency=team["labour"])
    client = client_for(team["alice"])
    with django_assert_max_num_queries(8):
        client.get(reverse("assessments:team"))


def test_a_coordinator_cannot_open_a_staff_account_of_their_country(team):
    url = reverse("assessments:user_edit", args=[team["sam"].pk])
    assert client_for(team["alice"]).get(url).status_code == 404


# Creating people -----------------------------------------------------------------------------


def test_a_coordinator_adds_a_person_who_chooses_their_own_password(team, mailoutbox):
    client = client_for(team["alice"])
    data = new_person(agency=team["labour"].pk, country="FR", password="chosen-by-alice")
    response = client.post(reverse("assessments:user_create"), data)
    assert response.status_code == 302
    assert response.url == reverse("assessments:team")

    erin = User.objects.get(username="erin")
    assert erin.country == "QZ"
    assert erin.agency == team["labour"]
    assert erin.role == User.Role.CONTRIBUTOR
    assert not erin.has_usable_password()
    assert not erin.is_staff

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["erin@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    anonymous = Client()
    set_password_url = anonymous.get(link).url
    anonymous.post(
        set_password_url,
        {"new_password1": "erins-own-passphrase", "new_password2": "erins-own-passphrase"},
    )
    erin.refresh_from_db()
    assert erin.check_password("erins-own-passphrase")


def test_another_countrys_agency_id_is_refused(team):
    client = client_for(team["alice"])
    response = client.post(reverse("assessments:user_create"), new_person(agency=team["french"].pk))
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Select an agency of your country" in response.text
    assert not User.objects.filter(username="erin").exists()


def test_a_deactivated_agency_is_not_offered(team):
    team["labour"].is_active = False
    team["labour"].save()
    client = client_for(team["alice"])
    response = client.post(reverse("assessments:user_create"), new_person(agency=team["labour"].pk))
    assert "Select an agency of your country" in response.text


def test_an_empty_form_says_what_to_enter(team):
    response = client_for(team["alice"]).post(reverse("assessments:user_create"), {})
    assert "<title>Error:" in response.text
    for message in (
        "Enter a username",
        "Enter the person&#x27;s first name",
        "Enter the person&#x27;s email address",
        "Select a role",
    ):
        assert message in response.text
    assert "This field is required" not in response.text


def test_a_taken_username_or_email_is_refused(team):
    client = client_for(team["alice"])
    response = client.post(
        reverse("assessments:user_create"),
        new_person(username="BOB", email="frank@example.org"),
    )
    assert "The username BOB is already taken" in response.text
    assert "Another account already uses this email address" in response.text


def test_what_was_typed_is_kept_after_an_error(team):
    client = client_for(team["alice"])
    response = client.post(reverse("assessments:user_create"), new_person(email="not-an-email"))
    assert 'value="Ndiaye"' in response.text
    assert "Enter an email address in the correct format" in response.text


# Changing people -----------------------------------------------------------------------------


def test_a_coordinator_changes_a_persons_name_email_role_and_agency(team):
    bob = team["bob"]
    data = person_form(
        bob,
        first_name="Robert",
        email="robert@example.org",
        role=User.Role.VIEWER,
        agency=team["interior"].pk,
        country="FR",
        username="hijack",
    )
    response = client_for(team["alice"]).post(reverse("assessments:user_edit", args=[bob.pk]), data)
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.first_name, bob.email, bob.role) == ("Robert", "robert@example.org", "viewer")
    assert bob.agency == team["interior"]
    assert (bob.country, bob.username) == ("QZ", "bob")


def test_the_last_coordinator_cannot_be_demoted(team):
    alice = team["alice"]
    response = client_for(alice).post(
        reverse("assessments:user_edit", args=[alice.pk]), person_form(alice, role="viewer")
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "only active coordinator" in response.text
    alice.refresh_from_db()
    assert alice.is_coordinator


def test_a_coordinator_may_step_down_when_another_remains(team):
    alice = team["alice"]
    make_user("grace", role=User.Role.COORDINATOR)
    response = client_for(alice).post(
        reverse("assessments:user_edit", args=[alice.pk]), person_form(alice, role="viewer")
    )
    assert response.url == reverse("assessments:dashboard")
    alice.refresh_from_db()
    assert alice.role == User.Role.VIEWER


def test_a_tampered_agency_id_is_refused_on_change(team):
    bob = team["bob"]
    response = client_for(team["alice"]).post(
        reverse("assessments:user_edit", args=[bob.pk]),
        person_form(bob, agency=team["french"].pk),
    )
    assert "Select an agency of your country" in response.text
    bob.refresh_from_db()
    assert bob.agency == team["labour"]


# Deactivating people -------------------------------------------------------------------------


def test_a_coordinator_deactivates_a_person_without_deleting_them(team):
    bob = team["bob"]
    client = client_for(team["alice"])
    url = reverse("assessments:user_deactivate", args=[bob.pk])
    assert "Deactivate the account" in client.get(url).text
    response = client.post(url)
    assert response.url == reverse("assessments:team")
    bob.refresh_from_db()
    assert not bob.is_active

    client.post(reverse("assessments:user_reactivate", args=[bob.pk]))
    bob.refresh_from_db()
    assert bob.is_active


def test_a_coordinator_cannot_deactivate_themself(team):
    alice = team["alice"]
    make_user("grace", role=User.Role.COORDINATOR)
    client = client_for(alice)
    url = reverse("assessments:user_deactivate", args=[alice.pk])
    assert "Deactivate the account" not in client.get(url).text
    response = client.post(url, follow=True)
    assert "You cannot deactivate your own account." in response.text
    alice.refresh_from_db()
    assert alice.is_active


def test_a_new_link_can_be_sent_to_someone_who_has_not_chosen_a_password(team, mailoutbox):
    client = client_for(team["alice"])
    client.post(reverse("assessments:user_create"), new_person())
    erin = User.objects.get(username="erin")
    client.post(reverse("assessments:user_invite", args=[erin.pk]))
    assert len(mailoutbox) == 2
    assert "Your username is: erin" in mailoutbox[1].body


def test_no_link_is_sent_to_a_deactivated_account(team, mailoutbox):
    bob = team["bob"]
    bob.is_active = False
    bob.save()
    client_for(team["alice"]).post(reverse("assessments:user_invite", args=[bob.pk]))
    assert not mailoutbox


# Agencies ------------------------------------------------------------------------------------


def test_a_coordinator_adds_an_agency_to_their_country(team):
    client = client_for(team["alice"])
    response = client.post(
        reverse("assessments:agency_create"),
        {"name": "Ministry of Health", "short_name": "MoH", "country": "FR"},
    )
    assert response.url == reverse("assessments:agencies")
    agency = Agency.objects.get(name="Ministry of Health")
    assert (agency.country, agency.short_name, agency.is_active) == ("QZ", "MoH", True)


def test_an_agency_name_is_unique_within_the_country(team):
    client = client_for(team["alice"])
    response = client.post(reverse("assessments:agency_create"), {"name": "ministry of labour"})
    assert "Your country already has an agency called ministry of labour" in response.text
    # Another country's agency of the same name is no obstacle.
    response = client.post(
        reverse("assessments:agency_create"), {"name": "Ministère de l'Intérieur"}
    )
    assert response.status_code == 302


def test_an_agency_needs_a_name(team):
    response = client_for(team["alice"]).post(reverse("assessments:agency_create"), {"name": ""})
    assert "Enter the agency&#x27;s name" in response.text


def test_a_coordinator_renames_and_deactivates_an_agency(team):
    labour = team["labour"]
    client = client_for(team["alice"])
    client.post(
        reverse("assessments:agency_edit", args=[labour.pk]),
        {"name": "Ministry of Labour and Employment", "short_name": "MoLE"},
    )
    labour.refresh_from_db()
    assert labour.name == "Ministry of Labour and Employment"

    page = client.get(reverse("assessments:agency_deactivate", args=[labour.pk]))
    assert "1 active person still belongs to this agency." in page.text
    client.post(reverse("assessments:agency_deactivate", args=[labour.pk]))
    labour.refresh_from_db()
    assert not labour.is_active
    assert User.objects.get(pk=team["bob"].pk).agency == labour  # kept by its people

    client.post(reverse("assessments:agency_reactivate", args=[labour.pk]))
    labour.refresh_from_db()
    assert labour.is_active


def test_the_agency_list_shows_only_the_coordinators_country(team):
    response = client_for(team["alice"]).get(reverse("assessments:agencies"))
    assert "Ministry of Labour" in response.text
    assert "Ministère" not in response.text


def test_no_link_is_sent_to_someone_who_already_has_a_password(team, mailoutbox):
    response = client_for(team["alice"]).post(
        reverse("assessments:user_invite", args=[team["bob"].pk]), follow=True
    )
    assert "Bob has already chosen a password" in response.text
    assert not mailoutbox
