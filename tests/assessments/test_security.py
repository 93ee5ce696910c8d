"""Sign-in protection, two-factor authentication, the audit log and production settings."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import SecurityEvent, User
from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_address_is_paused_after_five_failures_even_with_the_right_password():
    make_user("alice")
    client = Client()
    for attempt in range(5):
        response = sign_in(client, "alice", f"wrong-{attempt}")
        assert response.status_code in (200, 429)
    locked = sign_in(client, "alice", PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in is paused" in locked.text
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT).exists()


def test_an_address_is_locked_after_five_failures_across_accounts():
    make_user("bob")
    client = Client()
    for n in range(5):
        sign_in(client, f"guess{n}", "nope", ip="10.9.9.9")
    assert sign_in(client, "bob", PASSWORD, ip="10.9.9.9").status_code == 429
    # Another address is unaffected.
    assert sign_in(Client(), "bob", PASSWORD, ip="10.1.1.1").status_code == 302


def test_failing_on_purpose_cannot_lock_a_known_account_out_from_elsewhere():
    make_user("coordinator")
    for attempt in range(10):
        sign_in(Client(), "coordinator", f"wrong-{attempt}", ip="203.0.113.66")
    assert sign_in(Client(), "coordinator", PASSWORD, ip="198.51.100.7").status_code == 302


PROXY = "10.0.0.254"  # every request reaches gunicorn from the reverse proxy


def sign_in_via_proxy(username: str, password: str, client_address: str):
    return Client().post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_behind_a_proxy_one_client_cannot_lock_out_the_others(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    make_user("carol")
    for n in range(5):
        sign_in_via_proxy(f"made-up-{n}", "nope", "203.0.113.5")
    assert sign_in_via_proxy("carol", PASSWORD, "203.0.113.5").status_code == 429
    assert sign_in_via_proxy("carol", PASSWORD, "198.51.100.7").status_code == 302
    failures = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert set(failures.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_behind_a_proxy_the_address_the_proxy_added_counts(settings):
    # A client can put anything in the header; the proxy appends the address it saw.
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    make_user("dave")
    for n in range(5):
        sign_in_via_proxy("dave", "nope", f"192.0.2.{n}, 203.0.113.5")
    assert sign_in_via_proxy("dave", PASSWORD, "203.0.113.5").status_code == 429


def test_without_a_configured_header_a_forged_one_is_ignored():
    make_user("erin")
    for n in range(5):
        sign_in_via_proxy("erin", "nope", f"192.0.2.{n}")
    assert sign_in_via_proxy("erin", PASSWORD, "198.51.100.7").status_code == 429
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).first()
    assert event.ip_address == PROXY


def test_a_failed_sign_in_does_not_reveal_whether_the_account_exists():
    make_user("carol")
    known = sign_in(Client(), "carol", "wrong", ip="10.0.0.2")
    unknown = sign_in(Client(), "nobody-here", "wrong", ip="10.0.0.3")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_a_password_reset_does_not_reveal_whether_the_account_exists(mailoutbox):
    make_user("dora")
    known = Client().post("/accounts/password_reset/", {"email": "dora@example.org"})
    unknown = Client().post("/accounts/password_reset/", {"email": "who@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mailoutbox) == 1


def test_weak_passwords_are_refused(client):
    user = make_user("erin")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password1", "new_password2": "password1"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_role_that_requires_two_factor_is_sent_to_set_it_up(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = {"coordinator", "staff"}
    coordinator = make_user("frank", role=User.Role.COORDINATOR)
    contributor = make_user("gina", role=User.Role.CONTRIBUTOR)
    client = Client()
    client.force_login(coordinator)
    response = client.get(reverse("assessments:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))
    other = Client()
    other.force_login(contributor)
    assert other.get(reverse("assessments:dashboard")).status_code == 200


def test_someone_sent_to_two_factor_can_still_set_it_up_switch_language_and_sign_out(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = {"coordinator", "staff"}
    client = Client()
    client.force_login(make_user("frank", role=User.Role.COORDINATOR))
    assert client.get(reverse("two_factor_setup")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "fr"}).status_code == 302
    assert client.get(reverse("assessments:dashboard")).url.startswith(reverse("two_factor_setup"))
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("assessments:dashboard")).url.startswith(reverse("login"))


def test_setting_up_two_factor_and_signing_in_with_a_code(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = {"coordinator"}
    user = make_user("hugo", role=User.Role.COORDINATOR)
    client = Client()
    assert sign_in(client, "hugo", PASSWORD).status_code == 302
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000"})
    if current_code(device) != "000000":
        assert wrong.status_code == 400
        assert "The code is not right" in wrong.text
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code delays the next try; this test does not wait
    ok = client.post(reverse("two_factor_setup"), {"token": current_code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("assessments:dashboard")).status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_ON, user=user).exists()

    # The next sign-in asks for a code before anything else.
    again = Client()
    sign_in(again, "hugo", PASSWORD)
    blocked = again.get(reverse("assessments:dashboard"))
    assert blocked.url.startswith(reverse("two_factor_verify"))
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this fast test
    device.save()
    verified = again.post(
        reverse("two_factor_verify") + "?next=/assessments/", {"token": current_code(device)}
    )
    assert verified.status_code == 302
    assert verified.url == "/assessments/"
    assert again.get(reverse("assessments:dashboard")).status_code == 200


def test_while_codes_are_paused_the_page_says_to_wait(settings):
    # After wrong codes even the right one is refused for a while: it was called wrong.
    settings.TWO_FACTOR_REQUIRED_ROLES = {"coordinator"}
    user = make_user("jade", role=User.Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    device.throttling_failure_count = 5  # 16 s to wait after the fifth wrong code
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client = Client()
    sign_in(client, "jade", PASSWORD)
    paused = client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert paused.status_code == 400
    assert re.search(
        r"Too many wrong codes\. Wait 1[56] seconds, then enter the newest", paused.text
    )
    assert "The code is not right" not in paused.text


def test_the_audit_log_records_sign_ins_failures_and_role_changes():
    user = make_user("ivy")
    sign_in(Client(), "ivy", "wrong", ip="10.0.0.7")
    sign_in(Client(), "ivy", PASSWORD, ip="10.0.0.8")
    user.role = User.Role.COORDINATOR
    user.save()
    kinds = list(SecurityEvent.objects.order_by("pk").values_list("kind", "ip_address"))
    assert kinds[:2] == [
        (SecurityEvent.Kind.LOGIN_FAILED, "10.0.0.7"),
        (SecurityEvent.Kind.LOGIN, "10.0.0.8"),
    ]
    change = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT_CHANGED)
    assert "role: contributor → coordinator" in change.detail


def test_staff_read_the_audit_log_in_the_admin(admin_client):
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN_FAILED, username="mallory")
    response = admin_client.get("/admin/assessments/securityevent/")
    assert response.status_code == 200
    assert "mallory" in response.text


def test_production_settings_pass_the_deployment_checks():
    # Only the machine's environment: the browser tests set variables of their own.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "iamm.example.org",
        "DATABASE_URL": "sqlite:////tmp/iamm-check-deploy.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


SETTINGS_FILE = django_settings.BASE_DIR / "iamm" / "settings.py"
SETTINGS_VARIABLES = ("DEBUG", "SECRET_KEY", "PROXY_SSL_HEADER", "CLIENT_IP_HEADER", "DATABASE_URL")


def read_settings(monkeypatch, tmp_path, **env: str) -> dict:
    """The settings module run afresh with only the given variables set."""
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return runpy.run_path(str(SETTINGS_FILE))


def test_settings_are_not_in_debug_unless_asked(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        read_settings(monkeypatch, tmp_path)
    production = read_settings(monkeypatch, tmp_path, SECRET_KEY="x" * 50)
    assert production["DEBUG"] is False
    assert production["DEMO_MODE"] is False
    assert production["SECURE_SSL_REDIRECT"] is True


@pytest.mark.parametrize("typo", ["ture", "flase", "enabled", "2"])
def test_a_boolean_that_cannot_be_read_stops_start_up(monkeypatch, tmp_path, typo):
    with pytest.raises(
        ImproperlyConfigured, match=f"SECURE_SSL_REDIRECT='{typo}' is not a boolean"
    ):
        read_settings(monkeypatch, tmp_path, DEBUG="true", SECURE_SSL_REDIRECT=typo)


def test_a_number_that_cannot_be_read_stops_start_up(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="LOGIN_FAILURE_LIMIT='five'"):
        read_settings(monkeypatch, tmp_path, DEBUG="true", LOGIN_FAILURE_LIMIT="five")


def test_reading_the_settings_creates_nothing(monkeypatch, tmp_path):
    copy = tmp_path / "project" / "iamm"
    copy.mkdir(parents=True)
    (copy / "settings.py").write_text(SETTINGS_FILE.read_text())
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEBUG", "true")
    runpy.run_path(str(copy / "settings.py"))
    assert [p.name for p in (tmp_path / "project").iterdir()] == ["iamm"]


def test_proxy_headers_are_trusted_only_when_named(monkeypatch, tmp_path):
    plain = read_settings(monkeypatch, tmp_path, DEBUG="true")
    assert "SECURE_PROXY_SSL_HEADER" not in plain
    assert plain["CLIENT_IP_HEADER"] == ""
    proxied = read_settings(
        monkeypatch,
        tmp_path,
        DEBUG="true",
        PROXY_SSL_HEADER="X-Forwarded-Proto",
        CLIENT_IP_HEADER="X-Forwarded-For",
    )
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert proxied["CLIENT_IP_HEADER"] == "HTTP_X_FORWARDED_FOR"


def test_a_forged_forwarded_proto_is_ignored_without_a_proxy(client):
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is False
