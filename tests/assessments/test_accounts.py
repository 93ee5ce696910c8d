"""Signing in and out, changing and resetting a password (django.contrib.auth's views with the
project's templates).

Alice has an account in Demoland; nobody has an account for nobody@example.org.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from assessments.models import User
from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-new-passphrase"


@pytest.fixture
def alice() -> User:
    return make_user("alice", role=User.Role.COORDINATOR)


def reset_link(body: str) -> str:
    """The path of the set-password link in an e-mail."""
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", body).group(1)


def without_csrf_token(html: str) -> str:
    # The token is masked differently on every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_sign_in_page_answers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Forgotten your password?" in response.text


def test_a_user_signs_in_and_lands_on_the_dashboard(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("assessments:dashboard")
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_a_wrong_password_shows_the_error_summary(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error:" in response.text
    assert "Enter a correct username and password" in response.text
    assert SESSION_KEY not in client.session


def test_empty_sign_in_fields_say_what_to_enter(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert "Enter your username" in response.text
    assert "Enter your password" in response.text
    assert "This field is required" not in response.text
    assert 'href="#id_username"' in response.text


def test_a_deactivated_user_cannot_sign_in(client, alice):
    alice.is_active = False
    alice.save()
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert SESSION_KEY not in client.session


def test_signing_out_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("iamm:home")
    assert SESSION_KEY not in client.session


def test_the_password_change_page_needs_a_signed_in_user(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_changes_their_password(client, alice):
    client.force_login(alice)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert client.get(response.url).status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_is_refused_with_a_clear_message(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Your current password is not correct" in response.text
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_short_new_password_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    assert "There is a problem" in response.text
    assert "at least 12 characters" in response.text


def test_a_password_reset_sends_one_email_with_a_working_link(client, alice, mailoutbox):
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]
    assert "\n" not in mailoutbox[0].subject

    # The link redirects to the set-password page (the token leaves the URL).
    response = client.get(reset_link(mailoutbox[0].body))
    assert response.status_code == 302
    set_password_url = response.url
    assert "Choose a new password" in client.get(set_password_url).text
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.url == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, alice, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": "alice@example.org"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert len(mailoutbox) == 1
    assert unknown.redirect_chain == known.redirect_chain
    assert without_csrf_token(unknown.text) == without_csrf_token(known.text)
    assert "Check your email" in unknown.text


def test_a_reset_asks_for_a_well_formed_address(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.text
    assert not mailoutbox


def test_a_used_reset_link_no_longer_works(client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    link = reset_link(mailoutbox[0].body)
    set_password_url = client.get(link).url
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = Client().get(link, follow=True)
    assert "This link does not work" in response.text
